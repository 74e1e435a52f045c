using System.Runtime.InteropServices;

namespace Vinfer.Distributed;

/// <summary>
/// The OpenMPI entry points <see cref="MpiCommunicator"/> calls, bound by P/Invoke to libmpi.so.40 (OpenMPI 4.x).
/// MPI.NET 1.4.0 is not used: on Linux it looks for Microsoft MPI's libmsmpi.dll and passes MPICH-style integer
/// handles, while OpenMPI's MPI_COMM_WORLD, MPI_DOUBLE and MPI_SUM are addresses of exported objects
/// (ompi_mpi_comm_world, ompi_mpi_double, ompi_mpi_op_sum), resolved here with <see cref="NativeLibrary.GetExport"/>.
/// </summary>
internal static unsafe partial class MpiNative
{
    internal const string Library = "libmpi.so.40";

    /// <summary>MPI_IN_PLACE in OpenMPI's mpi.h: ((void *) 1).</summary>
    internal static readonly void* InPlace = (void*)1;

    /// <summary>MPI_THREAD_SERIALIZED: any thread may call, one at a time.</summary>
    internal const int ThreadSerialized = 2;

    [LibraryImport(Library, EntryPoint = "MPI_Init_thread")]
    internal static partial int InitThread(IntPtr argc, IntPtr argv, int required, out int provided);

    [LibraryImport(Library, EntryPoint = "MPI_Initialized")]
    internal static partial int Initialized(out int flag);

    [LibraryImport(Library, EntryPoint = "MPI_Finalized")]
    internal static partial int Finalized(out int flag);

    [LibraryImport(Library, EntryPoint = "MPI_Finalize")]
    internal static partial int Finalize();

    [LibraryImport(Library, EntryPoint = "MPI_Comm_rank")]
    internal static partial int CommRank(IntPtr comm, out int rank);

    [LibraryImport(Library, EntryPoint = "MPI_Comm_size")]
    internal static partial int CommSize(IntPtr comm, out int size);

    [LibraryImport(Library, EntryPoint = "MPI_Allreduce")]
    internal static partial int Allreduce(void* sendBuffer, void* receiveBuffer, int count, IntPtr datatype, IntPtr op, IntPtr comm);

    [LibraryImport(Library, EntryPoint = "MPI_Bcast")]
    internal static partial int Bcast(void* buffer, int count, IntPtr datatype, int root, IntPtr comm);

    [LibraryImport(Library, EntryPoint = "MPI_Barrier")]
    internal static partial int Barrier(IntPtr comm);

    [LibraryImport(Library, EntryPoint = "MPI_Abort")]
    internal static partial int Abort(IntPtr comm, int errorCode);

    /// <summary>The address of an exported predefined object (OpenMPI's handles are these addresses).</summary>
    internal static IntPtr Handle(string symbol)
    {
        var library = NativeLibrary.Load(Library, typeof(MpiNative).Assembly, null);
        return NativeLibrary.GetExport(library, symbol);
    }
}
