using TinyAutograd.Kernels;

namespace TinyAutograd.Tests.Kernels;

/// <summary>
/// Checks <see cref="WorkerPool"/>: every part runs exactly once, failures reach the caller, nested and
/// concurrent calls complete, and a warmed-up multi-threaded <see cref="Gemm.Multiply{T}"/> allocates nothing on
/// the calling thread. Runs in the non-parallel "Gemm thread count" collection, as it sets
/// <see cref="Parallelism.MaxThreads"/>.
/// </summary>
[Collection("Gemm thread count")]
public sealed unsafe class WorkerPoolTests
{
    private const int FailMarker = -100;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public void EveryPartRunsExactlyOnce(int parts)
    {
        int[] runs = new int[parts];
        fixed (int* counts = runs)
        {
            WorkerPool.Run(&CountRun, counts, parts);
        }

        Assert.All(runs, count => Assert.Equal(1, count));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void FailingPartIsRethrownAfterAllPartsFinish(int failing)
    {
        int[] runs = new int[4];
        runs[failing] = FailMarker;
        InvalidOperationException? caught = null;
        fixed (int* counts = runs)
        {
            try
            {
                WorkerPool.Run(&CountRunOrFail, counts, 4);
            }
            catch (InvalidOperationException e)
            {
                caught = e;
            }
        }

        Assert.Equal($"part {failing} failed", caught?.Message);

        Assert.All(runs, count => Assert.Equal(1, count));
        EveryPartRunsExactlyOnce(3);
    }

    [Fact]
    public void PartsMayRunProductsOfTheirOwn()
    {
        int[] runs = new int[3 * 3];
        fixed (int* counts = runs)
        {
            WorkerPool.Run(&RunNested, counts, 3);
        }

        Assert.All(runs, count => Assert.Equal(1, count));
    }

    [Fact]
    public void ConcurrentCallersGetTheSingleThreadedResult()
    {
        const int Size = 200;
        var random = new Random(11);
        float[] a = Enumerable.Range(0, Size * Size).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        float[] b = Enumerable.Range(0, Size * Size).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        int saved = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = 1;
            float[] expected = new float[Size * Size];
            Gemm.Multiply<float>(a, false, b, false, expected, Size, Size, Size);
            Parallelism.MaxThreads = 2;
            bool[] same = new bool[4];
            Parallel.For(0, same.Length, new ParallelOptions { MaxDegreeOfParallelism = same.Length }, caller =>
            {
                same[caller] = true;
                float[] c = new float[Size * Size];
                for (int round = 0; round < 10; round++)
                {
                    Gemm.Multiply<float>(a, false, b, false, c, Size, Size, Size);
                    same[caller] &= c.AsSpan().SequenceEqual(expected);
                }
            });
            Assert.All(same, Assert.True);
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }

    [Fact]
    public void MultiThreadedProductAllocatesNothingOnceWarm()
    {
        const int Size = 256;
        float[] a = new float[Size * Size];
        float[] b = new float[Size * Size];
        float[] c = new float[Size * Size];
        a.AsSpan().Fill(1);
        b.AsSpan().Fill(2);
        int saved = Parallelism.MaxThreads;
        try
        {
            // Warm: the caller's workspace grows to the whole product on one thread first. Split over two threads, the
            // caller's share follows how the parts went (SplitBalance) and is the whole product while the workers are
            // taken (a product of a test running beside this one), so a warm-up on two threads alone could leave a
            // workspace too small for a later share: CI saw it grow by half (489,400 bytes) within the 20 products.
            Parallelism.MaxThreads = 1;
            Gemm.Multiply<float>(a, false, b, false, c, Size, Size, Size);
            Parallelism.MaxThreads = 2;
            Gemm.Multiply<float>(a, false, b, false, c, Size, Size, Size);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 20; i++)
            {
                Gemm.Multiply<float>(a, false, b, false, c, Size, Size, Size, accumulate: true);
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(0, allocated);
            Assert.All(c, value => Assert.Equal(21 * 2 * Size, value));
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }

    private static void CountRun(void* state, int part) => Interlocked.Increment(ref ((int*)state)[part]);

    private static void CountRunOrFail(void* state, int part)
    {
        int* counts = (int*)state;
        if (counts[part] == FailMarker)
        {
            counts[part] = 1;
            throw new InvalidOperationException($"part {part} failed");
        }

        CountRun(state, part);
    }

    /// <summary>Part p runs a 3-part job of its own over counts [3p, 3p + 3).</summary>
    private static void RunNested(void* state, int part) => WorkerPool.Run(&CountRun, (int*)state + (3 * part), 3);
}
