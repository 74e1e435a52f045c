using System.Diagnostics;
using Vinfer.Inference;
using Vinfer.Random;

namespace Vinfer.Conjugate;

/// <summary>
/// Fits a <see cref="BayesianGaussianMixture"/> as scikit-learn's BayesianGaussianMixture does by default: k-means
/// labels (<see cref="KMeans"/>, one initialization) set q(θ), then batch CAVI until the ELBO changes by less than
/// <see cref="Tolerance"/> (absolute, scikit-learn's tol = 1e-3) or <see cref="MaxIterations"/>; or stochastic VI from
/// the same start, with the ELBO over all the data evaluated once per epoch (N/|B| steps) and the same stopping rule.
/// Both run through <see cref="FitLoop"/>.
/// </summary>
public sealed record GaussianMixtureFit
{
    /// <summary>CAVI or SVI.</summary>
    public VariationalMethod Method { get; init; } = VariationalMethod.CoordinateAscent;

    /// <summary>SVI's settings (batch size, τ, κ, averaging).</summary>
    public NaturalGradientSettings Stochastic { get; init; } = new();

    /// <summary>Iteration limit: CAVI sweeps, or SVI epochs.</summary>
    public int MaxIterations { get; init; } = 1000;

    /// <summary>Stop when the ELBO changes by less than this between evaluations.</summary>
    public double Tolerance { get; init; } = 1e-3;

    /// <summary>The seed of k-means and of SVI's minibatches.</summary>
    public ulong Seed { get; init; } = 0;

    /// <summary>Runs the fit on <paramref name="model"/> (whose q(θ) it overwrites).</summary>
    public GaussianMixtureResult Run(BayesianGaussianMixture model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (MaxIterations < 1) throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, "must be at least 1.");
        if (!(Tolerance >= 0)) throw new ArgumentOutOfRangeException(nameof(Tolerance), Tolerance, "must be non-negative.");
        var clock = Stopwatch.StartNew();
        var (labels, _, kmeansIterations) = model.Communicator is { } communicator
            ? DataParallelKMeans.Fit(model.CenteredData, model.DataCount, model.Dimension, model.Components, new RandomKey(Seed).Child(0), communicator)
            : KMeans.Fit(model.CenteredData, model.DataCount, model.Dimension, model.Components, new RandomKey(Seed).Child(0));
        model.InitializeFromAssignments(labels);
        double initialization = clock.Elapsed.TotalSeconds;

        IIterativeUpdate update;
        SviOptions options;
        if (Method == VariationalMethod.CoordinateAscent)
        {
            update = new CoordinateAscent(model);
            options = new SviOptions { Steps = MaxIterations, EvalEvery = 1, AbsoluteTolerance = Tolerance, Seed = Seed };
        }
        else
        {
            update = new StochasticVariationalInference(model, Stochastic);
            int epoch = Math.Max(1, model.TotalCount / Stochastic.BatchSize);
            options = new SviOptions { Steps = (int)Math.Min(int.MaxValue, (long)MaxIterations * epoch), EvalEvery = epoch, AbsoluteTolerance = Tolerance, Seed = Seed };
        }
        var run = new FitLoop(update).Run(options);
        double elbo = Method == VariationalMethod.CoordinateAscent ? run.ElboTrace[^1] : ConjugateElbo.AtOptimalLocals(model);
        return new GaussianMixtureResult(run, elbo, kmeansIterations, initialization, clock.Elapsed.TotalSeconds);
    }
}

/// <summary>
/// The outcome of a <see cref="GaussianMixtureFit"/>: the loop's run (<see cref="SviRun.ElboTrace"/>: CAVI's ELBO
/// per sweep, or SVI's minibatch estimates; <see cref="SviRun.ElboEvaluations"/>: the exact ELBO at each evaluation),
/// the final exact ELBO, k-means' iterations, and wall seconds for the initialization and in total.
/// </summary>
public sealed record GaussianMixtureResult(SviRun Run, double Elbo, int KMeansIterations, double InitializationSeconds, double Seconds);
