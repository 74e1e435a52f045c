using System.Diagnostics;
using Vinfer.Diagnostics;
using Vinfer.Guides;
using Vinfer.Modeling;
using Vinfer.Objectives;
using Vinfer.Optim;
using Vinfer.Random;

namespace Vinfer.Inference;

/// <summary>
/// Automatic differentiation variational inference end to end (Kucukelbir et al., JMLR 2017): build the family's
/// guide from the model's trace, run SVI with Adam until Stan's rule or the step limit, then draw from the
/// approximation, summarize each scalar parameter and check the fit with PSIS k̂ (Yao et al., ICML 2018).
/// </summary>
public static class VariationalFit
{
    /// <summary>Fits <paramref name="model"/> as <paramref name="options"/> say.</summary>
    public static FitResult Fit(Action model, FitOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Particles < 1) throw new ArgumentOutOfRangeException(nameof(options), $"Fit: particles must be at least 1, got {options.Particles}.");
        if (options.Draws < 10) throw new ArgumentOutOfRangeException(nameof(options), $"Fit: draws must be at least 10 (PSIS needs them), got {options.Draws}.");
        var clock = Stopwatch.StartNew();
        var prototype = ModelPrototype.Capture(model);
        AutoGuide guide = options.Family switch
        {
            VariationalFamily.MeanField => new AutoNormal(model),
            VariationalFamily.FullRank => new AutoMultivariateNormal(model),
            VariationalFamily.LowRank => new AutoLowRankMultivariateNormal(model, options.Rank),
            VariationalFamily.Map => new AutoDelta(model),
            _ => throw new ArgumentOutOfRangeException(nameof(options), $"Fit: unknown family {options.Family}."),
        };
        bool point = options.Family == VariationalFamily.Map;
        IObjective objective = new Elbo(point ? 1 : options.Particles, stickingTheLanding: options.StickingTheLanding && !point);
        var adam = new Adam(options.LearningRate)
        {
            Schedule = LearningRateSchedule.InverseTime(options.LearningRate, 1e-3, 0.5),
        };
        var store = new ParamStore();
        var svi = new Svi(model, guide, adam, objective, store);
        var run = svi.Run(new SviOptions
        {
            Steps = options.Steps,
            Tolerance = options.Tolerance,
            EvalEvery = options.EvalEvery,
            Seed = options.Seed,
            Progress = options.Progress,
        });
        var draws = PosteriorSampler.Draw(model, guide.Run, prototype, store, options.Draws, new RandomStream(new RandomKey(options.Seed).Fold(0x44524157)));
        var summary = PosteriorSummary.ComputeColumns(draws.Names, draws.Values);
        var ratios = draws.LogRatios();
        double elbo = ratios.Average();
        double kHat = point ? double.NaN : ParetoSmoothedImportanceSampling.Smooth(ratios).KHat;
        return new FitResult(options.Family, guide, store, run, draws, summary, elbo, kHat, clock.Elapsed.TotalSeconds);
    }
}
