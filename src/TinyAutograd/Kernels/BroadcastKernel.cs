using System.Numerics;

namespace TinyAutograd.Kernels;

/// <summary>
/// Runs an elementwise binary operator over two row-major operands under NumPy broadcasting.
/// </summary>
/// <remarks>
/// The longest run of trailing axes over which each operand is either complete or entirely broadcast is handed to the
/// operator as one contiguous span (or a scalar), so the SIMD work happens in long runs; the leading axes are walked
/// with an odometer. [N, M] ∘ [M], [N, 1] ∘ [1, M] and scalar operands all reduce to one operator call per row or fewer.
/// Large outputs are split into ranges of those runs over the cores (<see cref="ParallelRanges"/>), without changing a bit.
/// </remarks>
internal static class BroadcastKernel
{
    public static unsafe void Apply<T, TOperator>(ReadOnlySpan<T> x, ReadOnlySpan<int> xShape, ReadOnlySpan<T> y, ReadOnlySpan<int> yShape, Span<T> destination, ReadOnlySpan<int> shape)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOperator : IBinaryOperator<T>
    {
        if (destination.IsEmpty)
        {
            return;
        }
        if (x.Length == destination.Length && (y.Length == destination.Length || y.Length == 1) || x.Length == 1 && y.Length == destination.Length)
        {
            ApplyFlat<T, TOperator>(x, y, destination);
            return;
        }
        int rank = shape.Length;
        Span<int> xStrides = stackalloc int[rank];
        Span<int> yStrides = stackalloc int[rank];
        BroadcastStrides(xShape, shape, xStrides);
        BroadcastStrides(yShape, shape, yStrides);

        // Trailing axes where each operand is either dense (stride pattern of the output) or fully broadcast (stride 0).
        int inner = 1, split = rank;
        bool xDense = true, xBroadcast = true, yDense = true, yBroadcast = true;
        while (split > 0)
        {
            int axis = split - 1;
            int size = shape[axis];
            bool xd = xDense && (size == 1 || xStrides[axis] == inner);
            bool xb = xBroadcast && (size == 1 || xStrides[axis] == 0);
            bool yd = yDense && (size == 1 || yStrides[axis] == inner);
            bool yb = yBroadcast && (size == 1 || yStrides[axis] == 0);
            if (!(xd || xb) || !(yd || yb))
            {
                break;
            }
            (xDense, xBroadcast, yDense, yBroadcast) = (xd, xb, yd, yb);
            inner *= size;
            split--;
        }

        // The leading axes index blocks of `inner` elements; ranges of blocks go to the cores when the output is large,
        // each block computed by the same operator call whatever range runs it.
        int blocks = destination.Length / inner;
        fixed (T* left = x, right = y, target = destination)
        fixed (int* sizes = shape, leftStrides = xStrides, rightStrides = yStrides)
        {
            var walk = new Blocks<T, TOperator>(left, leftStrides, xDense, right, rightStrides, yDense, target, sizes, split, inner);
            ParallelRanges.Run(walk, blocks, ParallelRanges.Worth(3L * destination.Length * sizeof(T), ParallelRanges.MinBytesPerRange, blocks), quantum: 1);
        }
    }

    /// <summary>
    /// Blocks [start, end) of a broadcast: an odometer over the <paramref name="split"/> leading axes, started at the
    /// range's first block, gives each operand's offset; the trailing <paramref name="inner"/> elements of a block are one
    /// operator call on dense spans or scalars.
    /// </summary>
    private readonly unsafe struct Blocks<T, TOperator>(T* x, int* xStrides, bool xDense, T* y, int* yStrides, bool yDense, T* destination, int* shape, int split, int inner) : IRangeKernel
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOperator : IBinaryOperator<T>
    {
        public void Run(int start, int end, int range)
        {
            Span<int> counter = stackalloc int[split];
            int xOffset = 0, yOffset = 0;
            for (int axis = split - 1, rest = start; axis >= 0; axis--)
            {
                counter[axis] = rest % shape[axis];
                rest /= shape[axis];
                xOffset += counter[axis] * xStrides[axis];
                yOffset += counter[axis] * yStrides[axis];
            }
            for (int block = start; block < end; block++)
            {
                var target = new Span<T>(destination + (long)block * inner, inner);
                if (xDense && yDense)
                {
                    TOperator.Apply(new ReadOnlySpan<T>(x + xOffset, inner), new ReadOnlySpan<T>(y + yOffset, inner), target);
                }
                else if (xDense)
                {
                    TOperator.Apply(new ReadOnlySpan<T>(x + xOffset, inner), y[yOffset], target);
                }
                else if (yDense)
                {
                    TOperator.Apply(x[xOffset], new ReadOnlySpan<T>(y + yOffset, inner), target);
                }
                else
                {
                    TOperator.Apply(new ReadOnlySpan<T>(x + xOffset, 1), y[yOffset], target[..1]);
                    target.Fill(target[0]);
                }
                for (int axis = split - 1; axis >= 0; axis--)
                {
                    xOffset += xStrides[axis];
                    yOffset += yStrides[axis];
                    if (++counter[axis] < shape[axis])
                    {
                        break;
                    }
                    xOffset -= xStrides[axis] * shape[axis];
                    yOffset -= yStrides[axis] * shape[axis];
                    counter[axis] = 0;
                }
            }
        }
    }

    /// <summary>Strides of an operand of shape <paramref name="operand"/> read as <paramref name="shape"/>: 0 along broadcast axes.</summary>
    public static void BroadcastStrides(ReadOnlySpan<int> operand, ReadOnlySpan<int> shape, Span<int> strides)
    {
        int offset = shape.Length - operand.Length;
        int stride = 1;
        for (int axis = shape.Length - 1; axis >= 0; axis--)
        {
            int size = axis >= offset ? operand[axis - offset] : 1;
            strides[axis] = size == 1 ? 0 : stride;
            stride *= size;
        }
    }

    /// <summary>Copies <paramref name="source"/> of shape <paramref name="sourceShape"/> broadcast to <paramref name="shape"/>.</summary>
    public static void BroadcastCopy<T>(ReadOnlySpan<T> source, ReadOnlySpan<int> sourceShape, Span<T> destination, ReadOnlySpan<int> shape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<int> scalarShape = [];
        Apply<T, AddOperator<T>>(source, sourceShape, [T.Zero], scalarShape, destination, shape);
    }

    /// <summary>
    /// Operands of the destination's length, or one of them a scalar: one flat pass, split into ranges over the cores
    /// when large (<see cref="ParallelRanges"/>), with streamed stores when the whole destination is large.
    /// </summary>
    public static unsafe void ApplyFlat<T, TOperator>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOperator : IBinaryOperator<T>
    {
        bool streams = TOperator.HasVectorForm && x.Length == y.Length && VectorLoops.StreamsWide<T>(destination.Length);
        fixed (T* left = x, right = y, target = destination)
        {
            var kernel = new CachedCalls<T, FlatPass<T, TOperator>>(new(left, x.Length == 1, right, y.Length == 1, target, streams), destination.Length);
            ParallelRanges.Run(kernel, destination.Length, ParallelRanges.Count(destination.Length, (x.Length == 1 || y.Length == 1 ? 2 : 3) * sizeof(T)));
        }
    }

    /// <summary>One range of <see cref="ApplyFlat{T, TOperator}"/>: a scalar operand is read once, the others by range.</summary>
    private readonly unsafe struct FlatPass<T, TOperator>(T* x, bool xScalar, T* y, bool yScalar, T* destination, bool streams) : IRangeKernel
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOperator : IBinaryOperator<T>
    {
        public void Run(int start, int end, int range)
        {
            var target = new Span<T>(destination + start, end - start);
            if (xScalar)
            {
                TOperator.Apply(*x, new ReadOnlySpan<T>(y + start, end - start), target);
            }
            else if (yScalar)
            {
                TOperator.Apply(new ReadOnlySpan<T>(x + start, end - start), *y, target);
            }
            else if (streams)
            {
                VectorLoops.Combine<T, TOperator>(new ReadOnlySpan<T>(x + start, end - start), new ReadOnlySpan<T>(y + start, end - start), target);
            }
            else
            {
                TOperator.Apply(new ReadOnlySpan<T>(x + start, end - start), new ReadOnlySpan<T>(y + start, end - start), target);
            }
        }
    }
}
