using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace TinyAutograd.Kernels;

/// <summary>
/// Σ of a whole span, for the full reductions of <see cref="AxisKernels.Summed{T}"/>, and Σ of the products of two
/// spans (<see cref="OfProducts{T}"/>, in the same chunks with TensorPrimitives' dot product per chunk): spans shorter
/// than two chunks of <see cref="ChunkElements"/> go through <see cref="TensorPrimitives.Sum{T}(ReadOnlySpan{T})"/>;
/// longer ones are cut into chunks, each chunk's two halves are read side by side (two streams keep more lines in
/// flight than one: on one core of an AVX2 EPYC, 512 MiB of floats took 21.6 ms instead of TensorPrimitives' 26.7), the
/// chunks run over the cores (<see cref="ParallelRanges"/>), and their sums are added in chunk order, then the tail
/// past the last whole chunk.
/// </summary>
/// <remarks>
/// Every chunk's sum is formed by the same instructions whichever thread runs it, and the chunk sums are always added in
/// the same order, so the result does not depend on <see cref="Parallelism.MaxThreads"/>. The chunked order also bounds
/// the rounding error's growth: it grows with the chunk length plus the number of chunks, not with the whole length.
/// </remarks>
internal static unsafe class WholeSum
{
    /// <summary>Elements per chunk: 256 KiB of floats, long enough that a chunk's two streams reach full speed.</summary>
    public const int ChunkElements = 1 << 16;

    /// <summary>Σ x (see the type's remarks for the order of the additions).</summary>
    public static T Of<T>(ReadOnlySpan<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Length / ChunkElements < 2 || !Vector256<T>.IsSupported)
        {
            return TensorPrimitives.Sum(x);
        }
        fixed (T* source = x)
        {
            return InChunks<T, Elements<T>>(new Elements<T>(source), x.Length);
        }
    }

    /// <summary>Σᵢ xᵢ·yᵢ over spans of equal length, in the chunks of <see cref="Of{T}"/>.</summary>
    public static T OfProducts<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Length / ChunkElements < 2)
        {
            return TensorPrimitives.Dot(x, y);
        }
        fixed (T* left = x, right = y)
        {
            return InChunks<T, Products<T>>(new Products<T>(left, right), x.Length);
        }
    }

    /// <summary>The chunks' sums over the cores, added in chunk order, then the tail past the last whole chunk.</summary>
    private static T InChunks<T, TTerms>(TTerms terms, int length)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTerms : struct, ITerms<T>
    {
        int chunks = length / ChunkElements;
        T[] sums = ArrayPool<T>.Shared.Rent(chunks);
        try
        {
            fixed (T* destination = sums)
            {
                int ranges = ParallelRanges.Worth((long)chunks * ChunkElements * sizeof(T), ParallelRanges.MinBytesPerRange, chunks);
                ParallelRanges.Run(new Chunks<T, TTerms>(terms, destination), chunks, ranges, quantum: 1);
            }
            T total = T.Zero;
            for (int i = 0; i < chunks; i++)
            {
                total += sums[i];
            }
            return total + terms.Sum(chunks * ChunkElements, length - (chunks * ChunkElements));
        }
        finally
        {
            ArrayPool<T>.Shared.Return(sums);
        }
    }

    /// <summary>The terms of a chunked sum: Σ of those in [start, start + count).</summary>
    private interface ITerms<T>
        where T : unmanaged
    {
        T Sum(int start, int count);
    }

    /// <summary>The elements themselves: whole chunks by <see cref="Chunk{T}"/>, the tail by TensorPrimitives.</summary>
    private readonly struct Elements<T>(T* source) : ITerms<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Sum(int start, int count) =>
            count == ChunkElements ? Chunk(source + start) : TensorPrimitives.Sum(new ReadOnlySpan<T>(source + start, count));
    }

    /// <summary>The products xᵢ·yᵢ, by TensorPrimitives' dot product.</summary>
    private readonly struct Products<T>(T* x, T* y) : ITerms<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Sum(int start, int count) => TensorPrimitives.Dot(new ReadOnlySpan<T>(x + start, count), new ReadOnlySpan<T>(y + start, count));
    }

    /// <summary>
    /// Σ of one chunk: four accumulators, two over each half, in step; then (a₀ + a₁) + (b₀ + b₁) and the lanes in
    /// <see cref="Vector256.Sum{T}(Vector256{T})"/>'s order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T Chunk<T>(T* chunk)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Vector256<T>.Count;
        T* second = chunk + (ChunkElements / 2);
        Vector256<T> a0 = Vector256<T>.Zero, a1 = Vector256<T>.Zero, b0 = Vector256<T>.Zero, b1 = Vector256<T>.Zero;
        for (int i = 0; i < ChunkElements / 2; i += 2 * width)
        {
            a0 += Vector256.Load(chunk + i);
            a1 += Vector256.Load(chunk + i + width);
            b0 += Vector256.Load(second + i);
            b1 += Vector256.Load(second + i + width);
        }
        return Vector256.Sum((a0 + a1) + (b0 + b1));
    }

    /// <summary>Chunks [start, end) of the terms, each chunk's sum into <c>sums</c>.</summary>
    private readonly struct Chunks<T, TTerms>(TTerms terms, T* sums) : IRangeKernel
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTerms : struct, ITerms<T>
    {
        public void Run(int start, int end, int range)
        {
            for (int c = start; c < end; c++)
            {
                sums[c] = terms.Sum(c * ChunkElements, ChunkElements);
            }
        }
    }
}
