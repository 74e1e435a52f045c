using System.Globalization;
using System.Text;
using Vinfer.Guides;
using Vinfer.Inference;
using Vinfer.Diagnostics;
using Vinfer.Objectives;
using Vinfer.Random;

namespace Vinfer.Experiments.Targets;

/// <summary>One fit of one target: accuracy against the target's exact draws.</summary>
/// <param name="Target">The target's name.</param>
/// <param name="Family">The family fitted.</param>
/// <param name="MaxMeanError">The largest |mean − exact mean| / exact sd over the coordinates.</param>
/// <param name="MinSdRatio">The smallest sd / exact sd over the coordinates.</param>
/// <param name="MaxSdRatio">The largest sd / exact sd over the coordinates.</param>
/// <param name="ModeWeights">The share of draws nearest each mode (ring only; empty otherwise).</param>
/// <param name="Elbo">The ELBO (NaN for SVGD).</param>
/// <param name="KHat">PSIS k̂ (NaN for SVGD).</param>
/// <param name="Seconds">Wall time of the fit.</param>
public sealed record TargetStudyRow(string Target, string Family, double MaxMeanError, double MinSdRatio, double MaxSdRatio, double[] ModeWeights, double Elbo, double KHat, double Seconds)
{
    /// <summary>Mean within 0.1 sd and sd ratio in [0.8, 1.2] on every coordinate, and (ring) every mode within 0.05 of 1/K.</summary>
    public bool MeetsTargets => MaxMeanError <= 0.1 && MinSdRatio >= 0.8 && MaxSdRatio <= 1.2
        && ModeWeights.All(w => Math.Abs(w - 1.0 / ModeWeights.Length) <= 0.05);
}

/// <summary>
/// Flow guides and SVGD on the synthetic targets with exact samplers (<see cref="SamplingTarget"/>): each family's
/// draws against the exact moments (closed form where the target has them, <see cref="SamplingTarget.ExactMoments"/>;
/// else 100,000 exact draws) — largest mean error in exact sd, range of sd ratios, and for the ring the
/// weight of each mode. What docs/flows.md reports (<c>vinfer experiment targets</c>). Each flow fit with k̂ &lt; 0.7
/// is scored a second time with its draws weighted by PSIS (Vehtari et al. 2024; the moments Yao et al. 2018
/// recommend below that threshold), in a row labelled "PSIS-reweighted"; SVGD is run plain and annealed
/// (<see cref="SvgdAnnealing"/> over the first third of its steps).
/// </summary>
public static class TargetStudy
{
    /// <summary>The targets at full size.</summary>
    public static SamplingTarget[] Targets() => [new NealsFunnel(), new Banana(), new GaussianRing(), new TwoMoons()];

    /// <summary>Fits every target with every family in <paramref name="families"/>.</summary>
    public static List<TargetStudyRow> Run(IReadOnlyList<VariationalFamily> families, int steps, int svgdSteps, ulong seed, Action<string>? log = null) =>
        Run(families, new TargetStudySettings { Steps = steps, SvgdSteps = svgdSteps, Seed = seed }, log);

    /// <summary>Fits the targets <paramref name="settings"/> name with every family in <paramref name="families"/>.</summary>
    public static List<TargetStudyRow> Run(IReadOnlyList<VariationalFamily> families, TargetStudySettings settings, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(families);
        ArgumentNullException.ThrowIfNull(settings);
        var targets = Targets();
        if (settings.Targets is { } names)
        {
            foreach (var n in names)
                if (!targets.Any(t => t.Name == n))
                    throw new ArgumentException($"TargetStudy: '{n}' is not a target (one of {string.Join(", ", targets.Select(t => t.Name))}).", nameof(settings));
            targets = [.. targets.Where(t => names.Contains(t.Name))];
        }
        var rows = new List<TargetStudyRow>();
        void Add(TargetStudyRow row)
        {
            rows.Add(row);
            log?.Invoke(Format(row));
        }
        foreach (var target in targets)
            foreach (var family in families)
            {
                bool svgd = family is SvgdFamily;
                bool iaf = family is FlowFamily { Settings.Kind: FlowKind.Iaf };
                bool iw = settings.Iwae && !svgd;
                var options = new FitOptions
                {
                    Family = family,
                    Steps = svgd ? settings.SvgdSteps : settings.Steps,
                    Tolerance = null,
                    Particles = svgd ? 100 : settings.Particles,
                    // an IWAE fit's own draws would be q_IW-resampled from K times as many: the study draws the guide itself below
                    Draws = iw ? 10 : settings.Draws,
                    Seed = settings.Seed,
                    Objective = iw ? (k, _) => new IwaeBound(k, settings.Estimates, settings.Estimator) : null,
                    FlowLayers = svgd ? null : settings.FlowLayers,
                    Hidden = svgd ? null : settings.Hidden,
                    MaximumLogScale = iaf ? settings.MaximumLogScale : null,
                    BaseDegreesOfFreedom = svgd ? null : settings.BaseDegreesOfFreedom,
                };
                var fit = VariationalFit.Fit(target.Program, options);
                if (svgd)
                {
                    Add(Score(target, family.Name, fit));
                    if (settings.SvgdSteps >= 3)
                    {
                        var annealed = VariationalFit.Fit(target.Program, options with { SvgdAnnealing = new SvgdAnnealing(settings.SvgdSteps / 3) });
                        Add(Score(target, $"{family.Name}, annealed ({settings.SvgdSteps / 3} steps)", annealed));
                    }
                    continue;
                }
                string label = family.Name + settings.Describe(family);
                var draws = iw ? GuideDraws(target, fit, settings.Draws, settings.Seed) : fit.Draws;
                var logRatios = draws.LogRatios();
                // −∞ is an overflowed draw the model could not score (weight 0 for PSIS); NaN or +∞ leaves no weights
                bool finite = logRatios.All(r => !double.IsNaN(r) && !double.IsPositiveInfinity(r)) && logRatios.Any(double.IsFinite);
                if (draws.Unscored > 0) log?.Invoke($"{target.Name}, {family.Name}: {draws.Unscored} of {draws.Count} guide draws overflowed to a non-finite parameter (log p = −∞, weight 0)");
                double kHat = iw ? (finite ? ParetoSmoothedImportanceSampling.Smooth(logRatios).KHat : double.NaN) : fit.KHat;
                double elbo = iw ? logRatios.Average() : fit.Elbo;
                Add(ScoreDraws(target, label, draws.Values, null, elbo, kHat, fit.Seconds));
                if (kHat < 0.7 && finite) Add(ScoreReweighted(target, label + ", PSIS-reweighted", draws, elbo, kHat, fit.Seconds));
            }
        return rows;
    }

    /// <summary><paramref name="count"/> draws of the fitted guide itself, with log p and log q (PSIS needs them).</summary>
    private static PosteriorDraws GuideDraws(SamplingTarget target, FitResult fit, int count, ulong seed) =>
        PosteriorSampler.Draw(target.Program, fit.Guide.Run, ModelPrototype.Capture(target.Program), fit.Store, count,
            new RandomStream(new RandomKey(seed).Fold(StreamTags.PosteriorDraws)));

    /// <summary>Draws of each flow fit (enough for PSIS weights to reach the funnel's mouth).</summary>
    public const int Draws = 20_000;

    /// <summary>Scores one fit's draws, equally weighted, against the target's exact draws.</summary>
    public static TargetStudyRow Score(SamplingTarget target, string family, FitResult fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        return ScoreDraws(target, family, fit.Draws.Values, null, fit.Elbo, fit.KHat, fit.Seconds);
    }

    /// <summary>
    /// Scores one fit's draws weighted by their PSIS-smoothed importance weights p/q against the target's exact draws
    /// (meaningful only when k̂ &lt; 0.7).
    /// </summary>
    public static TargetStudyRow ScoreReweighted(SamplingTarget target, string family, FitResult fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        return ScoreReweighted(target, family, fit.Draws, fit.Elbo, fit.KHat, fit.Seconds);
    }

    /// <summary>As <see cref="ScoreReweighted(SamplingTarget, string, FitResult)"/> for guide draws made apart from the fit.</summary>
    public static TargetStudyRow ScoreReweighted(SamplingTarget target, string family, PosteriorDraws draws, double elbo, double kHat, double seconds)
    {
        ArgumentNullException.ThrowIfNull(draws);
        var logWeights = ParetoSmoothedImportanceSampling.Smooth(draws.LogRatios()).NormalizedLogWeights();
        return ScoreDraws(target, family, draws.Values, logWeights.Select(Math.Exp).ToArray(), elbo, kHat, seconds);
    }

    /// <summary>
    /// Scores row-major draws [n, d] with weights summing to 1 (null: equal weights) against the target's exact draws;
    /// <paramref name="elbo"/>, <paramref name="kHat"/> and <paramref name="seconds"/> are carried into the row.
    /// </summary>
    public static TargetStudyRow ScoreDraws(SamplingTarget target, string family, double[] draws, double[]? weights, double elbo, double kHat, double seconds)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(draws);
        if (draws.Length == 0 || draws.Length % target.Dimension != 0)
            throw new ArgumentException($"TargetStudy: {draws.Length} values are not whole draws of dimension {target.Dimension}.", nameof(draws));
        if (weights is not null && weights.Length * target.Dimension != draws.Length)
            throw new ArgumentException($"TargetStudy: {weights.Length} weights for {draws.Length / target.Dimension} draws.", nameof(weights));
        int d = target.Dimension;
        int n = draws.Length / d;
        weights ??= Enumerable.Repeat(1.0 / n, n).ToArray();
        var (exactMean, exactSd) = target.ExactMoments
            ?? Moments(target.DrawExact(new RandomKey(20_251_130), 100_000), d, Enumerable.Repeat(1.0 / 100_000, 100_000).ToArray());
        var (mean, sd) = Moments(draws, d, weights);
        double maxError = 0, minRatio = double.PositiveInfinity, maxRatio = 0;
        for (int j = 0; j < d; j++)
        {
            maxError = Math.Max(maxError, Math.Abs(mean[j] - exactMean[j]) / exactSd[j]);
            minRatio = Math.Min(minRatio, sd[j] / exactSd[j]);
            maxRatio = Math.Max(maxRatio, sd[j] / exactSd[j]);
        }
        var modeWeights = Array.Empty<double>();
        if (target is GaussianRing ring)
        {
            modeWeights = new double[ring.Modes];
            for (int i = 0; i < n; i++) modeWeights[ring.NearestMode(draws[2 * i], draws[2 * i + 1])] += weights[i];
        }
        return new TargetStudyRow(target.Name, family, maxError, minRatio, maxRatio, modeWeights, elbo, kHat, seconds);
    }

    /// <summary>Weighted means and sds of the columns of row-major <paramref name="rows"/>; <paramref name="weights"/> sum to 1.</summary>
    private static (double[] Mean, double[] Sd) Moments(double[] rows, int width, double[] weights)
    {
        int n = rows.Length / width;
        var mean = new double[width];
        var sd = new double[width];
        // a draw of weight 0 (log p = −∞: PosteriorSampler's overflowed draws) does not count, even where its value is ±∞
        for (int i = 0; i < n; i++) if (weights[i] > 0) for (int j = 0; j < width; j++) mean[j] += weights[i] * rows[i * width + j];
        for (int i = 0; i < n; i++) if (weights[i] > 0) for (int j = 0; j < width; j++) sd[j] += weights[i] * (rows[i * width + j] - mean[j]) * (rows[i * width + j] - mean[j]);
        for (int j = 0; j < width; j++) sd[j] = Math.Sqrt(sd[j]);
        return (mean, sd);
    }

    /// <summary>One row of the markdown table.</summary>
    public static string Format(TargetStudyRow r) => string.Create(CultureInfo.InvariantCulture,
        $"| {r.Target} | {r.Family} | {r.MaxMeanError:F3} | {r.MinSdRatio:F2}–{r.MaxSdRatio:F2} | {(r.ModeWeights.Length == 0 ? "" : string.Join(" ", r.ModeWeights.Select(w => w.ToString("F3", CultureInfo.InvariantCulture))))} | {(double.IsFinite(r.Elbo) ? r.Elbo.ToString("F3", CultureInfo.InvariantCulture) : "n/a")} | {(double.IsFinite(r.KHat) ? r.KHat.ToString("F2", CultureInfo.InvariantCulture) : "n/a")} | {r.Seconds:F1} | {(r.MeetsTargets ? "yes" : "no")} |");

    /// <summary>The markdown table of all rows.</summary>
    public static string ToMarkdown(IEnumerable<TargetStudyRow> rows)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| target | family | max mean error (sd) | sd ratio | mode weights | ELBO | k̂ | s | meets targets |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var r in rows) sb.AppendLine(Format(r));
        return sb.ToString();
    }
}
