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
        if (options.AverageSteps < 0) throw new ArgumentOutOfRangeException(nameof(options), $"alpha-moments: average steps must be at least 0, got {options.AverageSteps}.");
        if (options.Tolerance is { } t && !(t > 0 && t < 1)) throw new ArgumentOutOfRangeException(nameof(options), $"alpha-moments: the tolerance must be in (0, 1), got {t}.");
        if (!(options.InitScale > 0) || !double.IsFinite(options.InitScale))
            throw new ArgumentOutOfRangeException(nameof(options), $"alpha-moments: the initial scale must be positive and finite, got {options.InitScale}.");
        if (options.Draws < 10) throw new ArgumentOutOfRangeException(nameof(options), $"alpha-moments: draws must be at least 10 (PSIS needs them), got {options.Draws}.");
        var clock = Stopwatch.StartNew();
        var prototype = ModelPrototype.Capture(model);
        AutoGuide guide = options.Family == VariationalFamily.MeanField ? new AutoNormal(model, options.InitScale)
            : options.Family == VariationalFamily.FullRank ? new AutoMultivariateNormal(model, options.InitScale)
            : throw new ArgumentOutOfRangeException(nameof(options), $"alpha-moments: the family must be meanfield or fullrank (the Gaussian exponential families), got {options.Family?.Name ?? "null"}.");
        var store = new ParamStore();
        var algorithm = new AlphaMoments(model, guide, store, options.Alpha, options.Damping, options.Samples);
        var ess = new List<double>();
        var run = new FitLoop(algorithm).Run(new SviOptions
        {
            Steps = options.Steps,
            Tolerance = options.Tolerance,
            EvalEvery = options.EvalEvery,
            Seed = options.Seed,
            Progress = p =>
            {
                ess.Add(algorithm.LastStep!.EffectiveSampleSize);
                options.Progress?.Invoke(p);
            },
        });
        var bounds = run.ElboTrace.ToList();
        int averaged = options.AverageSteps > 0 ? Average(algorithm, options, run.Steps, bounds, ess, clock) : 0;
        run = run with { ElboTrace = [.. bounds], Seconds = clock.Elapsed.TotalSeconds };
        var draws = PosteriorSampler.Draw(model, guide.Run, prototype, store, options.Draws, new RandomStream(new RandomKey(options.Seed).Fold(StreamTags.PosteriorDraws)));
        var summary = PosteriorSummary.ComputeColumns(draws.Names, draws.Values);
        var ratios = draws.LogRatios();
        double kHat = ParetoSmoothedImportanceSampling.Smooth(ratios).KHat;
        var alphaRun = new AlphaMomentsRun(options.Alpha, algorithm.Damping, options.Samples, averaged, [.. bounds], [.. ess]);
        return new FitResult(options.Family, guide, store, run, draws, summary, ratios.Average(), kHat, clock.Elapsed.TotalSeconds, alphaRun);
    }

    /// <summary>
    /// The averaging phase: <see cref="AlphaMomentsOptions.AverageSteps"/> more updates whose iterates are averaged in
    /// the mean parameters (m, E[x xᵀ]); the average is again a Gaussian's, Σ̄ = mean of Σ_k + scatter of the m_k about
    /// m̄ (the same as E̅[x xᵀ] − m̄ m̄ᵀ, without its cancellation when |m| ≫ sd), and becomes the fit. A failed update
    /// ends the phase early and the average so far is kept; if the average itself is not a valid Gaussian (not positive
    /// definite in floating point) the last iterate stays. Returns the number of iterates averaged.
    /// </summary>
    private static int Average(AlphaMoments algorithm, AlphaMomentsOptions options, int stepsDone, List<double> bounds, List<double> ess, Stopwatch clock)
    {
        int d = algorithm.Mean.Count;
        var mean = new double[d];
        var covarianceSum = new double[d * d];
        var scatter = new double[d * d];
        var delta = new double[d];
        var root = new RandomKey(options.Seed).Fold(StreamTags.IterateAveraging);
        int averaged = 0;
        for (int k = 0; k < options.AverageSteps; k++)
        {
            double bound = algorithm.Step(new RandomStream(root.Child(k)));
            if (!double.IsFinite(bound)) break;
            bounds.Add(bound);
            ess.Add(algorithm.LastStep!.EffectiveSampleSize);
            averaged++;
            // Welford's update of the mean and the scatter of the iterates' means.
            var m = algorithm.Mean;
            var c = algorithm.Covariance();
            for (int a = 0; a < d; a++)
            {
                delta[a] = m[a] - mean[a];
                mean[a] += delta[a] / averaged;
            }
            for (int a = 0; a < d; a++)
                for (int b = 0; b < d; b++)
                {
                    covarianceSum[a * d + b] += c[a * d + b];
                    scatter[a * d + b] += delta[a] * (m[b] - mean[b]);
                }
            options.Progress?.Invoke(new SviProgress(stepsDone + k + 1, bound, (stepsDone + k + 1) / Math.Max(clock.Elapsed.TotalSeconds, 1e-9), stepsDone + options.AverageSteps));
        }
        if (averaged == 0) return 0;
        var covariance = new double[d * d];
        for (int a = 0; a < d; a++)
            for (int b = 0; b < d; b++)
                covariance[a * d + b] = (covarianceSum[a * d + b] + 0.5 * (scatter[a * d + b] + scatter[b * d + a])) / averaged;
        try { algorithm.SetGaussian(mean, covariance); }
        catch (InvalidOperationException) { return 0; }
        return averaged;
    }
}
