using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace Vinfer.Distributed;

/// <summary>
/// MPI_COMM_WORLD of a job started by <c>mpirun</c> (the MPI standard, version 3.1, chapters 5 and 8), through
/// OpenMPI's C library (<see cref="MpiNative"/>). <see cref="Initialize"/> calls MPI_Init_thread once per process;
/// disposing calls MPI_Finalize. Buffers are summed in place (MPI_IN_PLACE), so an allreduce of n doubles moves
/// n doubles per process and allocates nothing.
/// </summary>
public sealed unsafe class MpiCommunicator : ICommunicator, IDisposable
{
    private readonly IntPtr _world;
    private readonly IntPtr _double;
    private readonly IntPtr _sum;
    private readonly IntPtr _max;
    private static MpiCommunicator? _instance;
    private bool _finalized;

    private MpiCommunicator()
    {
        _world = MpiNative.Handle("ompi_mpi_comm_world");
        _double = MpiNative.Handle("ompi_mpi_double");
        _sum = MpiNative.Handle("ompi_mpi_op_sum");
        _max = MpiNative.Handle("ompi_mpi_op_max");
        Check(MpiNative.Initialized(out int initialized), "MPI_Initialized");
        if (initialized == 0) Check(MpiNative.InitThread(IntPtr.Zero, IntPtr.Zero, MpiNative.ThreadSerialized, out _), "MPI_Init_thread");
        Check(MpiNative.CommRank(_world, out int rank), "MPI_Comm_rank");
        Check(MpiNative.CommSize(_world, out int size), "MPI_Comm_size");
        Rank = rank;
        Size = size;
    }

    /// <summary>
    /// True when this process was started by OpenMPI's <c>mpirun</c> (it sets OMPI_COMM_WORLD_SIZE), so MPI_Init
    /// joins a job rather than starting a singleton.
    /// </summary>
    public static bool IsLaunchedByMpirun => Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_SIZE") is { Length: > 0 };

    /// <summary>
    /// The world communicator of this process (MPI is initialized on the first call). Throws
    /// <see cref="InvalidOperationException"/> naming the cause when the process was not started by mpirun or
    /// libmpi.so.40 (Debian's libopenmpi3 / openmpi-bin) cannot be loaded.
    /// </summary>
    public static MpiCommunicator Initialize()
    {
        if (_instance is { } existing) return existing;
        if (!IsLaunchedByMpirun)
            throw new InvalidOperationException("MPI: this process was not started by mpirun (OMPI_COMM_WORLD_SIZE is not set); run it as `mpirun -np P …`.");
        try
        {
            return _instance = new MpiCommunicator();
        }
        catch (DllNotFoundException e)
        {
            throw new InvalidOperationException($"MPI: cannot load {MpiNative.Library} (install openmpi-bin and libopenmpi-dev): {e.Message}", e);
        }
    }

    /// <inheritdoc/>
    public int Rank { get; }

    /// <inheritdoc/>
    public int Size { get; }

    /// <inheritdoc/>
    public CommunicationStatistics Statistics { get; } = new();

    /// <inheritdoc/>
    public void AllreduceSum(Span<double> values) => Allreduce(values, _sum, "MPI_Allreduce(SUM)");

    /// <inheritdoc/>
    public void AllreduceMax(Span<double> values) => Allreduce(values, _max, "MPI_Allreduce(MAX)");

    private void Allreduce(Span<double> values, IntPtr op, string what)
    {
        long start = Stopwatch.GetTimestamp();
        if (values.Length > 0)
            fixed (double* p = values)
                Check(MpiNative.Allreduce(MpiNative.InPlace, p, values.Length, _double, op, _world), what);
        Statistics.RecordAllreduce(values.Length, start);
    }

    /// <inheritdoc/>
    public void Broadcast(Span<double> values, int root)
    {
        if (root < 0 || root >= Size) throw new ArgumentOutOfRangeException(nameof(root), root, $"Broadcast: root must be a rank in 0…{Size - 1}.");
        long start = Stopwatch.GetTimestamp();
        if (values.Length > 0)
            fixed (double* p = values)
                Check(MpiNative.Bcast(p, values.Length, _double, root, _world), "MPI_Bcast");
        Statistics.RecordBroadcast(start);
    }

    /// <inheritdoc/>
    public void Gather(ReadOnlySpan<double> local, Span<double> gathered, ReadOnlySpan<int> counts, int root)
    {
        if (root < 0 || root >= Size) throw new ArgumentOutOfRangeException(nameof(root), root, $"Gather: root must be a rank in 0…{Size - 1}.");
        if (counts.Length != Size) throw new ArgumentException($"Gather: {counts.Length} counts for {Size} ranks.", nameof(counts));
        if (counts[Rank] != local.Length) throw new ArgumentException($"Gather: rank {Rank} sends {local.Length} values but counts[{Rank}] is {counts[Rank]}.", nameof(local));
        var displacements = new int[Size];
        long total = 0;
        for (int r = 0; r < Size; r++)
        {
            if (counts[r] < 0) throw new ArgumentException($"Gather: counts[{r}] is {counts[r]}, expected 0 or more.", nameof(counts));
            displacements[r] = (int)total;
            total += counts[r];
        }
        if (total > int.MaxValue) throw new ArgumentException($"Gather: {total} values in all, more than MPI's int count allows.", nameof(counts));
        if (Rank == root && gathered.Length != total)
            throw new ArgumentException($"Gather: the root's destination holds {gathered.Length} values, the counts add to {total}.", nameof(gathered));
        long start = Stopwatch.GetTimestamp();
        Span<double> none = [0];
        var destination = Rank == root ? gathered : none;
        fixed (double* send = local)
        fixed (double* receive = destination)
        fixed (int* receiveCounts = counts)
        fixed (int* offsets = displacements)
            Check(MpiNative.Gatherv(send, local.Length, _double, receive, receiveCounts, offsets, _double, root, _world), "MPI_Gatherv");
        Statistics.RecordGather(local.Length, start);
    }

    /// <inheritdoc/>
    public void Barrier()
    {
        long start = Stopwatch.GetTimestamp();
        Check(MpiNative.Barrier(_world), "MPI_Barrier");
        Statistics.RecordOther(start);
    }

    /// <inheritdoc/>
    [DoesNotReturn]
    public void Abort(int exitCode)
    {
        Console.Out.Flush();
        Console.Error.Flush();
        MpiNative.Abort(_world, exitCode);
        Environment.Exit(exitCode); // MPI_Abort does not return; this satisfies the compiler and any MPI that does
    }

    /// <summary>Calls MPI_Finalize (once); every process of the job must call it.</summary>
    public void Dispose()
    {
        if (_finalized) return;
        _finalized = true;
        Check(MpiNative.Finalized(out int done), "MPI_Finalized");
        if (done == 0) Check(MpiNative.Finalize(), "MPI_Finalize");
        _instance = null;
    }

    private static void Check(int code, string call)
    {
        // MPI_SUCCESS is 0; the default error handler (MPI_ERRORS_ARE_FATAL) aborts before most errors return here
        if (code != 0) throw new InvalidOperationException($"MPI: {call} returned error code {code}.");
    }
}
