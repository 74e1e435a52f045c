namespace Vinfer.Random;

/// <summary>
/// The fold keys that derive one purpose's random stream from a run's seed (<see cref="RandomKey.Fold"/>), kept in one
/// place so no two purposes share a stream by accident. The values spell their purpose in ASCII.
/// </summary>
public static class StreamTags
{
    /// <summary>Posterior draws after a fit ("DRAW").</summary>
    public const int PosteriorDraws = 0x44524157;

    /// <summary>The iterate-averaging phase after optimization ("AVGR").</summary>
    public const int IterateAveraging = 0x41564752;

    /// <summary>The objective estimates a convergence check records, per step (folded into the step's key).</summary>
    public const int ConvergenceCheck = -1;

    /// <summary>
    /// The draws every convergence check of one run shares ("EVAL"): common random numbers, so that the change between
    /// two checks is the objective's change, not the difference of two independent Monte Carlo errors.
    /// </summary>
    public const int ConvergenceDraws = 0x4556414C;

    /// <summary>The small random start of a low-rank covariance factor ("LOWR").</summary>
    public const int LowRankFactorInit = 0x4C4F5752;

    /// <summary>The initial positions of SVGD particles ("SVGD").</summary>
    public const int ParticleInit = 0x53564744;

    /// <summary>A stream split off another (<see cref="RandomStream.Split"/>; "SPLT").</summary>
    public const int Split = 0x53504C54;

    /// <summary>Pathfinder's initial points, ELBO draws and approximation draws ("PATH").</summary>
    public const int Pathfinder = 0x50415448;

    /// <summary>The uniform(−r, r) initialization of a restart's guide location.</summary>
    public const int RestartInit = 0x52535452;
}
