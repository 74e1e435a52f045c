using System.CommandLine;
using System.Globalization;
using Vinfer.Guides;
using Vinfer.Inference;
using Vinfer.Tensors.Kernels;

namespace Vinfer.Cli.Commands;

/// <summary>
/// Settings of the built-in models' fit beyond the family and objective: <c>--learning-rate</c>, <c>--min-particles</c>, <c>--quiet</c>,
/// <c>--threads</c> (shared with lda), and the check that a low-rank factor's rank does not exceed the model's
/// unconstrained dimension (a larger rank only adds redundant columns, and the fit diverged with them).
/// </summary>
internal static class ModelFitSettings
{
    /// <summary>Adam's base learning rate.</summary>
    public static readonly Option<double?> LearningRate = new("--learning-rate")
    {
        Description = "Adam's base learning rate, decayed as rate / (1 + 1e-3·step)^0.5 (default 0.05; flows and SVGD scale it by their own factor).",
    };

    /// <summary>The fewest particles of the ELBO's particle schedule.</summary>
    public static readonly Option<int?> MinParticles = new("--min-particles")
    {
        Description = "ELBO fits stopped by the convergence rule: the fewest particles per step while the ELBO still changes a lot, rising to --particles as its relative change falls to --tol (default 1; equal to --particles: a fixed count).",
    };

    /// <summary>No progress display.</summary>
    public static readonly Option<bool> Quiet = new("--quiet", "-q") { Description = "No progress bar or progress lines; the summary and errors are still printed." };

    /// <summary>Adds the options to the fit command.</summary>
    public static void AddOptions(Command fit)
    {
        fit.Options.Add(LearningRate);
        fit.Options.Add(MinParticles);
        fit.Options.Add(Quiet);
    }

    /// <summary>The options with the learning rate and thread cap applied and the rank checked against the model.</summary>
    public static FitOptions Apply(ParseResult pr, FitOptions options, Action program)
    {
        if (pr.GetValue(LearningRate) is { } rate)
        {
            if (!(double.IsFinite(rate) && rate > 0))
                throw new ArgumentException($"--learning-rate is {rate.ToString(CultureInfo.InvariantCulture)}, expected a positive finite number.");
            options = options with { LearningRate = rate };
        }
        if (pr.GetValue(MinParticles) is { } minimum)
        {
            if (minimum < 1 || minimum > options.Particles)
                throw new ArgumentException($"--min-particles is {minimum}, expected a number from 1 to --particles ({options.Particles}).");
            options = options with { MinimumParticles = minimum };
        }
        ApplyThreads(pr);
        if (options.Family == VariationalFamilies.LowRank)
        {
            int dimension = ModelPrototype.Capture(program).Latents.Sum(l => l.UnconstrainedCount);
            if (options.Rank > dimension)
                throw new ArgumentException($"--rank is {options.Rank}, larger than the model's {dimension} unconstrained dimensions; use at most {dimension} (or --family fullrank).");
        }
        return options;
    }

    /// <summary>--threads: the managed kernels' thread cap.</summary>
    public static void ApplyThreads(ParseResult pr)
    {
        if (pr.GetValue(LdaFit.Threads) is not { } threads) return;
        if (threads < 1) throw new ArgumentException($"--threads is {threads}, expected at least 1.");
        Blas.MaxThreads = threads;
    }

    /// <summary>True when progress is to be shown (no --quiet).</summary>
    public static bool ShowProgress(ParseResult pr) => !pr.GetValue(Quiet);
}
