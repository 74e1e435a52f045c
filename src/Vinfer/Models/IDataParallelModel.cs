using Vinfer.Data;
using Vinfer.Distributed;

namespace Vinfer.Models;

/// <summary>
/// A built-in model whose likelihood is a sum over rows of its data, so each process of a data-parallel fit can own a
/// block of rows (<see cref="RowRange"/>). The bound program samples every global latent on every process from the same
/// random stream, the per-row latents of a hierarchical model (<see cref="LocalSites"/>) for its own rows only (keyed
/// by their global index, so their draws do not depend on the number of processes), and enters only its own rows' terms, between
/// <see cref="DataParallel.Replicate"/> and <see cref="DataParallel.SumOverRanks"/>: every process then sees the
/// full-data log-density and gradient.
/// </summary>
public interface IDataParallelModel
{
    /// <summary>The integer data field that counts the rows (N, J…).</summary>
    string RowCountField { get; }

    /// <summary>
    /// The sites of the bound program indexed by row: its per-row latents (each drawn from a
    /// <see cref="Distributions.RowBlockNormal"/> over the process's own rows, so that a <see cref="Guides.BlockFamily"/>
    /// guide keeps their variational parameters on the owning process only) and deterministic functions of them.
    /// Empty (the default) for a model whose latents are all global.
    /// </summary>
    IReadOnlyList<string> LocalSites => [];

    /// <summary>
    /// The model program on <paramref name="shard"/>, this process's <paramref name="rows"/> of the data
    /// (<see cref="StanDataRows.Take"/>), in a fit over <paramref name="communicator"/>'s processes.
    /// </summary>
    Action BindShard(StanData shard, RowRange rows, ICommunicator communicator);
}
