namespace Vinfer.Inference;

/// <summary>
/// The annealing schedule of annealed SVGD (D'Angelo and Fortuin, "Annealed Stein Variational Gradient Descent",
/// AABI 2021): the driving term of the Stein direction is multiplied by γ(t) ∈ [0, 1],
/// φ(xᵢ) = (1/n) Σⱼ [γ(t) k(xⱼ, xᵢ) ∇log p(xⱼ) + ∇_{xⱼ} k(xⱼ, xᵢ)], which is the SVGD direction of the tempered
/// target p^γ. While γ is small the repulsion spreads the particles over a flattened target that joins the modes;
/// as γ rises to 1 they settle into the modes in proportion to the mass they had already reached, instead of each
/// staying in the basin it started in. Their cyclical schedule: over the first <see cref="Steps"/> steps, split into
/// <see cref="Cycles"/> equal cycles of length L, γ(t) = ((t mod L) / L)^<see cref="Power"/>, rising from 0 to 1 in
/// each cycle; γ = 1 from step <see cref="Steps"/> on (plain SVGD).
/// </summary>
public sealed record SvgdAnnealing
{
    /// <summary>Anneals over the first <paramref name="steps"/> steps in <paramref name="cycles"/> cycles with exponent <paramref name="power"/>.</summary>
    public SvgdAnnealing(int steps, int cycles = 1, double power = 1.0)
    {
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), $"SvgdAnnealing: the annealing steps must be at least 1, got {steps}.");
        if (cycles < 1 || cycles > steps) throw new ArgumentOutOfRangeException(nameof(cycles), $"SvgdAnnealing: the cycles must be between 1 and the {steps} annealing steps, got {cycles}.");
        if (!(power > 0 && double.IsFinite(power))) throw new ArgumentOutOfRangeException(nameof(power), $"SvgdAnnealing: the power must be positive and finite, got {power}.");
        Steps = steps;
        Cycles = cycles;
        Power = power;
    }

    /// <summary>The number of annealed steps; plain SVGD (γ = 1) after them.</summary>
    public int Steps { get; }

    /// <summary>The number of cycles in which γ rises from 0 to 1.</summary>
    public int Cycles { get; }

    /// <summary>The exponent p of γ = (t/L)^p (above 1: longer at small γ).</summary>
    public double Power { get; }

    /// <summary>γ at 0-based step <paramref name="step"/>.</summary>
    public double Gamma(int step)
    {
        if (step < 0) throw new ArgumentOutOfRangeException(nameof(step), $"SvgdAnnealing: the step must be non-negative, got {step}.");
        if (step >= Steps) return 1.0;
        double cycleLength = (double)Steps / Cycles;
        double position = step - Math.Floor(step / cycleLength) * cycleLength;
        // the last step of each cycle reaches 1, so every cycle ends at the real target
        return Math.Pow(Math.Min(1.0, (position + 1) / cycleLength), Power);
    }
}
