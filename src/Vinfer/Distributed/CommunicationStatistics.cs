using System.Diagnostics;

namespace Vinfer.Distributed;

/// <summary>
/// What a communicator's collectives cost so far: how many allreduces, broadcasts and gathers ran, how many doubles they
/// carried (the length of the buffer, per call) and the wall time spent inside them (waiting for the slowest process
/// included). Read by <c>vinfer fit --distributed</c> to report the time in communication.
/// </summary>
public sealed class CommunicationStatistics
{
    private long _ticks;

    /// <summary>Allreduce calls.</summary>
    public long Allreduces { get; private set; }

    /// <summary>Doubles passed to allreduce (sum of the buffer lengths).</summary>
    public long AllreducedDoubles { get; private set; }

    /// <summary>Broadcast calls.</summary>
    public long Broadcasts { get; private set; }

    /// <summary>Gather calls.</summary>
    public long Gathers { get; private set; }

    /// <summary>Doubles this process sent to a gather (its own contributions).</summary>
    public long GatheredDoubles { get; private set; }

    /// <summary>Seconds spent inside the collectives.</summary>
    public double Seconds => (double)_ticks / Stopwatch.Frequency;

    /// <summary>Bytes passed to allreduce (8 per double).</summary>
    public long AllreducedBytes => AllreducedDoubles * sizeof(double);

    internal void RecordAllreduce(int count, long startTimestamp)
    {
        Allreduces++;
        AllreducedDoubles += count;
        _ticks += Stopwatch.GetTimestamp() - startTimestamp;
    }

    internal void RecordBroadcast(long startTimestamp)
    {
        Broadcasts++;
        _ticks += Stopwatch.GetTimestamp() - startTimestamp;
    }

    internal void RecordGather(int count, long startTimestamp)
    {
        Gathers++;
        GatheredDoubles += count;
        _ticks += Stopwatch.GetTimestamp() - startTimestamp;
    }

    internal void RecordOther(long startTimestamp) => _ticks += Stopwatch.GetTimestamp() - startTimestamp;

    /// <summary>Forgets the counts so far (to measure one phase).</summary>
    public void Reset()
    {
        Allreduces = 0;
        AllreducedDoubles = 0;
        Broadcasts = 0;
        Gathers = 0;
        GatheredDoubles = 0;
        _ticks = 0;
    }
}
