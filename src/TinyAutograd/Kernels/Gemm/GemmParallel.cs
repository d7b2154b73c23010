using System.Numerics;

namespace TinyAutograd.Kernels;

/// <summary>
/// Splits a product over threads along m or n only (whole micro-tiles per thread, the depth never split), so the
/// result is bit-identical for any thread count. Each thread runs the blocked driver on its own slab of C with its
/// own packing buffers, on the calling thread and the workers of <see cref="GemmWorkerPool"/>.
/// </summary>
internal static class GemmParallel
{
    /// <summary>Multiply-adds per thread below which another thread costs more than it saves.</summary>
    /// <remarks>
    /// Waking a parked worker costs about 8 µs on a 2-core AVX-512 VM; there, two threads overtook one between
    /// 2 Mi multiply-adds (128³: 0.89× as fast) and 2.85 Mi (144³: 1.10×), so a second thread starts at 3 Mi.
    /// </remarks>
    internal const long MinWorkPerThread = 3L << 19;

    /// <summary>Runs <paramref name="problem"/> with at most <paramref name="maxThreads"/> threads.</summary>
    public static void Run<T, TKernel>(in GemmProblem<T> problem, int maxThreads)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : IGemmMicroKernel<T>
    {
        long work = (long)problem.M * problem.N * problem.K;
        int rowTiles = (problem.M + TKernel.Mr - 1) / TKernel.Mr;
        int colTiles = (problem.N + TKernel.Nr - 1) / TKernel.Nr;
        bool splitRows = rowTiles >= colTiles;
        int tiles = splitRows ? rowTiles : colTiles;
        int threads = (int)Math.Min(Math.Min(maxThreads, tiles), Math.Max(1, work / MinWorkPerThread));
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
