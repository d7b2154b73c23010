using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TinyAutograd.Kernels.Simd;

namespace TinyAutograd.Kernels;

/// <summary>A lane-wise operation on SIMD registers of any width, for <see cref="VectorLoops.Map{T, TMap}(ReadOnlySpan{T}, Span{T}, TMap)"/>.</summary>
internal interface IVectorMap<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The operation on one register of lanes.</summary>
    TSimd Apply<TSimd>(TSimd x)
        where TSimd : struct, ISimd<TSimd, T>;
}

/// <summary>
/// Elementwise loops over SIMD registers: the lane map at the machine's native width (<see cref="ISimd{TSelf, T}"/>,
/// streamed on every instruction set), the streamed binary kernels in 512-bit vectors (they stream only with AVX-512).
/// Outputs too large to stay in cache are written with non-temporal stores, which go to memory without first reading
/// each destination line into the cache (a plain store's read-for-ownership), so a pass that reads one array and
/// writes another moves two arrays' worth of bytes instead of three.
/// </summary>
/// <remarks>
/// Measured on this project's 2-core AVX-512 machine, on 16M floats: negation 12.1 → 8.7 ms, addition 17.3 → 12.3 ms
/// (TensorPrimitives: 14.1 ms); on 256K floats, which stay in cache, streaming was no faster. On an AVX2 EPYC the lane
/// map streamed in 256-bit registers took a 16M-float negation from 5.4 to 3.5 ms, but the 512-bit binary kernels, run
/// as pairs of 256-bit halves, made a streamed 16M-float addition take 5.9 ms against TensorPrimitives' 3.4–3.7 ms
/// (which streams large outputs itself), so without AVX-512 binary ops stay with TensorPrimitives.
/// The ragged head (up to the first destination element aligned to a whole register) and tail go through the same
/// vector operation in a padded buffer, so every element is computed by the same instructions and the results are
/// those of the unstreamed kernels.
/// </remarks>
internal static unsafe class VectorLoops
{
    /// <summary>
    /// Destinations of at least this many bytes are streamed: half the last cache level
    /// (<see cref="CacheSizes.StreamingStoreMinBytes"/>, where its formula is explained).
    /// </summary>
    public static readonly long MinBytes = CacheSizes.Machine.StreamingStoreMinBytes;

    /// <summary>Whether a destination of <paramref name="length"/> elements is worth streaming, in registers of the
    /// native width (the lane map).</summary>
    public static bool Streams<T>(int length)
        where T : unmanaged => (long)length * sizeof(T) >= MinBytes;

    /// <summary>Whether the kernels written in 512-bit vectors (<see cref="Combine{T, TOperator}"/>,
    /// <see cref="StreamBlock{T}"/>) stream a destination of <paramref name="length"/> elements: only where 512-bit
    /// vectors are native.</summary>
    public static bool StreamsWide<T>(int length)
        where T : unmanaged => Avx512F.IsSupported && Streams<T>(length);

    /// <summary>destination[i] = map(x[i]), streamed when <see cref="Streams{T}"/> says so.</summary>
    public static void Map<T, TMap>(ReadOnlySpan<T> x, Span<T> destination, TMap map)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TMap : struct, IVectorMap<T>
    {
        bool streams = Streams<T>(destination.Length);
        if (Vector512.IsHardwareAccelerated)
        {
            MapAtWidth<T, TMap, Simd512<T>>(x, destination, map, streams);
        }
        else
        {
            MapAtWidth<T, TMap, Simd256<T>>(x, destination, map, streams);
        }
    }

    /// <summary>The loop, or for a tensor shorter than one register (a scalar tape's) the element-wise tail alone,
    /// without the loop's call.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MapAtWidth<T, TMap, TSimd>(ReadOnlySpan<T> x, Span<T> destination, TMap map, bool streams)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TMap : struct, IVectorMap<T>
        where TSimd : struct, ISimd<TSimd, T>
    {
        if (destination.Length < TSimd.Count)
        {
            MapShort<T, TMap, TSimd>(x, destination, map);
        }
        else
        {
            Map<T, TMap, TSimd>(x, destination, map, streams);
        }
    }

    /// <summary>destination[i] = map(x[i]) in registers of <typeparamref name="TSimd"/>, streamed when <paramref name="streams"/>.</summary>
    /// <remarks>Compiled fully optimized at its first call and never into its caller: inlined into the tiered dispatcher,
    /// the loop shared the caller's inlining budget and GELU's lane operations became calls (2.5 → 11.6 ms per 1M floats).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static void Map<T, TMap, TSimd>(ReadOnlySpan<T> x, Span<T> destination, TMap map, bool streams)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TMap : struct, IVectorMap<T>
        where TSimd : struct, ISimd<TSimd, T>
    {
        int lanes = TSimd.Count;
        fixed (T* source = x, target = destination)
        {
            int head = streams ? HeadLength(target, destination.Length, lanes) : 0;
            if (head > 0)
            {
                MapShort<T, TMap, TSimd>(x[..head], destination[..head], map);
            }
            int i = head;
            // One call site for the map, so that the JIT inlines it (two sites can exceed its inlining budget).
            for (; i <= destination.Length - lanes; i += lanes)
            {
                var value = map.Apply(TSimd.Load(ref *source, (nuint)i));
                if (streams)
                {
                    TSimd.StoreAlignedNonTemporal(value, target + i);
                }
                else
                {
                    TSimd.Store(value, ref *target, (nuint)i);
                }
            }
            if (streams)
            {
                Sse.StoreFence();
            }
            if (i < destination.Length)
            {
                MapShort<T, TMap, TSimd>(x[i..], destination[i..], map);
            }
        }
    }

    /// <summary>destination[i] = x[i]: the lane map of the identity, streamed when <see cref="Streams{T}"/> says so.</summary>
    public static void Copy<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Streams<T>(destination.Length))
        {
            Map(x, destination, default(Identity<T>));
        }
        else
        {
            x.CopyTo(destination);
        }
    }

    /// <summary>destination[i] = value, streamed when <see cref="Streams{T}"/> says so.</summary>
    public static void Fill<T>(Span<T> destination, T value)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!Streams<T>(destination.Length))
        {
            destination.Fill(value);
        }
        else if (Vector512.IsHardwareAccelerated)
        {
            StreamFill<T, Simd512<T>>(destination, value);
        }
        else
        {
            StreamFill<T, Simd256<T>>(destination, value);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void StreamFill<T, TSimd>(Span<T> destination, T value)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSimd : struct, ISimd<TSimd, T>
    {
        int lanes = TSimd.Count;
        var filled = TSimd.Create(value);
        fixed (T* target = destination)
        {
            int head = HeadLength(target, destination.Length, lanes);
            destination[..head].Fill(value);
            int i = head;
            for (; i <= destination.Length - lanes; i += lanes)
            {
                TSimd.StoreAlignedNonTemporal(filled, target + i);
            }
            Sse.StoreFence();
            destination[i..].Fill(value);
        }
    }

    /// <summary>destination[i] = x[i] ∘ y[i] with streamed stores, for an operator with a vector form.</summary>
    public static void Combine<T, TOperator>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged
        where TOperator : IBinaryOperator<T>
    {
        int lanes = Vector512<T>.Count;
        fixed (T* left = x, right = y, target = destination)
        {
            int head = HeadLength(target, destination.Length, lanes);
            TOperator.Apply(x[..head], y[..head], destination[..head]);
            int i = head;
            for (; i <= destination.Length - lanes; i += lanes)
            {
                Vector512.StoreAlignedNonTemporal(TOperator.Apply(Vector512.Load(left + i), Vector512.Load(right + i)), target + i);
            }
            TOperator.Apply(x[i..], y[i..], destination[i..]);
        }
        Sse.StoreFence();
    }

    /// <summary>
    /// Copies <paramref name="source"/> (a block still in cache) to <paramref name="destination"/> with non-temporal
    /// stores for its 64-byte-aligned lines and plain stores for the ragged ends. Without a fence: call
    /// <see cref="Sse.StoreFence"/> after the last block, before the destination is read.
    /// </summary>
    public static void StreamBlock<T>(ReadOnlySpan<T> source, Span<T> destination)
        where T : unmanaged
    {
        int lanes = Vector512<T>.Count;
        fixed (T* from = source, target = destination)
        {
            int head = HeadLength(target, destination.Length, lanes);
            source[..head].CopyTo(destination);
            int i = head;
            for (; i <= destination.Length - lanes; i += lanes)
            {
                Vector512.StoreAlignedNonTemporal(Vector512.Load(from + i), target + i);
            }
            source[i..].CopyTo(destination[i..]);
        }
    }

    /// <summary>How many leading elements come before the first 64-byte-aligned one (all of them if fewer).</summary>
    private static int HeadLength<T>(T* target, int length, int lanes)
        where T : unmanaged
    {
        int misalignment = (int)((nuint)target % (nuint)(lanes * sizeof(T))) / sizeof(T);
        return Math.Min(length, misalignment == 0 ? 0 : lanes - misalignment);
    }

    /// <summary>
    /// Fewer than one register's worth of elements through <paramref name="map"/>, in one register with the other lanes
    /// 0: the same grouping as the fused gradient loop's tail, so that an element's value does not depend on which path
    /// computed it. The framework's double exp, sin and cos can round a lane differently when another lane of the
    /// register is large (26%, 3.5% and 2.5% of random pairs of a value in [−10, 10] and one up to 10¹²); one element at
    /// a time, the recorded backward of a six-element chain differed from the fused one in a last bit.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void MapShort<T, TMap, TSimd>(ReadOnlySpan<T> x, Span<T> destination, TMap map)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TMap : struct, IVectorMap<T>
        where TSimd : struct, ISimd<TSimd, T>
    {
        TSimd.StorePartial(map.Apply(TSimd.LoadPartial(x)), destination[..x.Length]);
    }

    /// <summary>Copies fewer than one register of elements one by one: a call to the block copy costs more than the copy.</summary>
    /// <remarks>A padded buffer keeps its zeros past them: stackalloc zeroes its buffer.</remarks>
    internal static void ShortCopy<T>(ReadOnlySpan<T> source, Span<T> destination)
    {
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = source[i];
        }
    }

    /// <summary>The lane map that leaves its lanes as they are.</summary>
    private readonly struct Identity<T> : IVectorMap<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public TSimd Apply<TSimd>(TSimd x)
            where TSimd : struct, ISimd<TSimd, T> => x;
    }
}
