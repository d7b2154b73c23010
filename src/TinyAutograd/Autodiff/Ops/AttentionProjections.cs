using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using TinyAutograd.Differentiation;

namespace TinyAutograd;

/// <summary>
/// Self-attention over packed projections: the node's one input is [B, L, 3E], each row q, k and v side by side and each
/// of them h heads of d = E/h side by side (the layout of x·W_inᵀ with PyTorch's stacked <c>in_proj_weight</c>); the
/// output is [B, L, E] with the heads side by side, as the output projection reads them; the gradient is [B, L, 3E].
/// </summary>
/// <remarks>
/// Each head's q, k and v rows (and, backward, its output gradient's) are copied into the range's scratch as the head
/// starts, and its output rows (its three gradients' rows) out as it ends, while in cache. Splitting the heads as tensor
/// ops (three slices and three permutes) and merging them (a permute) passed over all of them in memory, and again
/// backward; the three projections were three products, three bias additions and, backward, two sums of their input
/// gradients. The recorded paths (higher orders, tangents) split and merge the heads in recorded ops around the
/// formulas of the unpacked node.
/// </remarks>
internal sealed unsafe partial class AttentionNode<T>
{
    /// <summary>Whether the node handles packed projections of this shape for <paramref name="heads"/> heads: [B, L, 3E] with L and E/h positive.</summary>
    public static bool HandlesProjections(Tensor<T> projections, int heads) =>
        projections.Rank == 3 && projections.Shape[1] > 0 && projections.Shape[2] > 0 && projections.Shape[2] % (3 * heads) == 0;

    /// <summary>The heads' outputs [B, L, E] of self-attention over packed projections [B, L, 3E] (see the file's summary).</summary>
    public static Tensor<T> ApplyToProjections(Tensor<T> projections, int heads, bool causal, double scale, OpCall call = default)
    {
        int batch = projections.Shape[0], length = projections.Shape[1], size = projections.Shape[2] / (3 * heads);
        var layout = new Layout(batch * heads, length, length, size, size, causal, scale, heads);
        return Forward([projections], layout, new Shape(batch, length, heads * size), call);
    }

    /// <summary>Copies <paramref name="rows"/> rows of <paramref name="width"/> elements from rows <paramref name="sourceStride"/> apart to rows <paramref name="destinationStride"/> apart.</summary>
    private static void CopyRows(T* source, nint sourceStride, T* destination, nint destinationStride, int rows, int width)
    {
        for (int row = 0; row < rows; row++)
        {
            CopyRow(source + (row * sourceStride), destination + (row * destinationStride), width);
        }
    }

    /// <summary>Copies <paramref name="width"/> elements, a register at a time: a head's row is a few registers, too short for a call to memmove to pay.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRow(T* source, T* destination, int width)
    {
        int i = 0;
        for (; i <= width - Vector256<T>.Count; i += Vector256<T>.Count)
        {
            Vector256.Load(source + i).Store(destination + i);
        }
        for (; i < width; i++)
        {
            destination[i] = source[i];
        }
    }

    private readonly partial record struct Layout
    {
        /// <summary>Whether the one input is packed projections.</summary>
        public bool Packed => PackedHeads > 0;

        /// <summary>A head's rows copied in forward when packed: q, k, v and the output.</summary>
        private int ForwardRows => Packed ? 4 * Queries * KeySize : 0;

        /// <summary>A head's rows copied in backward when packed: q, k, v, the output gradient and the three gradients.</summary>
        private int BackwardRows => Packed ? 7 * Queries * KeySize : 0;

        /// <summary>E = h·d.</summary>
        private int Embed => PackedHeads * KeySize;

        /// <summary>Where row 0 of part <paramref name="part"/> (0 q, 1 k, 2 v) of head <paramref name="head"/> lies in [B, L, 3E].</summary>
        private nint ProjectionRow(int head, int part) =>
            ((((nint)(head / PackedHeads) * Queries) * 3) + part) * Embed + ((head % PackedHeads) * KeySize);

        /// <summary>Where row 0 of head <paramref name="head"/> lies in [B, L, E].</summary>
        private nint OutputRow(int head) => ((nint)(head / PackedHeads) * Queries * Embed) + ((head % PackedHeads) * KeySize);

        /// <summary>
        /// A head's q, k, v and output rows: in place when q, k and v are apart; else q, k and v copied into
        /// <paramref name="scratch"/>, and the output made there (<see cref="PutOutputRows"/>).
        /// </summary>
        public (nint Q, nint K, nint V, nint Y) ForwardRowsOf(int head, T* query, T* key, T* value, T* output, T* scratch)
        {
            if (!Packed)
            {
                return ((nint)(query + ((nint)head * Queries * KeySize)), (nint)(key + ((nint)head * Keys * KeySize)),
                    (nint)(value + ((nint)head * Keys * ValueSize)), (nint)(output + ((nint)head * Queries * ValueSize)));
            }
            nint size = (nint)Queries * KeySize;
            T* q = scratch, k = q + size, v = k + size;
            GatherProjections(head, query, q, k, v);
            return ((nint)q, (nint)k, (nint)v, (nint)(v + size));
        }

        /// <summary>Copies a head's output rows made in scratch into [B, L, E] (nothing when q, k and v are apart).</summary>
        public void PutOutputRows(int head, T* rows, T* output)
        {
            if (Packed)
            {
                CopyRows(rows, KeySize, output + OutputRow(head), Embed, Queries, KeySize);
            }
        }

        /// <summary>
        /// A head's q, k, v, output gradient and gradient rows: in place when q, k and v are apart; else q, k, v and the
        /// output gradient copied into <paramref name="scratch"/>, and the gradients made there, k's and v's cleared for
        /// their sums (<see cref="PutGradientRows"/>).
        /// </summary>
        public (nint Q, nint K, nint V, nint G, nint Dq, nint Dk, nint Dv) BackwardRowsOf(int head, T* query, T* key, T* value, T* outputGradient, T* queryGradient, T* keyGradient, T* valueGradient, T* scratch)
        {
            if (!Packed)
            {
                nint queryAt = (nint)head * Queries, keyAt = (nint)head * Keys;
                return ((nint)(query + (queryAt * KeySize)), (nint)(key + (keyAt * KeySize)), (nint)(value + (keyAt * ValueSize)), (nint)(outputGradient + (queryAt * ValueSize)),
                    (nint)(queryGradient + (queryAt * KeySize)), (nint)(keyGradient + (keyAt * KeySize)), (nint)(valueGradient + (keyAt * ValueSize)));
            }
            nint size = (nint)Queries * KeySize;
            T* q = scratch, k = q + size, v = k + size, g = v + size, dq = g + size, dk = dq + size, dv = dk + size;
            GatherProjections(head, query, q, k, v);
            CopyRows(outputGradient + OutputRow(head), Embed, g, KeySize, Queries, KeySize);
            new Span<T>(dk, (int)(2 * size)).Clear();
            return ((nint)q, (nint)k, (nint)v, (nint)g, (nint)dq, (nint)dk, (nint)dv);
        }

        /// <summary>Copies a head's gradients made in scratch into the projections' gradient [B, L, 3E] (nothing when q, k and v are apart).</summary>
        public void PutGradientRows(int head, T* queryRows, T* keyRows, T* valueRows, T* gradient)
        {
            if (!Packed)
            {
                return;
            }
            T* row = gradient + ProjectionRow(head, 0);
            for (int t = 0; t < Queries; t++, row += 3 * Embed)
            {
                nint at = (nint)t * KeySize;
                CopyRow(queryRows + at, row, KeySize);
                CopyRow(keyRows + at, row + Embed, KeySize);
                CopyRow(valueRows + at, row + (2 * Embed), KeySize);
            }
        }

        /// <summary>q, k and v of the packed projections, each [B, h, L, d], in recorded ops.</summary>
        public (Tensor<T> Query, Tensor<T> Key, Tensor<T> Value) HeadsOf(Tensor<T> projections) =>
            (SplitHeads(projections.Slice(2, 0, Embed)), SplitHeads(projections.Slice(2, Embed, Embed)), SplitHeads(projections.Slice(2, 2 * Embed, Embed)));

        /// <summary>[B, L, E] → [B, h, L, d] in recorded ops.</summary>
        public Tensor<T> SplitHeads(Tensor<T> rows) => rows.Reshape(Heads / PackedHeads, Queries, PackedHeads, KeySize).Permute(0, 2, 1, 3);

        /// <summary>[B, h, L, d] → [B, L, E] in recorded ops.</summary>
        public Tensor<T> MergeHeads(Tensor<T> heads) => heads.Permute(0, 2, 1, 3).Reshape(Heads / PackedHeads, Queries, Embed);

        /// <summary>The gradients of q, k and v, each [B, h, L, d], as the packed projections' gradient [B, L, 3E], in recorded ops.</summary>
        public Tensor<T> MergeProjections(Tensor<T> query, Tensor<T> key, Tensor<T> value) =>
            Tensor.Concatenate(2, MergeHeads(query), MergeHeads(key), MergeHeads(value));

        /// <summary>A head's q, k and v rows, the three parts of each projection row copied together.</summary>
        private void GatherProjections(int head, T* projections, T* query, T* key, T* value)
        {
            T* row = projections + ProjectionRow(head, 0);
            for (int t = 0; t < Queries; t++, row += 3 * Embed)
            {
                nint at = (nint)t * KeySize;
                CopyRow(row, query + at, KeySize);
                CopyRow(row + Embed, key + at, KeySize);
                CopyRow(row + (2 * Embed), value + at, KeySize);
            }
        }
    }
}
