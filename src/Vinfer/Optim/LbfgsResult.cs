namespace Vinfer.Optim;

/// <summary>Why <see cref="Lbfgs.Minimize"/> stopped.</summary>
public enum LbfgsStop
{
    /// <summary>The gradient's largest entry fell to <see cref="LbfgsOptions.GradientTolerance"/>.</summary>
    Gradient,

    /// <summary>The relative decrease of f fell to <see cref="LbfgsOptions.RelativeTolerance"/>.</summary>
    RelativeDecrease,

    /// <summary>The step's largest entry fell to <see cref="LbfgsOptions.StepTolerance"/>.</summary>
    Step,

    /// <summary><see cref="LbfgsOptions.MaxIterations"/> were taken.</summary>
    MaxIterations,
}

/// <summary>The outcome of <see cref="Lbfgs.Minimize"/>.</summary>
/// <param name="X">The last point.</param>
/// <param name="Value">f at it.</param>
/// <param name="Gradient">∇f at it.</param>
/// <param name="Iterations">Accepted steps.</param>
/// <param name="Evaluations">Function-and-gradient evaluations, the start's included.</param>
/// <param name="Stop">Why it stopped.</param>
public sealed record LbfgsResult(double[] X, double Value, double[] Gradient, int Iterations, int Evaluations, LbfgsStop Stop)
{
    /// <summary>True unless the iteration limit stopped it.</summary>
    public bool Converged => Stop != LbfgsStop.MaxIterations;
}
