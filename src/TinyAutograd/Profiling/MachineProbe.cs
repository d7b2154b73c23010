using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace TinyAutograd.Profiling;

/// <summary>
/// Measures <see cref="MachineLimits"/>: independent fused multiply-add chains for the peak, streaming reads and copies
/// of a buffer larger than the last-level cache for the bandwidth. About half a second in all.
/// </summary>
internal static class MachineProbe
{
    private const int Chains = 12;
    /// <summary>About 50 µs of FMAs per timed chunk: short enough that some chunks run undisturbed on a busy machine.</summary>
    private const long ChunkIterations = 25_000;
    private static readonly TimeSpan s_computeBudget = TimeSpan.FromMilliseconds(40);
    /// <summary>
    /// The least number of timed chunks per thread, whatever the budget: on a loaded machine a thread can wait longer
    /// than the whole budget before its first chunk runs, and one chunk would then stand for the peak.
    /// </summary>
    private const int MinChunks = 100;

    /// <summary>Chunks per width for <see cref="Vector512Speedup"/>, the widths alternating: about four milliseconds in all.</summary>
    private const int SpeedupChunks = 40;
    private const int BandwidthElements = 32 << 20; // 128 MB of float32
    private const int BandwidthRepeats = 5;

    public static MachineLimits Measure()
    {
        int cores = Environment.ProcessorCount;
        int bits = Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : 128;
        var (read, copy) = Bandwidth(cores);
        double float32PerCore = Peak<float>(bits, 1), float64PerCore = Peak<double>(bits, 1);
        // All cores together can do at least what one does: on a busy machine a thread of the all-core run may find
        // no free core for the whole run.
        return new MachineLimits(
            cores,
            bits,
            Float32Gflops: Math.Max(Peak<float>(bits, cores), float32PerCore),
            Float64Gflops: Math.Max(Peak<double>(bits, cores), float64PerCore),
            Float32GflopsPerCore: float32PerCore,
            Float64GflopsPerCore: float64PerCore,
            ReadGigabytesPerSecond: read,
            CopyGigabytesPerSecond: copy);
    }

    /// <summary>
    /// How many times faster one core runs float32 FMAs in 512-bit registers than in 256-bit ones, from the best of
    /// <see cref="SpeedupChunks"/> chunks of FMA chains at each width, the widths alternating chunk by chunk: about 2
    /// where AVX-512 has units of its own width, about 1 where it runs as two 256-bit halves (AMD's Zen 4); 0 without
    /// 512-bit vectors. Alternating puts both widths through the same moments of a shared host: measured one width
    /// after the other, a burst of contention a millisecond long that slowed only the 256-bit chunks (a busy sibling
    /// hyperthread, another guest) made a Zen 4 process choose the AVX-512 GEMM kernel, which runs its CNN step 16% slower.
    /// </summary>
    public static double Vector512Speedup()
    {
        if (!Vector512.IsHardwareAccelerated)
        {
            return 0;
        }
        double wide = 0, narrow = 0;
        for (int chunk = 0; chunk < SpeedupChunks; chunk++)
        {
            wide = Math.Max(wide, ChunkRate<float>(512));
            narrow = Math.Max(narrow, ChunkRate<float>(256));
        }
        return wide / narrow;
    }

    /// <summary>
    /// GFLOP/s of <paramref name="threads"/> threads running FMA chains at once: the sum of each thread's best chunk rate,
    /// over at least <see cref="MinChunks"/> chunks and the compute budget per thread.
    /// </summary>
    private static double Peak<T>(int bits, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rates = OnThreads(threads, () =>
        {
            double best = 0;
            var clock = Stopwatch.StartNew();
            for (int chunk = 0; chunk < MinChunks || clock.Elapsed < s_computeBudget; chunk++)
            {
                best = Math.Max(best, ChunkRate<T>(bits));
            }
            return best;
        });
        return rates.Sum() / 1e9;
    }

    /// <summary>FLOP/s of one timed chunk of FMA chains in <paramref name="bits"/>-bit registers on this thread.</summary>
    private static double ChunkRate<T>(int bits)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long start = Stopwatch.GetTimestamp();
        double flops = bits switch
        {
            512 => FmaChains<Vector512<T>, Lanes512<T>>(ChunkIterations),
            256 => FmaChains<Vector256<T>, Lanes256<T>>(ChunkIterations),
            _ => FmaChains<Vector128<T>, Lanes128<T>>(ChunkIterations),
        };
        return flops / Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    /// <summary>
    /// Runs <see cref="Chains"/> independent chains acc ← acc·a + b for <paramref name="iterations"/> rounds; returns the
    /// FLOPs done. The chains hide the FMA latency, so the loop runs at the units' throughput.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static double FmaChains<TVector, TLanes>(long iterations)
        where TLanes : ILanes<TVector>
    {
        var a = TLanes.Create(0.999999);
        var b = TLanes.Create(1e-7);
        TVector c0 = TLanes.Create(1), c1 = TLanes.Create(1.1), c2 = TLanes.Create(1.2), c3 = TLanes.Create(1.3), c4 = TLanes.Create(1.4), c5 = TLanes.Create(1.5);
        TVector c6 = TLanes.Create(1.6), c7 = TLanes.Create(1.7), c8 = TLanes.Create(1.8), c9 = TLanes.Create(1.9), c10 = TLanes.Create(2.0), c11 = TLanes.Create(2.1);
        for (long i = 0; i < iterations; i++)
        {
            c0 = TLanes.MultiplyAdd(c0, a, b);
            c1 = TLanes.MultiplyAdd(c1, a, b);
            c2 = TLanes.MultiplyAdd(c2, a, b);
            c3 = TLanes.MultiplyAdd(c3, a, b);
            c4 = TLanes.MultiplyAdd(c4, a, b);
            c5 = TLanes.MultiplyAdd(c5, a, b);
            c6 = TLanes.MultiplyAdd(c6, a, b);
            c7 = TLanes.MultiplyAdd(c7, a, b);
            c8 = TLanes.MultiplyAdd(c8, a, b);
            c9 = TLanes.MultiplyAdd(c9, a, b);
            c10 = TLanes.MultiplyAdd(c10, a, b);
            c11 = TLanes.MultiplyAdd(c11, a, b);
        }
        // The chains' sum is kept, so that the loop cannot be removed.
        double kept = TLanes.First(c0) + TLanes.First(c1) + TLanes.First(c2) + TLanes.First(c3) + TLanes.First(c4) + TLanes.First(c5)
            + TLanes.First(c6) + TLanes.First(c7) + TLanes.First(c8) + TLanes.First(c9) + TLanes.First(c10) + TLanes.First(c11);
        return 2.0 * Chains * TLanes.Count * iterations + (double.IsNaN(kept) ? 1 : 0);
    }

    /// <summary>(read, copy) bandwidth in GB/s over all cores, each the best of a few passes over a 128 MB buffer.</summary>
    private static (double Read, double Copy) Bandwidth(int threads)
    {
        var buffer = GC.AllocateUninitializedArray<float>(BandwidthElements);
        Array.Fill(buffer, 1f);
        double read = 0, copy = 0;
        for (int repeat = 0; repeat < BandwidthRepeats; repeat++)
        {
            read = Math.Max(read, Pass(threads, buffer, copying: false));
            copy = Math.Max(copy, Pass(threads, buffer, copying: true));
        }
        return (read, copy);
    }

    /// <summary>GB/s of one pass, split over the threads: summing the buffer, or copying its first half onto its second.</summary>
    private static double Pass(int threads, float[] buffer, bool copying)
    {
        int half = buffer.Length / 2;
        int total = copying ? half : buffer.Length;
        int share = total / threads;
        int next = -1;
        var seconds = OnThreads(threads, () =>
        {
            int index = Interlocked.Increment(ref next);
            var slice = buffer.AsSpan(index * share, share);
            long began = Stopwatch.GetTimestamp();
            if (copying)
            {
                slice.CopyTo(buffer.AsSpan(half + index * share, share));
            }
            else if (float.IsNaN(TensorPrimitives.Sum<float>(slice)))
            {
                return double.NaN;
            }
            return Stopwatch.GetElapsedTime(began).TotalSeconds;
        });
        long bytes = (long)share * threads * sizeof(float) * (copying ? 2 : 1);
        return bytes / seconds.Max() / 1e9;
    }

    /// <summary>Runs <paramref name="work"/> on <paramref name="threads"/> dedicated threads released together; returns their results.</summary>
    private static double[] OnThreads(int threads, Func<double> work)
    {
        var results = new double[threads];
        using var barrier = new Barrier(threads);
        var workers = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            int slot = t;
            workers[t] = new Thread(() =>
            {
                barrier.SignalAndWait();
                results[slot] = work();
            }) { IsBackground = true, Name = "machine probe" };
            workers[t].Start();
        }
        foreach (var worker in workers)
        {
            worker.Join();
        }
        return results;
    }

    /// <summary>The vector operations the FMA loop needs, for one vector width.</summary>
    private interface ILanes<TVector>
    {
        static abstract int Count { get; }

        static abstract TVector Create(double value);

        static abstract TVector MultiplyAdd(TVector x, TVector a, TVector b);

        static abstract double First(TVector x);
    }

    private readonly struct Lanes512<T> : ILanes<Vector512<T>>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static int Count => Vector512<T>.Count;

        public static Vector512<T> Create(double value) => Vector512.Create(T.CreateTruncating(value));

        public static Vector512<T> MultiplyAdd(Vector512<T> x, Vector512<T> a, Vector512<T> b) => typeof(T) == typeof(float)
            ? Vector512.MultiplyAddEstimate(x.AsSingle(), a.AsSingle(), b.AsSingle()).As<float, T>()
            : Vector512.MultiplyAddEstimate(x.AsDouble(), a.AsDouble(), b.AsDouble()).As<double, T>();

        public static double First(Vector512<T> x) => double.CreateTruncating(x.GetElement(0));
    }

    private readonly struct Lanes256<T> : ILanes<Vector256<T>>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static int Count => Vector256<T>.Count;

        public static Vector256<T> Create(double value) => Vector256.Create(T.CreateTruncating(value));

        public static Vector256<T> MultiplyAdd(Vector256<T> x, Vector256<T> a, Vector256<T> b) => typeof(T) == typeof(float)
            ? Vector256.MultiplyAddEstimate(x.AsSingle(), a.AsSingle(), b.AsSingle()).As<float, T>()
            : Vector256.MultiplyAddEstimate(x.AsDouble(), a.AsDouble(), b.AsDouble()).As<double, T>();

        public static double First(Vector256<T> x) => double.CreateTruncating(x.GetElement(0));
    }

    private readonly struct Lanes128<T> : ILanes<Vector128<T>>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static int Count => Vector128<T>.Count;

        public static Vector128<T> Create(double value) => Vector128.Create(T.CreateTruncating(value));

        public static Vector128<T> MultiplyAdd(Vector128<T> x, Vector128<T> a, Vector128<T> b) => typeof(T) == typeof(float)
            ? Vector128.MultiplyAddEstimate(x.AsSingle(), a.AsSingle(), b.AsSingle()).As<float, T>()
            : Vector128.MultiplyAddEstimate(x.AsDouble(), a.AsDouble(), b.AsDouble()).As<double, T>();

        public static double First(Vector128<T> x) => double.CreateTruncating(x.GetElement(0));
    }
}
