using System.Numerics;
using System.Runtime.Intrinsics.X86;

namespace TinyAutograd.Kernels;

/// <summary>
/// Splits a product over threads along m or n only (whole micro-tiles per thread, the depth never split), so the
/// result is bit-identical for any thread count. Each thread runs the blocked driver on its own part of C with its
/// own packing buffers, on the calling thread and the workers of <see cref="WorkerPool"/>.
/// </summary>
internal static class GemmParallel
{
    /// <summary>
    /// How many multiply-adds of the micro-kernel take as long as packing one element: the kernel retires two
    /// vectors of fused multiply-adds per cycle while packing moves about one vector per cycle (less when it
    /// transposes), so one packed element costs about 2 to 8 multiply-adds; 4 is taken.
    /// </summary>
    private const long PackedElementCost = 4;

    /// <summary>
    /// Multiply-adds per thread below which another thread costs more than it saves, for callers that spread whole
    /// products over threads (batched products): <see cref="GemmBlocking.MinWorkPerThread"/> of the float kernel this
    /// hardware runs, derived from the caches.
    /// </summary>
    internal static long MinWorkPerThread { get; } =
        Avx512F.IsSupported ? GemmBlocking<float, GemmMicroKernel512<float>>.Value.MinWorkPerThread
        : Fma.IsSupported ? GemmBlocking<float, GemmMicroKernel256<float>>.Value.MinWorkPerThread
        : GemmBlocking<float, GemmMicroKernelScalar<float>>.Value.MinWorkPerThread;

    /// <summary>Runs <paramref name="problem"/> with at most <paramref name="maxThreads"/> threads, as <see cref="Plan"/> says.</summary>
    public static void Run<T, TKernel>(in GemmProblem<T> problem, int maxThreads)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : IGemmMicroKernel<T>
    {
        long minWork = GemmBlocking<T, TKernel>.Value.MinWorkPerThread;
        var (threads, splitRows) = Plan(problem.M, problem.N, problem.K, TKernel.Mr, TKernel.Nr, minWork, maxThreads);
        if (threads <= 1)
        {
            GemmDriver<T, TKernel>.RunRegion(problem, 0, problem.M, 0, problem.N);
            return;
        }

        int tiles = splitRows ? (problem.M + TKernel.Mr - 1) / TKernel.Mr : (problem.N + TKernel.Nr - 1) / TKernel.Nr;
        RunParallel<T, TKernel>(problem, threads, splitRows, tiles);
    }

    /// <summary>How many threads an m×n×k product runs on, and whether C is split along its rows (else its columns).</summary>
    /// <remarks>
    /// More than one thread only once each gets at least <paramref name="minWorkPerThread"/> multiply-adds
    /// (<see cref="GemmBlocking.MinWorkPerThread"/>, derived from the caches), and never more threads than tiles along
    /// the split. C is split along whichever of m and n gives the cheaper largest part (<see cref="PartCost"/>): its
    /// padded tiles' multiply-adds plus the packing it repeats, as a row split has every thread pack all of op(B) and
    /// a column split all of op(A). Ties go to rows.
    /// </remarks>
    internal static (int Threads, bool SplitRows) Plan(int m, int n, int k, int mr, int nr, long minWorkPerThread, int maxThreads)
    {
        long work = (long)m * n * k;
        int rowTiles = (m + mr - 1) / mr;
        int colTiles = (n + nr - 1) / nr;
        int threads = (int)Math.Min(Math.Min(maxThreads, Math.Max(rowTiles, colTiles)), Math.Max(1, work / minWorkPerThread));
        if (threads <= 1)
        {
            return (1, true);
        }

        bool splitRows = PartCost(rowTiles, mr, colTiles * nr, k, threads) <= PartCost(colTiles, nr, rowTiles * mr, k, threads);
        return (threads, splitRows);
    }

    /// <summary>
    /// The cost, in multiply-adds, of the largest part when <paramref name="tiles"/> tiles of <paramref name="tile"/>
    /// lines are split over <paramref name="threads"/> threads and the other side of C is <paramref name="across"/>
    /// long (padded to whole tiles): its ⌈tiles/threads⌉·tile lines times across times k, plus
    /// <see cref="PackedElementCost"/> per element it packs (its own lines' operand and all of the other operand).
    /// With fewer tiles than threads the side cannot be split (<see cref="long.MaxValue"/>).
    /// </summary>
    private static long PartCost(int tiles, int tile, int across, int k, int threads)
    {
        if (tiles < threads)
        {
            return long.MaxValue;
        }

        long lines = (long)((tiles + threads - 1) / threads) * tile;
        return (lines * across * k) + (PackedElementCost * (lines + across) * k);
    }

    /// <summary>Splits the tiles over <paramref name="threads"/> parts run by <see cref="WorkerPool"/>.</summary>
    private static unsafe void RunParallel<T, TKernel>(in GemmProblem<T> problem, int threads, bool splitRows, int tiles)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : IGemmMicroKernel<T>
    {
        var split = new Split<T>(problem, threads, splitRows, tiles);
        WorkerPool.Run(&RunPart<T, TKernel>, &split, threads);
    }

    /// <summary>
    /// Gives part <c>t</c> of the split at <paramref name="state"/> the row (or column) tiles
    /// [tiles·t/parts, tiles·(t+1)/parts).
    /// </summary>
    private static unsafe void RunPart<T, TKernel>(void* state, int part)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : IGemmMicroKernel<T>
    {
        ref readonly Split<T> split = ref *(Split<T>*)state;
        ref readonly GemmProblem<T> problem = ref split.Problem;
        int first = (int)((long)split.Tiles * part / split.Parts);
        int last = (int)((long)split.Tiles * (part + 1) / split.Parts);
        if (split.SplitRows)
        {
            int row1 = Math.Min(problem.M, last * TKernel.Mr);
            GemmDriver<T, TKernel>.RunRegion(problem, first * TKernel.Mr, row1, 0, problem.N);
        }
        else
        {
            int col1 = Math.Min(problem.N, last * TKernel.Nr);
            GemmDriver<T, TKernel>.RunRegion(problem, 0, problem.M, first * TKernel.Nr, col1);
        }
    }

    /// <summary>A product and how its row (or column) tiles are divided into parts.</summary>
    private readonly struct Split<T>(GemmProblem<T> problem, int parts, bool splitRows, int tiles)
        where T : unmanaged
    {
        public readonly GemmProblem<T> Problem = problem;
        public readonly int Parts = parts;
        public readonly bool SplitRows = splitRows;
        public readonly int Tiles = tiles;
    }
}
