using System.Runtime.InteropServices;

namespace TinyAutograd.Distributed.Mpi;

/// <summary>
/// The few MPI functions data-parallel training needs, bound to Open MPI's <c>libmpi</c> (loaded at run time by
/// <see cref="MpiLibrary"/>). Every call returns MPI_SUCCESS (0) or an error code; the default error handler of
/// Open MPI aborts the job on errors, so the codes are checked only as a second line of defence.
/// </summary>
/// <remarks>Handles (communicator, datatype, operation, request) are pointers in Open MPI.</remarks>
internal static unsafe partial class MpiNative
{
    /// <summary>The name the imports use; <see cref="MpiLibrary"/> resolves it to the installed library.</summary>
    public const string Library = "mpi";

    [LibraryImport(Library, EntryPoint = "MPI_Initialized")]
    public static partial int Initialized(int* flag);

    [LibraryImport(Library, EntryPoint = "MPI_Finalized")]
    public static partial int Finalized(int* flag);

    /// <summary>MPI_THREAD_SERIALIZED: any thread may call MPI, one at a time.</summary>
    public const int ThreadSerialized = 2;

    [LibraryImport(Library, EntryPoint = "MPI_Init_thread")]
    public static partial int InitThread(int* argc, byte*** argv, int required, int* provided);

    [LibraryImport(Library, EntryPoint = "MPI_Finalize")]
    public static partial int Finalize();

    [LibraryImport(Library, EntryPoint = "MPI_Abort")]
    public static partial int Abort(nint communicator, int errorCode);

    [LibraryImport(Library, EntryPoint = "MPI_Comm_rank")]
    public static partial int CommRank(nint communicator, int* rank);

    [LibraryImport(Library, EntryPoint = "MPI_Comm_size")]
    public static partial int CommSize(nint communicator, int* size);

    [LibraryImport(Library, EntryPoint = "MPI_Ibcast")]
    public static partial int Ibcast(void* buffer, int count, nint datatype, int root, nint communicator, nint* request);

    [LibraryImport(Library, EntryPoint = "MPI_Iallreduce")]
    public static partial int Iallreduce(void* send, void* receive, int count, nint datatype, nint operation, nint communicator, nint* request);

    [LibraryImport(Library, EntryPoint = "MPI_Iallgather")]
    public static partial int Iallgather(void* send, int sendCount, nint sendType, void* receive, int receiveCount, nint receiveType, nint communicator, nint* request);

    [LibraryImport(Library, EntryPoint = "MPI_Ibarrier")]
    public static partial int Ibarrier(nint communicator, nint* request);

    /// <summary>MPI_Test with MPI_STATUS_IGNORE (a null pointer in Open MPI).</summary>
    [LibraryImport(Library, EntryPoint = "MPI_Test")]
    public static partial int Test(nint* request, int* flag, void* status);
}
