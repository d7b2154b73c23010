using System.Numerics;

namespace TinyAutograd.Kernels;

/// <summary>
/// Splits a product over threads along m or n only (whole micro-tiles per thread, the depth never split), so the
/// result is bit-identical for any thread count. Each thread runs the blocked driver on its own slab of C with its
/// own packing buffers, on the calling thread and the workers of <see cref="GemmWorkerPool"/>.
/// </summary>
internal static class GemmParallel
{
    /// <summary>
    /// Runs <paramref name="problem"/> with at most <paramref name="maxThreads"/> threads, and more than one only once
    /// each gets at least <see cref="GemmBlocking.MinWorkPerThread"/> multiply-adds (derived from the caches).
    /// </summary>
    public static void Run<T, TKernel>(in GemmProblem<T> problem, int maxThreads)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : IGemmMicroKernel<T>
    {
        long work = (long)problem.M * problem.N * problem.K;
        int rowTiles = (problem.M + TKernel.Mr - 1) / TKernel.Mr;
        int colTiles = (problem.N + TKernel.Nr - 1) / TKernel.Nr;
        bool splitRows = rowTiles >= colTiles;
        int tiles = splitRows ? rowTiles : colTiles;
        long minWork = GemmBlocking<T, TKernel>.Value.MinWorkPerThread;
        int threads = (int)Math.Min(Math.Min(maxThreads, tiles), Math.Max(1, work / minWork));
        if (threads <= 1)
        {
            GemmDriver<T, TKernel>.RunRegion(problem, 0, problem.M, 0, problem.N);
            return;
        }

        RunParallel<T, TKernel>(problem, threads, splitRows, tiles);
    }

    /// <summary>Splits the tiles over <paramref name="threads"/> parts run by <see cref="GemmWorkerPool"/>.</summary>
    private static unsafe void RunParallel<T, TKernel>(in GemmProblem<T> problem, int threads, bool splitRows, int tiles)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : IGemmMicroKernel<T>
    {
        var split = new Split<T>(problem, threads, splitRows, tiles);
        GemmWorkerPool.Run(&RunPart<T, TKernel>, &split, threads);
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
