using System.Text.Json.Nodes;
using Vinfer.Distributed;
using Vinfer.Modeling;

namespace Vinfer.Guides;

/// <summary>
/// The family of a data-parallel fit with per-row ("local") latents: <see cref="Global"/> (mean-field, low-rank or
/// full-rank Gaussian) over the global latents, identical on every process, and a mean-field normal block over each
/// local latent's own rows, held only by the process that owns them (<see cref="BlockGuide"/>; the structure of
/// Hoffman et al., "Stochastic variational inference", JMLR 2013: global parameters shared, local parameters per data
/// point). It has no Pathfinder start (Pathfinder's L-BFGS would need every coordinate on every process): the fit
/// starts at the origin of the unconstrained space, Stan's default.
/// </summary>
public sealed class BlockFamily : VariationalFamily
{
    /// <summary>
    /// <paramref name="global"/> over the global latents; the latent sites named in <paramref name="localSites"/>
    /// (real vectors over this process's <paramref name="rows"/>, drawn in the model from <see cref="Distributions.RowBlockNormal"/>)
    /// get a local mean-field block; the other site names of <paramref name="localSites"/> (deterministic sites indexed
    /// by row) are only gathered for the results.
    /// </summary>
    public BlockFamily(VariationalFamily global, IReadOnlyList<string> localSites, RowRange rows, ICommunicator communicator)
    {
        ArgumentNullException.ThrowIfNull(global);
        ArgumentNullException.ThrowIfNull(localSites);
        ArgumentNullException.ThrowIfNull(communicator);
        if (global is not (MeanFieldFamily or LowRankFamily or FullRankFamily))
            throw new ArgumentException($"BlockFamily: the global latents' family must be meanfield, lowrank or fullrank, got '{global.Name}'.", nameof(global));
        if (localSites.Count == 0) throw new ArgumentException("BlockFamily: no local sites named.", nameof(localSites));
        Global = global;
        LocalSites = localSites;
        Rows = rows;
        Communicator = communicator;
    }

    /// <summary>The family of the global latents.</summary>
    public VariationalFamily Global { get; }

    /// <summary>The sites indexed by row (local latents and deterministic functions of them).</summary>
    public IReadOnlyList<string> LocalSites { get; }

    /// <summary>The rows this process owns.</summary>
    public RowRange Rows { get; }

    /// <summary>The processes of the fit.</summary>
    public ICommunicator Communicator { get; }

    /// <summary>The prefix of the local blocks' parameters.</summary>
    public const string LocalPrefix = "BlockGuide.local";

    /// <summary>The name of a local latent's location block (one value per own row).</summary>
    public static string LocationName(string site) => $"{LocalPrefix}.loc.{site}";

    /// <summary>The name of a local latent's scale block (positive, one value per own row).</summary>
    public static string ScaleName(string site) => $"{LocalPrefix}.scale.{site}";

    /// <summary>True for a parameter of a local block (its first dimension is the own rows).</summary>
    public static bool IsLocalParameter(string name) => name.StartsWith(LocalPrefix + ".", StringComparison.Ordinal);

    /// <inheritdoc/>
    public override string Name => Global.Name;

    /// <inheritdoc/>
    public override string FileFamily => "BlockGuide";

    /// <inheritdoc/>
    public override string Description => $"{Global.Description} over the global latents; a mean-field block per process over its rows' local latents";

    /// <inheritdoc/>
    public override bool SupportsStickingTheLanding => Global.SupportsStickingTheLanding;

    /// <inheritdoc/>
    public override bool ElboUsesStickingTheLanding => Global.ElboUsesStickingTheLanding;

    /// <inheritdoc/>
    public override string? WhyNoStickingTheLanding => Global.WhyNoStickingTheLanding;

    /// <inheritdoc/>
    public override double LearningRateFactor => Global.LearningRateFactor;

    /// <inheritdoc/>
    public override AutoGuide Create(Action model, FamilyOptions options) => new BlockGuide(model, this, options ?? new FamilyOptions());

    /// <summary>Not supported: a block guide's local parameters are spread over processes; it is not saved as one file.</summary>
    public override AutoGuide Load(IReadOnlyList<LatentSite> latents, int maxPlateNesting, string prefix, JsonObject settings) =>
        throw new NotSupportedException("BlockFamily: a block guide is not loaded from a file (its local parameters live on the processes that own their rows).");
}
