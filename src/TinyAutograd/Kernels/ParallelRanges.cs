using System.Runtime.CompilerServices;

namespace TinyAutograd.Kernels;

/// <summary>A pass over the elements [start, end) of its operands, one range of an elementwise job.</summary>
internal interface IRangeKernel
{
    /// <summary>Runs elements [<paramref name="start"/>, <paramref name="end"/>), range number <paramref name="range"/> of the job (for per-range scratch).</summary>
    void Run(int start, int end, int range);
}

/// <summary>
/// Splits an elementwise pass into contiguous ranges run on the calling thread and the workers of
/// <see cref="WorkerPool"/> (at most <see cref="Parallelism.MaxThreads"/> of them), without allocating. Every element is
/// computed by the same instructions whatever range it falls in, so results do not depend on the split.
/// </summary>
internal static unsafe class ParallelRanges
{
    /// <summary>Bytes moved (all operands together) per range below which another thread costs more than it saves.</summary>
    /// <remarks>
    /// Waking a parked worker costs about 8 µs (<see cref="GemmParallel"/>); at the 10–30 GB/s one core streams, that is
    /// 80–240 KB of work, so a range of at least 1 MiB keeps the wake-up under a tenth of its time.
    /// </remarks>
    public const long MinBytesPerRange = 1L << 20;

    /// <summary>Element ranges are cut on multiples of this many elements: whole 64-byte lines of floats and doubles alike.</summary>
    public const int LineQuantum = 16;

    /// <summary>How many ranges a pass over <paramref name="length"/> elements moving <paramref name="bytesPerElement"/> bytes each is worth.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Count(long length, int bytesPerElement) =>
        Worth(length * bytesPerElement, MinBytesPerRange, length / LineQuantum);

    /// <summary>
    /// How many ranges <paramref name="work"/> is worth when each range should hold at least <paramref name="minPerRange"/>
    /// of it: at least 1, at most <see cref="Parallelism.MaxThreads"/> and <paramref name="pieces"/> (the indivisible pieces).
    /// </summary>
    /// <remarks>Work short of two ranges is answered without reading the thread count: the tiny ops of a scalar tape
    /// pass here once each.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Worth(long work, long minPerRange, long pieces) =>
        work < 2 * minPerRange ? 1 : (int)Math.Clamp(work / minPerRange, 1, Math.Max(1, Math.Min(Parallelism.MaxThreads, pieces)));

    /// <summary>
    /// Runs <paramref name="kernel"/> over [0, <paramref name="length"/>) in <paramref name="ranges"/> ranges cut on
    /// multiples of <paramref name="quantum"/> (1 for work items such as whole matrices).
    /// </summary>
    public static void Run<TKernel>(TKernel kernel, int length, int ranges, int quantum = LineQuantum)
        where TKernel : struct, IRangeKernel
    {
        if (ranges <= 1)
        {
            kernel.Run(0, length, 0);
            return;
        }
        // Both live in this frame until every range has finished, so raw pointers to them stay valid.
        var job = new Job(Unsafe.AsPointer(ref kernel), length, ranges, quantum);
        WorkerPool.Run(&RunRange<TKernel>, &job, ranges);
    }

    /// <summary>The start of range <paramref name="index"/> of <paramref name="ranges"/> over <paramref name="length"/> elements.</summary>
    private static int Start(int length, int index, int ranges, int quantum) =>
        index == ranges ? length : (int)((long)length / quantum * index / ranges * quantum);

    private static void RunRange<TKernel>(void* state, int index)
        where TKernel : struct, IRangeKernel
    {
        var job = (Job*)state;
        Unsafe.AsRef<TKernel>(job->Kernel).Run(Start(job->Length, index, job->Ranges, job->Quantum), Start(job->Length, index + 1, job->Ranges, job->Quantum), index);
    }

    private readonly struct Job(void* kernel, int length, int ranges, int quantum)
    {
        public readonly void* Kernel = kernel;
        public readonly int Length = length;
        public readonly int Ranges = ranges;
        public readonly int Quantum = quantum;
    }
}
