using System.Diagnostics.CodeAnalysis;

namespace Vinfer.Distributed;

/// <summary>
/// The few collective operations data-parallel inference needs (the MPI standard's MPI_Allreduce, MPI_Bcast,
/// MPI_Gatherv, MPI_Barrier, MPI_Abort over a group of <see cref="Size"/> processes): every process of the group calls each
/// collective in the same order with buffers of the same length. <see cref="SingleProcessCommunicator"/> is the group
/// of one; <see cref="MpiCommunicator"/> is MPI_COMM_WORLD of a job started by <c>mpirun</c>.
/// </summary>
public interface ICommunicator
{
    /// <summary>This process's index in the group, 0 … <see cref="Size"/> − 1.</summary>
    int Rank { get; }

    /// <summary>The number of processes in the group.</summary>
    int Size { get; }

    /// <summary>Replaces <paramref name="values"/> on every process by their elementwise sum over the processes.</summary>
    void AllreduceSum(Span<double> values);

    /// <summary>Replaces <paramref name="values"/> on every process by their elementwise maximum over the processes.</summary>
    void AllreduceMax(Span<double> values);

    /// <summary>Copies <paramref name="values"/> of process <paramref name="root"/> to every other process.</summary>
    void Broadcast(Span<double> values, int root);

    /// <summary>
    /// Collects every process's <paramref name="local"/> on process <paramref name="root"/> (MPI_Gatherv): there
    /// <paramref name="gathered"/> receives process 0's values, then process 1's, … (<paramref name="counts"/>[r]
    /// values from process r, whose sum is <paramref name="gathered"/>'s length); elsewhere <paramref name="gathered"/>
    /// is not touched and may be empty. Every process passes the same <paramref name="counts"/>, and
    /// <paramref name="local"/> has <paramref name="counts"/>[Rank] values.
    /// </summary>
    void Gather(ReadOnlySpan<double> local, Span<double> gathered, ReadOnlySpan<int> counts, int root);

    /// <summary>Returns once every process of the group has called it.</summary>
    void Barrier();

    /// <summary>Ends every process of the group with <paramref name="exitCode"/> (a failure no collective can recover from).</summary>
    [DoesNotReturn]
    void Abort(int exitCode);

    /// <summary>Calls, doubles moved and seconds spent in the collectives so far.</summary>
    CommunicationStatistics Statistics { get; }
}
