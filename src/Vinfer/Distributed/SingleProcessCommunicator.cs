using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace Vinfer.Distributed;

/// <summary>
/// The group of one process: every collective leaves its buffer as it is. A data-parallel program run with it computes
/// exactly what the same program computes without any communicator.
/// </summary>
public sealed class SingleProcessCommunicator : ICommunicator
{
    /// <summary>The shared instance.</summary>
    public static SingleProcessCommunicator Instance { get; } = new();

    /// <inheritdoc/>
    public int Rank => 0;

    /// <inheritdoc/>
    public int Size => 1;

    /// <inheritdoc/>
    public CommunicationStatistics Statistics { get; } = new();

    /// <inheritdoc/>
    public void AllreduceSum(Span<double> values) => Statistics.RecordAllreduce(values.Length, Stopwatch.GetTimestamp());

    /// <inheritdoc/>
    public void AllreduceMax(Span<double> values) => Statistics.RecordAllreduce(values.Length, Stopwatch.GetTimestamp());

    /// <inheritdoc/>
    public void Broadcast(Span<double> values, int root)
    {
        if (root != 0) throw new ArgumentOutOfRangeException(nameof(root), root, "Broadcast: the only process is rank 0.");
        Statistics.RecordBroadcast(Stopwatch.GetTimestamp());
    }

    /// <inheritdoc/>
    public void Gather(ReadOnlySpan<double> local, Span<double> gathered, ReadOnlySpan<int> counts, int root)
    {
        if (root != 0) throw new ArgumentOutOfRangeException(nameof(root), root, "Gather: the only process is rank 0.");
        if (counts.Length != 1 || counts[0] != local.Length || gathered.Length != local.Length)
            throw new ArgumentException($"Gather: counts must be [{local.Length}] and the destination {local.Length} long, got {counts.Length} counts and {gathered.Length} places.", nameof(counts));
        local.CopyTo(gathered);
        Statistics.RecordGather(local.Length, Stopwatch.GetTimestamp());
    }

    /// <inheritdoc/>
    public void Barrier() { }

    /// <inheritdoc/>
    [DoesNotReturn]
    public void Abort(int exitCode) => Environment.Exit(exitCode);
}
