namespace Vinfer.StateSpace;

/// <summary>
/// The AR(1)-plus-noise model with parameter θ = (ψ, ζ, σ_h², σ_v²):
/// <code>
/// X_t = ψ X_{t-1} + ε_t,  ε_t ~ N(0, σ_h²);   Y_t = ζ X_t + η_t,  η_t ~ N(0, σ_v²),   t = 1..T,  X_0 known.
/// </code>
/// The scalar case of <see cref="LinearGaussianStateSpaceModel"/>; see Bertholom &amp; Roueff, "Some recent
/// advances in variational inference" (2025), §3, and docs/ar1-vem-derivation.md for the updates used here.
/// </summary>
/// <param name="Psi">ψ, the autoregressive coefficient.</param>
/// <param name="Zeta">ζ, the observation gain.</param>
/// <param name="SigmaH2">σ_h², the state-noise variance (must be positive).</param>
/// <param name="SigmaV2">σ_v², the observation-noise variance (must be positive).</param>
public readonly record struct Ar1NoiseModel(double Psi, double Zeta, double SigmaH2, double SigmaV2)
{
    /// <summary>
    /// ζ² σ_h² / (1 − ψ²): the stationary variance of ζ X_t, which is identifiable even where ζ and σ_h² trade off
    /// against each other through the scale of X. Not finite when |ψ| ≥ 1.
    /// </summary>
    public double SignalVariance => Math.Abs(Psi) < 1.0 ? Zeta * Zeta * SigmaH2 / (1.0 - Psi * Psi) : double.PositiveInfinity;

    /// <summary>True when all entries are finite and both variances are positive.</summary>
    public bool IsValid => double.IsFinite(Psi) && double.IsFinite(Zeta)
        && SigmaH2 > 0.0 && double.IsFinite(SigmaH2) && SigmaV2 > 0.0 && double.IsFinite(SigmaV2);

    /// <summary>Throws <see cref="ArgumentException"/> naming the bad entry unless <see cref="IsValid"/>.</summary>
    public void Validate(string paramName = "parameters")
    {
        if (!double.IsFinite(Psi)) throw new ArgumentException($"Ar1NoiseModel: psi is {Psi}, expected a finite number.", paramName);
        if (!double.IsFinite(Zeta)) throw new ArgumentException($"Ar1NoiseModel: zeta is {Zeta}, expected a finite number.", paramName);
        if (!(SigmaH2 > 0.0) || !double.IsFinite(SigmaH2)) throw new ArgumentException($"Ar1NoiseModel: sigma_h2 is {SigmaH2}, expected a positive finite variance.", paramName);
        if (!(SigmaV2 > 0.0) || !double.IsFinite(SigmaV2)) throw new ArgumentException($"Ar1NoiseModel: sigma_v2 is {SigmaV2}, expected a positive finite variance.", paramName);
    }

    /// <summary>This model as a 1-dimensional <see cref="LinearGaussianStateSpaceModel"/> with known X_0 = <paramref name="x0"/>.</summary>
    public LinearGaussianStateSpaceModel ToStateSpaceModel(double x0)
    {
        Validate();
        return new LinearGaussianStateSpaceModel(1, 1, [Psi], [SigmaH2], [Zeta], [SigmaV2], [x0], [0.0]);
    }

    /// <summary>Draws X_{1:T} into <paramref name="states"/> and Y_{1:T} into <paramref name="observations"/>, starting from X_0 = <paramref name="x0"/>.</summary>
    public void Simulate(double x0, System.Random random, Span<double> states, Span<double> observations)
    {
        Validate();
        ArgumentNullException.ThrowIfNull(random);
        if (states.Length != observations.Length)
            throw new ArgumentException("Ar1NoiseModel.Simulate: states and observations must have the same length.");
        double sh = Math.Sqrt(SigmaH2), sv = Math.Sqrt(SigmaV2), x = x0;
        for (int t = 0; t < states.Length; t++)
        {
            x = Psi * x + sh * StandardNormal(random);
            states[t] = x;
            observations[t] = Zeta * x + sv * StandardNormal(random);
        }
    }

    /// <summary>
    /// E_q[log p_θ(X_{1:T}, Y_{1:T})] from the expected sufficient statistics of any q (exact posterior, Gauss–Markov
    /// chain, or mean-field): the Gaussian log-densities with their squares expanded into moments.
    /// </summary>
    public double ExpectedCompleteLogLikelihood(in Ar1SufficientStatistics s)
    {
        double log2Pi = Math.Log(2.0 * Math.PI);
        double observationSquares = s.SumYY - 2.0 * Zeta * s.SumYX + Zeta * Zeta * s.SumXX;
        double transitionSquares = s.SumXX - 2.0 * Psi * s.SumXXLag + Psi * Psi * s.SumXXPrev;
        return -0.5 * s.Count * (2.0 * log2Pi + Math.Log(SigmaV2) + Math.Log(SigmaH2))
               - 0.5 * observationSquares / SigmaV2 - 0.5 * transitionSquares / SigmaH2;
    }

    /// <summary>
    /// The M-step: argmax_θ E_q[log p_θ(X, Y)] in closed form from expected sufficient statistics
    /// (ψ = Σ E[X_t X_{t-1}] / Σ E[X_{t-1}²], ζ = Σ Y_t E[X_t] / Σ E[X_t²], then the residual variances).
    /// Variances are floored at 1e-12 × (Σ Y_t² / T) so a degenerate run cannot produce a zero variance.
    /// </summary>
    public static Ar1NoiseModel Maximize(in Ar1SufficientStatistics s)
    {
        double psi = s.SumXXLag / s.SumXXPrev;
        double zeta = s.SumYX / s.SumXX;
        double sigmaH2 = (s.SumXX - 2.0 * psi * s.SumXXLag + psi * psi * s.SumXXPrev) / s.Count;
        double sigmaV2 = (s.SumYY - 2.0 * zeta * s.SumYX + zeta * zeta * s.SumXX) / s.Count;
        double floor = 1e-12 * Math.Max(s.SumYY / s.Count, double.Epsilon);
        return new Ar1NoiseModel(psi, zeta, Math.Max(sigmaH2, floor), Math.Max(sigmaV2, floor));
    }

    /// <inheritdoc />
    public override string ToString() =>
        FormattableString.Invariant($"psi={Psi:G6} zeta={Zeta:G6} sigma_h2={SigmaH2:G6} sigma_v2={SigmaV2:G6}");

    /// <summary>A standard normal draw by Box–Muller: a seeded System.Random keeps simulated series reproducible.</summary>
    public static double StandardNormal(System.Random random)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
