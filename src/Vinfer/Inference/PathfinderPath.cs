using Vinfer.Optim;

namespace Vinfer.Inference;

/// <summary>One path of <see cref="Pathfinder"/>: where it started, the ELBO of the normal approximation at each L-BFGS iterate, and the one chosen.</summary>
public sealed class PathfinderPath
{
    internal PathfinderPath(int index, double[] start, int initAttempts, IReadOnlyList<double> elbos, int bestIterate, PathfinderNormal? best,
        int iterations, LbfgsStop? stop, string? failure)
    {
        Index = index;
        Start = start;
        InitAttempts = initAttempts;
        Elbos = elbos;
        BestIterate = bestIterate;
        Approximation = best;
        Iterations = iterations;
        Stop = stop;
        Failure = failure;
    }

    /// <summary>The path's number (0-based).</summary>
    public int Index { get; }

    /// <summary>The initial point (unconstrained).</summary>
    public double[] Start { get; }

    /// <summary>How many initial points were drawn before one had a finite log density and gradient.</summary>
    public int InitAttempts { get; }

    /// <summary>The ELBO estimate at iterates 1, 2, … (−∞ where the approximation could not be formed or a draw had no density).</summary>
    public IReadOnlyList<double> Elbos { get; }

    /// <summary>The iterate (1-based) whose approximation has the highest ELBO; 0 when the path failed.</summary>
    public int BestIterate { get; }

    /// <summary>The highest ELBO estimate (−∞ for a failed path).</summary>
    public double BestElbo => BestIterate > 0 ? Elbos[BestIterate - 1] : double.NegativeInfinity;

    /// <summary>The chosen normal approximation; null when the path failed.</summary>
    public PathfinderNormal? Approximation { get; }

    /// <summary>L-BFGS iterations taken.</summary>
    public int Iterations { get; }

    /// <summary>Why L-BFGS stopped; null when it failed (see <see cref="Failure"/>).</summary>
    public LbfgsStop? Stop { get; }

    /// <summary>What went wrong (a line search that failed after some iterations, or no usable start); null otherwise.</summary>
    public string? Failure { get; }

    /// <summary>True when the path produced an approximation.</summary>
    public bool Succeeded => Approximation is not null;
}
