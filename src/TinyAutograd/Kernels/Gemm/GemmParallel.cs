using System.Numerics;

namespace TinyAutograd.Kernels;

/// <summary>
/// Splits a product over threads along m or n only (whole micro-tiles per thread, the depth never split), so the
/// result is bit-identical for any thread count. Each thread runs the blocked driver on its own slab of C with its
/// own packing buffers.
/// </summary>
internal static class GemmParallel
{
    /// <summary>Multiply-adds below which a second thread costs more than it saves.</summary>
    private const long MinWorkPerThread = 1L << 20;

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

    /// <summary>
    /// Gives part <c>t</c> of <paramref name="threads"/> the row (or column) tiles
    /// [tiles·t/threads, tiles·(t+1)/threads).
    /// </summary>
    private static void RunParallel<T, TKernel>(GemmProblem<T> problem, int threads, bool splitRows, int tiles)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : IGemmMicroKernel<T>
    {
        Parallel.For(
            0,
            threads,
            new ParallelOptions { MaxDegreeOfParallelism = threads },
            part =>
            {
                int first = (int)((long)tiles * part / threads);
                int last = (int)((long)tiles * (part + 1) / threads);
                if (splitRows)
                {
                    int row1 = Math.Min(problem.M, last * TKernel.Mr);
                    GemmDriver<T, TKernel>.RunRegion(problem, first * TKernel.Mr, row1, 0, problem.N);
                }
                else
                {
                    int col1 = Math.Min(problem.N, last * TKernel.Nr);
                    GemmDriver<T, TKernel>.RunRegion(problem, 0, problem.M, first * TKernel.Nr, col1);
                }
            });
    }
}
