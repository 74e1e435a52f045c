using System.Diagnostics;
using Vinfer.Diagnostics;
using Vinfer.Guides;
using Vinfer.Modeling;
using Vinfer.Random;

namespace Vinfer.Inference;

/// <summary>
/// A model fitted end to end by monotonic alpha-divergence minimisation (<see cref="AlphaMoments"/>; Daudel, Douc &amp;
/// Roueff, JMLR 2023): build the Gaussian guide over the unconstrained latents, run the damped moment updates, average
/// the last iterates in the mean parameters, then draw, summarize and check with PSIS k̂ exactly as
/// <see cref="VariationalFit"/> does, so the result is read and written the same way.
/// </summary>
public static class AlphaMomentsFit
{
    /// <summary>Fits <paramref name="model"/> as <paramref name="options"/> say.</summary>
    public static FitResult Fit(Action model, AlphaMomentsOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        AlphaMomentsWeights.ValidateAlpha(options.Alpha, nameof(options.Alpha));
        AlphaMomentsGaussianUpdate.ValidateDamping(options.Damping, nameof(options.Damping));
        if (options.Samples < 2) throw new ArgumentOutOfRangeException(nameof(options), $"alpha-moments: samples must be at least 2, got {options.Samples}.");
        if (options.Steps < 1) throw new ArgumentOutOfRangeException(nameof(options), $"alpha-moments: steps must be at least 1, got {options.Steps}.");
        if (options.AverageSteps < 0 || options.AverageSteps > options.Steps)
            throw new ArgumentOutOfRangeException(nameof(options), $"alpha-moments: average steps must be in [0, steps = {options.Steps}], got {options.AverageSteps}.");
        if (!(options.InitScale > 0) || !double.IsFinite(options.InitScale))
            throw new ArgumentOutOfRangeException(nameof(options), $"alpha-moments: the initial scale must be positive and finite, got {options.InitScale}.");
        if (options.Draws < 10) throw new ArgumentOutOfRangeException(nameof(options), $"alpha-moments: draws must be at least 10 (PSIS needs them), got {options.Draws}.");
        var clock = Stopwatch.StartNew();
        var prototype = ModelPrototype.Capture(model);
        AutoGuide guide = options.Family switch
        {
            VariationalFamily.MeanField => new AutoNormal(model, options.InitScale),
            VariationalFamily.FullRank => new AutoMultivariateNormal(model, options.InitScale),
            var f => throw new ArgumentOutOfRangeException(nameof(options), $"alpha-moments: the family must be MeanField or FullRank (Gaussian), got {f}."),
        };
        var store = new ParamStore();
        var algorithm = new AlphaMoments(model, guide, store, options.Alpha, options.Damping, options.Samples);
        int d = algorithm.Mean.Count;
        var bounds = new double[options.Steps];
        var ess = new double[options.Steps];
        var meanSum = new double[d];
        var secondSum = new double[d * d];
        var root = new RandomKey(options.Seed).Fold(0x414C5048);
        for (int k = 0; k < options.Steps; k++)
        {
            var step = algorithm.Step(new RandomStream(root.Child(k)));
            bounds[k] = step.RenyiBound;
            ess[k] = step.EffectiveSampleSize;
            if (k >= options.Steps - options.AverageSteps) Accumulate(algorithm, meanSum, secondSum);
            options.Progress?.Invoke(new SviProgress(k + 1, step.RenyiBound, (k + 1) / Math.Max(clock.Elapsed.TotalSeconds, 1e-9), options.Steps));
        }
        if (options.AverageSteps > 0)
        {
            // The average of iterates in the mean parameters (m, E[x xᵀ]) is again a Gaussian's: Σ̄ = E̅[x xᵀ] − m̄ m̄ᵀ.
            var mean = meanSum.Select(v => v / options.AverageSteps).ToArray();
            var covariance = new double[d * d];
            for (int a = 0; a < d; a++)
                for (int b = 0; b < d; b++) covariance[a * d + b] = secondSum[a * d + b] / options.AverageSteps - mean[a] * mean[b];
            algorithm.SetGaussian(mean, covariance);
        }
        var run = new SviRun(options.Steps, false, bounds, [], 0, options.Damping, clock.Elapsed.TotalSeconds);
        var draws = PosteriorSampler.Draw(model, guide.Run, prototype, store, options.Draws, new RandomStream(new RandomKey(options.Seed).Fold(0x44524157)));
        var summary = PosteriorSummary.ComputeColumns(draws.Names, draws.Values);
        var ratios = draws.LogRatios();
        double kHat = ParetoSmoothedImportanceSampling.Smooth(ratios).KHat;
        var alphaRun = new AlphaMomentsRun(options.Alpha, options.Damping, options.Samples, options.AverageSteps, bounds, ess);
        return new FitResult(options.Family, guide, store, run, draws, summary, ratios.Average(), kHat, clock.Elapsed.TotalSeconds, alphaRun);
    }

    private static void Accumulate(AlphaMoments algorithm, double[] meanSum, double[] secondSum)
    {
        int d = meanSum.Length;
        var m = algorithm.Mean;
        var c = algorithm.Covariance();
        for (int a = 0; a < d; a++)
        {
            meanSum[a] += m[a];
            for (int b = 0; b < d; b++) secondSum[a * d + b] += c[a * d + b] + m[a] * m[b];
        }
    }
}
