using System.Runtime.InteropServices;

namespace Vinfer.Distributed;

/// <summary>
/// The OpenMPI entry points <see cref="MpiCommunicator"/> calls, bound by P/Invoke to libmpi.so.40 (OpenMPI 4.x).
/// MPI.NET 1.4.0 is not used: on Linux it looks for Microsoft MPI's libmsmpi.dll and passes MPICH-style integer
/// handles, while OpenMPI's MPI_COMM_WORLD, MPI_DOUBLE and MPI_SUM are addresses of exported objects
/// (ompi_mpi_comm_world, ompi_mpi_double, ompi_mpi_op_sum), resolved here with <see cref="NativeLibrary.GetExport"/>.
/// </summary>
internal static unsafe class MpiNative
{
    internal const string Library = "libmpi.so.40";

    /// <summary>MPI_IN_PLACE in OpenMPI's mpi.h: ((void *) 1).</summary>
    internal static readonly void* InPlace = (void*)1;

    /// <summary>MPI_THREAD_SERIALIZED: any thread may call, one at a time.</summary>
    internal const int ThreadSerialized = 2;

    [DllImport(Library, EntryPoint = "MPI_Init_thread", ExactSpelling = true)]
    internal static extern int InitThread(IntPtr argc, IntPtr argv, int required, out int provided);

    [DllImport(Library, EntryPoint = "MPI_Initialized", ExactSpelling = true)]
    internal static extern int Initialized(out int flag);

    [DllImport(Library, EntryPoint = "MPI_Finalized", ExactSpelling = true)]
    internal static extern int Finalized(out int flag);

    [DllImport(Library, EntryPoint = "MPI_Finalize", ExactSpelling = true)]
    internal static extern int Finalize();

    [DllImport(Library, EntryPoint = "MPI_Comm_rank", ExactSpelling = true)]
    internal static extern int CommRank(IntPtr comm, out int rank);

    [DllImport(Library, EntryPoint = "MPI_Comm_size", ExactSpelling = true)]
    internal static extern int CommSize(IntPtr comm, out int size);

    [DllImport(Library, EntryPoint = "MPI_Allreduce", ExactSpelling = true)]
    internal static extern int Allreduce(void* sendBuffer, void* receiveBuffer, int count, IntPtr datatype, IntPtr op, IntPtr comm);

    [DllImport(Library, EntryPoint = "MPI_Bcast", ExactSpelling = true)]
    internal static extern int Bcast(void* buffer, int count, IntPtr datatype, int root, IntPtr comm);

    [DllImport(Library, EntryPoint = "MPI_Gatherv", ExactSpelling = true)]
    internal static extern int Gatherv(void* sendBuffer, int sendCount, IntPtr sendType, void* receiveBuffer, int* receiveCounts, int* displacements, IntPtr receiveType, int root, IntPtr comm);

    [DllImport(Library, EntryPoint = "MPI_Barrier", ExactSpelling = true)]
    internal static extern int Barrier(IntPtr comm);

    [DllImport(Library, EntryPoint = "MPI_Abort", ExactSpelling = true)]
    internal static extern int Abort(IntPtr comm, int errorCode);

    /// <summary>The address of an exported predefined object (OpenMPI's handles are these addresses).</summary>
    internal static IntPtr Handle(string symbol)
    {
        var library = NativeLibrary.Load(Library, typeof(MpiNative).Assembly, null);
        return NativeLibrary.GetExport(library, symbol);
    }
}
