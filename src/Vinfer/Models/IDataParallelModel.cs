using Vinfer.Data;
using Vinfer.Distributed;

namespace Vinfer.Models;

/// <summary>
/// A built-in model whose likelihood is a sum over rows of its data, so each process of a data-parallel fit can own a
/// block of rows (<see cref="RowRange"/>). The bound program samples every latent on every process from the same
/// random stream (global latents, and the per-row latents of a hierarchical model, keyed by their global index, so
/// their draws do not depend on the number of processes) and enters only its own rows' likelihood, between
/// <see cref="DataParallel.Replicate"/> and <see cref="DataParallel.SumOverRanks"/>: every process then sees the
/// full-data log-density and gradient.
/// </summary>
public interface IDataParallelModel
{
    /// <summary>The integer data field that counts the rows (N, J…).</summary>
    string RowCountField { get; }

    /// <summary>
    /// The model program on <paramref name="shard"/>, this process's <paramref name="rows"/> of the data
    /// (<see cref="StanDataRows.Take"/>), in a fit over <paramref name="communicator"/>'s processes.
    /// </summary>
    Action BindShard(StanData shard, RowRange rows, ICommunicator communicator);
}
