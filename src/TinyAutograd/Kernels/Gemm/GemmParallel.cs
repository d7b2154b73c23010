using System.Diagnostics;
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
    /// How many multiply-adds of the micro-kernel take as long as copying one element into a packed panel (B given
    /// row-major, A given transposed): the kernel retires 16 float multiply-adds per cycle (two 8-lane FMAs), and
    /// packing, bound by the latency of its strided source lines rather than by its instructions, copies about one
    /// element per cycle (1.2 cycles measured on an AVX2 EPYC at 1024³).
    /// </summary>
    private const long CopiedElementCost = 16;

    /// <summary>
    /// As <see cref="CopiedElementCost"/> for an element transposed into its panel (A given row-major, B given
    /// transposed, or gathered from an image): about twice as slow (2.5 cycles per element measured).
    /// </summary>
    private const long TransposedElementCost = 32;

    /// <summary>
    /// As <see cref="CopiedElementCost"/> for an element the product does not pack (A read in place, B packed ahead):
    /// every thread that needs it still streams it in, about half a copy. Without it a column split of 2048×128×128,
    /// A read in place, looked cheaper than the row split that ran 3–5% faster.
    /// </summary>
    private const long InPlaceElementCost = 8;

    /// <summary>
    /// Multiply-adds per thread below which another thread costs more than it saves, for callers that spread whole
    /// products over threads (batched products): <see cref="GemmBlocking.MinWorkPerThread"/> of the float kernel this
    /// hardware runs, derived from the caches.
    /// </summary>
    internal static long MinWorkPerThread { get; } =
        Gemm.UsesAvx512 ? GemmBlocking<float, GemmMicroKernel512<float>>.Value.MinWorkPerThread
        : Fma.IsSupported ? GemmBlocking<float, GemmMicroKernel256<float>>.Value.MinWorkPerThread
        : GemmBlocking<float, GemmMicroKernelScalar<float>>.Value.MinWorkPerThread;

    /// <summary>
    /// Runs <paramref name="problem"/> with at most <paramref name="maxThreads"/> threads, as <see cref="Plan"/> says; on
    /// one while the workers are taken (<see cref="WorkerPool.IsBusy"/>: a product run inside a part of a split job, such
    /// as one of two independent products on the cores), whose split would only run its parts one after another, each
    /// packing its own copy of the shared operand.
    /// </summary>
    public static unsafe void Run<T, TKernel>(in GemmProblem<T> problem, int maxThreads)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : IGemmMicroKernel<T>
    {
        if (WorkerPool.IsBusy)
        {
            maxThreads = 1;
        }
        long minWork = GemmBlocking<T, TKernel>.Value.MinWorkPerThread;
        long aCost = GemmDriver<T, TKernel>.ReadsAInPlace(problem) ? InPlaceElementCost : problem.TransposeA ? CopiedElementCost : TransposedElementCost;
        long bCost = problem.PackedB != null ? InPlaceElementCost : problem.TransposeB || problem.BIsImage ? TransposedElementCost : CopiedElementCost;
        var (threads, splitRows) = Plan(problem.M, problem.N, problem.K, TKernel.Mr, TKernel.Nr, minWork, maxThreads, aCost, bCost);
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
    /// padded tiles' multiply-adds plus its packing, at <paramref name="aPackCost"/> and <paramref name="bPackCost"/>
    /// multiply-adds per element of op(A) and op(B) it packs or streams in, as a row split has every
    /// thread pack all of op(B) and a column split all of op(A). Ties go to rows. (1024³ on 2 threads, where the
    /// transposing pack of A costs more than the copy of B: rows ran 1.4–5.8% faster than columns.)
    /// </remarks>
    internal static (int Threads, bool SplitRows) Plan(int m, int n, int k, int mr, int nr, long minWorkPerThread, int maxThreads, long aPackCost, long bPackCost)
    {
        long work = (long)m * n * k;
        int rowTiles = (m + mr - 1) / mr;
        int colTiles = (n + nr - 1) / nr;
        int threads = (int)Math.Min(Math.Min(maxThreads, Math.Max(rowTiles, colTiles)), Math.Max(1, work / minWorkPerThread));
        if (threads <= 1)
        {
            return (1, true);
        }

        bool splitRows = PartCost(rowTiles, mr, colTiles * nr, k, threads, aPackCost, bPackCost) <= PartCost(colTiles, nr, rowTiles * mr, k, threads, bPackCost, aPackCost);
        return (threads, splitRows);
    }

    /// <summary>
    /// The cost, in multiply-adds, of the largest part when <paramref name="tiles"/> tiles of <paramref name="tile"/>
    /// lines are split over <paramref name="threads"/> threads and the other side of C is <paramref name="across"/>
    /// long (padded to whole tiles): its ⌈tiles/threads⌉·tile lines times across times k, plus the packing of its own
    /// lines' operand (<paramref name="ownCost"/> per element) and of all of the other operand
    /// (<paramref name="otherCost"/>). With fewer tiles than threads the side cannot be split (<see cref="long.MaxValue"/>).
    /// </summary>
    private static long PartCost(int tiles, int tile, int across, int k, int threads, long ownCost, long otherCost)
    {
        if (tiles < threads)
        {
            return long.MaxValue;
        }

        long lines = (long)((tiles + threads - 1) / threads) * tile;
        return (lines * across * k) + (((ownCost * lines) + (otherCost * across)) * k);
    }

    /// <summary>
    /// Splits the tiles over <paramref name="threads"/> parts run by <see cref="WorkerPool"/>, the caller's part as large
    /// as <see cref="SplitBalance"/> says, and tells it how the parts went.
    /// </summary>
    private static unsafe void RunParallel<T, TKernel>(in GemmProblem<T> problem, int threads, bool splitRows, int tiles)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : IGemmMicroKernel<T>
    {
        var split = new Split<T>(problem, threads, splitRows, tiles, SplitBalance.CallerTiles(tiles, threads));
        long start = Stopwatch.GetTimestamp();
        WorkerPool.Run(&RunPart<T, TKernel>, &split, threads);
        SplitBalance.Learn(tiles, split.CallerTiles, threads, start, split.CallerEnd, split.OthersEnd);
    }

    /// <summary>
    /// Gives part 0 of the split at <paramref name="state"/> the row (or column) tiles [0, c) and part t ≥ 1 its share of
    /// the rest, [c + (tiles − c)·(t − 1)/(parts − 1), c + (tiles − c)·t/(parts − 1)), c the caller's tiles; and notes when
    /// the part ended.
    /// </summary>
    private static unsafe void RunPart<T, TKernel>(void* state, int part)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : IGemmMicroKernel<T>
    {
        var splitPointer = (Split<T>*)state;
        ref readonly Split<T> split = ref *splitPointer;
        int first = split.FirstTile(part), last = split.FirstTile(part + 1);
        RunTiles<T, TKernel>(split, first, last);
        long end = Stopwatch.GetTimestamp();
        if (part == 0)
        {
            splitPointer->CallerEnd = end;
        }
        else
        {
            InterlockedMax(ref splitPointer->OthersEnd, end);
        }
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long seen = Volatile.Read(ref target);
        while (value > seen)
        {
            long previous = Interlocked.CompareExchange(ref target, value, seen);
            if (previous == seen)
            {
                return;
            }
            seen = previous;
        }
    }

    /// <summary>The row (or column) tiles [<paramref name="first"/>, <paramref name="last"/>) of the split's product.</summary>
    private static void RunTiles<T, TKernel>(in Split<T> split, int first, int last)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : IGemmMicroKernel<T>
    {
        ref readonly GemmProblem<T> problem = ref split.Problem;
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

    /// <summary>A product, how its row (or column) tiles are divided into parts, and when the parts ended.</summary>
    private struct Split<T>(GemmProblem<T> problem, int parts, bool splitRows, int tiles, int callerTiles)
        where T : unmanaged
    {
        public readonly GemmProblem<T> Problem = problem;
        public readonly int Parts = parts;
        public readonly bool SplitRows = splitRows;
        public readonly int Tiles = tiles;
        public readonly int CallerTiles = callerTiles;

        /// <summary>When the caller's part ended.</summary>
        public long CallerEnd;

        /// <summary>When the last of the other parts ended.</summary>
        public long OthersEnd;

        /// <summary>The first tile of part <paramref name="part"/> (<see cref="Tiles"/> for <paramref name="part"/> = <see cref="Parts"/>).</summary>
        public readonly int FirstTile(int part) =>
            part == 0 ? 0 : CallerTiles + (int)((long)(Tiles - CallerTiles) * (part - 1) / (Parts - 1));
    }
}
