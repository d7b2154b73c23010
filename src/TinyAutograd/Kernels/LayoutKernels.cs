using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace TinyAutograd.Kernels;

/// <summary>Copies that rearrange row-major data: axis permutation, slices and scatters along an axis.</summary>
internal static class LayoutKernels
{
    /// <summary>
    /// destination = source with axes permuted: destination axis d is source axis <paramref name="axes"/>[d].
    /// </summary>
    public static void Permute<T>(ReadOnlySpan<T> source, ReadOnlySpan<int> sourceShape, ReadOnlySpan<int> axes, Span<T> destination)
        where T : unmanaged
    {
        int rank = axes.Length;
        if (destination.IsEmpty)
        {
            return;
        }
        if (rank == 0)
        {
            destination[0] = source[0];
            return;
        }
        Span<int> sourceStrides = stackalloc int[rank];
        int stride = 1;
        for (int a = rank - 1; a >= 0; a--)
        {
            sourceStrides[a] = stride;
            stride *= sourceShape[a];
        }
        Span<int> shape = stackalloc int[rank];
        Span<int> strides = stackalloc int[rank];
        for (int d = 0; d < rank; d++)
        {
            shape[d] = sourceShape[axes[d]];
            strides[d] = sourceStrides[axes[d]];
        }
        if (rank == 2 && axes[0] == 1)
        {
            Transpose2D(source, shape[1], shape[0], destination);
            return;
        }
        int last = rank - 1;
        if (strides[last] == 1 && shape[last] >= WideRow)
        {
            CopyRows(source, shape, strides, destination);
            return;
        }
        Span<int> counter = stackalloc int[rank];
        int offset = 0;
        for (int target = 0; target < destination.Length; target += shape[last])
        {
            int s = offset;
            var row = destination.Slice(target, shape[last]);
            for (int i = 0; i < row.Length; i++, s += strides[last])
            {
                row[i] = source[s];
            }
            for (int axis = last - 1; axis >= 0; axis--)
            {
                offset += strides[axis];
                if (++counter[axis] < shape[axis])
                {
                    break;
                }
                offset -= strides[axis] * shape[axis];
                counter[axis] = 0;
            }
        }
    }

    /// <summary>Rows (last-axis runs) at least this long are copied by <see cref="CopyRows{T}"/>.</summary>
    private const int WideRow = 16;

    /// <summary>
    /// The permutation when the last axis stays last: every destination row is one contiguous source row, found from
    /// the row's index under the permuted <paramref name="shape"/> and source <paramref name="strides"/>. Rows are
    /// split into ranges over the cores (<see cref="ParallelRanges"/>); each is a plain copy, so the bits do not depend on
    /// the thread count.
    /// </summary>
    private static unsafe void CopyRows<T>(ReadOnlySpan<T> source, ReadOnlySpan<int> shape, ReadOnlySpan<int> strides, Span<T> destination)
        where T : unmanaged
    {
        int axes = shape.Length - 1, width = shape[axes];
        int rows = destination.Length / width;
        Span<int> layout = stackalloc int[2 * axes];
        shape[..axes].CopyTo(layout);
        strides[..axes].CopyTo(layout[axes..]);
        int ranges = ParallelRanges.Worth(2L * destination.Length * sizeof(T), ParallelRanges.MinBytesPerRange, rows);
        fixed (T* from = source, to = destination)
        fixed (int* dims = layout)
        {
            ParallelRanges.Run(new Rows<T>(from, to, width, dims, axes), rows, ranges, quantum: 1);
        }
    }

    /// <summary>
    /// The destination rows [start, end) of one <see cref="CopyRows{T}"/> (<c>dims</c>: the leading axes' sizes, then
    /// their source strides): the first row's source offset from its index, the next ones by stepping the leading axes'
    /// counters (dividing for every row cost as much as the copy: [16, 128, 4, 32] → [16, 4, 128, 32] took 0.11 ms).
    /// </summary>
    private readonly unsafe struct Rows<T>(T* source, T* destination, int width, int* dims, int axes) : IRangeKernel
        where T : unmanaged
    {
        /// <summary>The longest row copied in registers rather than by memmove.</summary>
        private const uint ShortRowBytes = 256;

        public void Run(int start, int end, int range)
        {
            int* counter = stackalloc int[axes];
            int offset = 0;
            for (int axis = axes - 1, rest = start; axis >= 0; axis--)
            {
                counter[axis] = rest % dims[axis];
                offset += counter[axis] * dims[axes + axis];
                rest /= dims[axis];
            }
            uint bytes = (uint)(width * sizeof(T));
            // Short rows of whole 32-byte registers (attention's heads of 32 floats) are copied inline: through the
            // framework's memmove each 128-byte row cost a call and its size dispatch.
            bool registers = Vector256.IsHardwareAccelerated && bytes <= ShortRowBytes && bytes % 32 == 0;
            for (int row = start; row < end; row++)
            {
                byte* to = (byte*)(destination + ((long)row * width));
                byte* from = (byte*)(source + offset);
                if (registers)
                {
                    for (uint at = 0; at < bytes; at += 32)
                    {
                        Vector256.Store(Vector256.Load(from + at), to + at);
                    }
                }
                else
                {
                    Unsafe.CopyBlockUnaligned(to, from, bytes);
                }
                for (int axis = axes - 1; axis >= 0; axis--)
                {
                    offset += dims[axes + axis];
                    if (++counter[axis] < dims[axis])
                    {
                        break;
                    }
                    offset -= dims[axes + axis] * dims[axis];
                    counter[axis] = 0;
                }
            }
        }
    }

    /// <summary>destination (columns × rows) = transpose of source (rows × columns), in cache-sized tiles.</summary>
    public static void Transpose2D<T>(ReadOnlySpan<T> source, int rows, int columns, Span<T> destination)
        where T : unmanaged
    {
        const int Tile = 32;
        for (int r0 = 0; r0 < rows; r0 += Tile)
        {
            int r1 = Math.Min(rows, r0 + Tile);
            for (int c0 = 0; c0 < columns; c0 += Tile)
            {
                int c1 = Math.Min(columns, c0 + Tile);
                for (int r = r0; r < r1; r++)
                {
                    for (int c = c0; c < c1; c++)
                    {
                        destination[c * rows + r] = source[r * columns + c];
                    }
                }
            }
        }
    }

    /// <summary>
    /// Copies the block [start, start + count) along the middle axis of source viewed as [outer, length, inner] into
    /// destination viewed as [outer, count, inner] (or the reverse when <paramref name="intoSource"/> is true: the
    /// block of destination-shaped data is written into the middle of a source-shaped array).
    /// </summary>
    public static void CopyBlock<T>(ReadOnlySpan<T> from, Span<T> to, int outer, int length, int inner, int start, int count, bool intoSource)
        where T : unmanaged
    {
        int block = count * inner;
        for (int o = 0; o < outer; o++)
        {
            int full = (o * length + start) * inner;
            int part = o * block;
            if (intoSource)
            {
                from.Slice(part, block).CopyTo(to.Slice(full, block));
            }
            else
            {
                from.Slice(full, block).CopyTo(to.Slice(part, block));
            }
        }
    }

    /// <summary>
    /// Adds <paramref name="block"/>, viewed as [outer, count, inner], into the elements [start, start + count) along the
    /// middle axis of <paramref name="destination"/> viewed as [outer, length, inner]; the rest is left as it is.
    /// </summary>
    public static void AddBlock<T>(ReadOnlySpan<T> block, Span<T> destination, int outer, int length, int inner, int start, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int run = count * inner;
        for (int o = 0; o < outer; o++)
        {
            var into = destination.Slice((o * length + start) * inner, run);
            TensorPrimitives.Add(into, block.Slice(o * run, run), into);
        }
    }

    /// <summary>destination[o, j, i] = source[o, indices[j], i] for source viewed as [outer, length, inner].</summary>
    public static void Gather<T>(ReadOnlySpan<T> source, ReadOnlySpan<int> indices, int outer, int length, int inner, Span<T> destination)
        where T : unmanaged
    {
        for (int o = 0; o < outer; o++)
        {
            for (int j = 0; j < indices.Length; j++)
            {
                source.Slice((o * length + indices[j]) * inner, inner).CopyTo(destination.Slice((o * indices.Length + j) * inner, inner));
            }
        }
    }

    /// <summary>destination[o, indices[j], i] += source[o, j, i]: the adjoint of <see cref="Gather{T}"/>; repeated indices add up.</summary>
    public static void ScatterAdd<T>(ReadOnlySpan<T> source, ReadOnlySpan<int> indices, int outer, int length, int inner, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int o = 0; o < outer; o++)
        {
            for (int j = 0; j < indices.Length; j++)
            {
                var row = destination.Slice((o * length + indices[j]) * inner, inner);
                System.Numerics.Tensors.TensorPrimitives.Add(row, source.Slice((o * indices.Length + j) * inner, inner), row);
            }
        }
    }
}
