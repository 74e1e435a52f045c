using Vinfer.Guides;
using Vinfer.Modeling;

namespace Vinfer.Inference;

/// <summary>The outcome of multi-path <see cref="Pathfinder.Run"/>.</summary>
public sealed class PathfinderResult
{
    internal PathfinderResult(IReadOnlyList<PathfinderPath> paths, PosteriorDraws proposals, PosteriorDraws draws, double kHat,
        AutoMultivariateNormal bestGuide, ParamStore bestStore, long gradientEvaluations, long densityEvaluations, double seconds)
    {
        Paths = paths;
        Proposals = proposals;
        Draws = draws;
        KHat = kHat;
        BestGuide = bestGuide;
        BestStore = bestStore;
        GradientEvaluations = gradientEvaluations;
        DensityEvaluations = densityEvaluations;
        Seconds = seconds;
    }

    /// <summary>Every path, failed ones included.</summary>
    public IReadOnlyList<PathfinderPath> Paths { get; }

    /// <summary>The path whose chosen approximation has the highest ELBO.</summary>
    public PathfinderPath Best => Paths.Where(p => p.Succeeded).MaxBy(p => p.BestElbo)!;

    /// <summary>All paths' draws (M per successful path), each with log p and its own path's log q.</summary>
    public PosteriorDraws Proposals { get; }

    /// <summary>The draws resampled from <see cref="Proposals"/> by their Pareto-smoothed importance weights.</summary>
    public PosteriorDraws Draws { get; }

    /// <summary>PSIS k̂ of the pooled importance ratios.</summary>
    public double KHat { get; }

    /// <summary>A full-rank guide at the best path's approximation (<see cref="Pathfinder.GuideAt"/>), with its parameters in <see cref="BestStore"/>.</summary>
    public AutoMultivariateNormal BestGuide { get; }

    /// <summary>The parameters of <see cref="BestGuide"/>.</summary>
    public ParamStore BestStore { get; }

    /// <summary>Log-density evaluations with a gradient (the L-BFGS paths and the starts).</summary>
    public long GradientEvaluations { get; }

    /// <summary>Log-density evaluations without a gradient (the ELBO estimates along the paths and the final draws).</summary>
    public long DensityEvaluations { get; }

    /// <summary>Wall time.</summary>
    public double Seconds { get; }
}
