using System.Runtime.InteropServices;

namespace TinyAutograd.Distributed.Mpi;

/// <summary>
/// Finds the system's Open MPI library at run time and reads the handles it exports: Open MPI's predefined handles
/// (MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM, …) are the addresses of global objects named <c>ompi_mpi_*</c>.
/// </summary>
internal static class MpiLibrary
{
    /// <summary>The Debian packages that provide the library and the launcher.</summary>
    public const string Packages = "openmpi-bin libopenmpi-dev";

    /// <summary>The install command named in error messages.</summary>
    public const string InstallCommand = "sudo apt-get install " + Packages;

    private static readonly string[] s_candidates = ["libmpi.so.40", "libmpi.so"];
    private static readonly Lazy<Handles> s_handles = new(() => Load(s_candidates), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The loaded library's handles; loads it on first use.</summary>
    /// <exception cref="DllNotFoundException">No Open MPI library is installed; the message names the packages.</exception>
    public static Handles Get() => s_handles.Value;

    /// <summary>Loads the first of <paramref name="candidates"/> found (tried in order) and reads its handles.</summary>
    /// <exception cref="DllNotFoundException">None is found, or the library found is not Open MPI; the message names the packages.</exception>
    internal static Handles Load(string[] candidates)
    {
        nint library = 0;
        foreach (var name in candidates)
        {
            if (NativeLibrary.TryLoad(name, out library))
            {
                break;
            }
        }
        if (library == 0)
        {
            throw new DllNotFoundException(
                $"TinyAutograd.Distributed needs Open MPI, and no Open MPI library ({string.Join(" or ", candidates)}) was found. " +
                $"Install it with: {InstallCommand} (Debian and Ubuntu), then launch the program with mpirun.");
        }
        if (!NativeLibrary.TryGetExport(library, "ompi_mpi_comm_world", out nint world))
        {
            throw new DllNotFoundException(
                $"TinyAutograd.Distributed: the MPI library found is not Open MPI (it has no 'ompi_mpi_comm_world'); only Open MPI is supported. Install it with: {InstallCommand}.");
        }
        var loaded = library;
        NativeLibrary.SetDllImportResolver(typeof(MpiLibrary).Assembly,
            (name, _, _) => name == MpiNative.Library ? loaded : 0);
        return new Handles(
            world,
            Export(library, "ompi_mpi_float"),
            Export(library, "ompi_mpi_double"),
            Export(library, "ompi_mpi_byte"),
            Export(library, "ompi_mpi_long_long_int"),
            Export(library, "ompi_mpi_op_sum"),
            Export(library, "ompi_mpi_op_max"));
    }

    private static nint Export(nint library, string symbol) =>
        NativeLibrary.TryGetExport(library, symbol, out nint address)
            ? address
            : throw new EntryPointNotFoundException($"TinyAutograd.Distributed: the Open MPI library lacks '{symbol}'; install a complete Open MPI with: {InstallCommand}.");

    /// <summary>Open MPI's predefined handles.</summary>
    public sealed record Handles(nint World, nint Float, nint Double, nint Byte, nint Int64, nint Sum, nint Max)
    {
        /// <summary>The MPI datatype of <typeparamref name="T"/>.</summary>
        public nint TypeOf<T>()
            where T : unmanaged =>
            typeof(T) == typeof(float) ? Float
            : typeof(T) == typeof(double) ? Double
            : typeof(T) == typeof(byte) ? Byte
            : typeof(T) == typeof(long) ? Int64
            : throw new NotSupportedException($"TinyAutograd.Distributed: no MPI datatype for {typeof(T).Name}; float, double, byte and long are supported.");
    }
}
