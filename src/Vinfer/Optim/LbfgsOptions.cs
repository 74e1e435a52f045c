namespace Vinfer.Optim;

/// <summary>Settings of <see cref="Lbfgs.Minimize"/> (defaults follow Stan's L-BFGS and Pathfinder).</summary>
public sealed record LbfgsOptions
{
    /// <summary>How many (s, y) pairs the inverse-Hessian estimate keeps (Stan's history_size; Pathfinder's J).</summary>
    public int History { get; init; } = 6;

    /// <summary>The most iterations (accepted steps).</summary>
    public int MaxIterations { get; init; } = 1000;

    /// <summary>Stop when the gradient's largest entry is at most this (Stan's tol_grad).</summary>
    public double GradientTolerance { get; init; } = 1e-8;

    /// <summary>Stop when |Δf| / max(|f|, |f_new|, 1) is at most this (Stan's tol_rel_obj: 1e4 machine epsilons).</summary>
    public double RelativeTolerance { get; init; } = 1e4 * 2.220446049250313e-16;

    /// <summary>Stop when the step's largest entry is at most this (Stan's tol_param).</summary>
    public double StepTolerance { get; init; } = 1e-8;

    /// <summary>The line search (strong Wolfe, c₁ = 10⁻⁴, c₂ = 0.9 by default).</summary>
    public StrongWolfeLineSearch LineSearch { get; init; } = new();
}
