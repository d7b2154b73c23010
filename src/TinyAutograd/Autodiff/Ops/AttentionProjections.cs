using System.Numerics;
using TinyAutograd.Differentiation;
using TinyAutograd.Kernels;

namespace TinyAutograd;

/// <summary>
/// Self-attention over packed projections: the node's one input is [B, L, 3E], each row q, k and v side by side and each
/// of them h heads of d = E/h side by side (the layout of x·W_inᵀ with PyTorch's stacked <c>in_proj_weight</c>); the
/// output is [B, L, E] with the heads side by side, as the output projection reads them; the gradient is [B, L, 3E].
/// </summary>
/// <remarks>
/// Each head's q, k and v rows (and, backward, its output gradient's and its three gradients') are read and written where
/// they lie, 3E (or E) elements apart, by the packing and the product kernel (their leading dimensions). Copying them into
/// a scratch block per head and back took 3% of the transformer step (Zen 4, one thread). Splitting the heads as tensor
/// ops (three slices and three permutes) and merging them (a permute) passed over all of them in memory, and again
/// backward; the three projections were three products, three bias additions and, backward, two sums of their input
/// gradients. The recorded paths (higher orders, tangents) split and merge the heads in recorded ops around the
/// formulas of the unpacked node. Where each head's rows lie is answered here for both inputs (the layout's offsets and
/// strides); with q, k and v apart, a head's rows simply follow each other.
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

    private readonly partial record struct Layout
    {
        /// <summary>Whether the one input is packed projections.</summary>
        public bool Packed => PackedHeads > 0;

        /// <summary>E = h·d.</summary>
        private int Embed => PackedHeads * KeySize;

        /// <summary>Elements from one of a head's q rows to the next (and its gradient's): 3E in packed projections, else d.</summary>
        public int QueryStride => Packed ? 3 * Embed : KeySize;

        /// <summary>Elements from one of a head's k rows to the next (and its gradient's).</summary>
        public int KeyStride => Packed ? 3 * Embed : KeySize;

        /// <summary>Elements from one of a head's v rows to the next (and its gradient's).</summary>
        public int ValueStride => Packed ? 3 * Embed : ValueSize;

        /// <summary>Elements from one of a head's output rows to the next (and its gradient's): E when the heads lie side by side, else dv.</summary>
        public int OutputStride => Packed ? Embed : ValueSize;

        /// <summary>Where head <paramref name="head"/>'s first q row lies in the queries (the packed projections when packed), and its gradient's in theirs.</summary>
        public nint QueryOffset(int head) => Packed ? ProjectionRow(head, 0) : (nint)head * Queries * KeySize;

        /// <summary>Where the head's first k row lies, as <see cref="QueryOffset"/>.</summary>
        public nint KeyOffset(int head) => Packed ? ProjectionRow(head, 1) : (nint)head * Keys * KeySize;

        /// <summary>Where the head's first v row lies, as <see cref="QueryOffset"/>.</summary>
        public nint ValueOffset(int head) => Packed ? ProjectionRow(head, 2) : (nint)head * Keys * ValueSize;

        /// <summary>Where the head's first output row lies in the output ([B, L, E] when packed), and its gradient's in theirs.</summary>
        public nint OutputOffset(int head) =>
            Packed ? ((nint)(head / PackedHeads) * Queries * Embed) + ((head % PackedHeads) * KeySize) : (nint)head * Queries * ValueSize;

        /// <summary>
        /// Asks for rows [<paramref name="first"/>, <paramref name="first"/> + <paramref name="rows"/>) of head
        /// <paramref name="head"/>'s q, k and v (or their gradients') and of its output (or output gradient; skipped when
        /// null) to be brought into L2: each block of the head before it fetches its rows of the next head, so that the
        /// packing and the kernel do not wait on their scattered lines (with packed projections, 128-byte pieces of rows
        /// 3E apart) from the last cache level or memory.
        /// </summary>
        /// <remarks>
        /// Transformer step 1.3–1.8% faster (Zen 4, one thread, toggled call by call in one process, 100 pairs); into L1
        /// instead, 0.5%. Copying each head's rows into scratch, as before they were read in place, waited on the same
        /// lines: reading in place alone ran no faster.
        /// </remarks>
        public void FetchRows(int head, int first, int rows, T* query, T* key, T* value, T* output)
        {
            int keyRows = Math.Clamp(Keys - first, 0, rows);
            CacheLines.FetchRowsIntoL2(query + QueryOffset(head) + ((nint)first * QueryStride), rows, KeySize, QueryStride);
            CacheLines.FetchRowsIntoL2(key + KeyOffset(head) + ((nint)first * KeyStride), keyRows, KeySize, KeyStride);
            CacheLines.FetchRowsIntoL2(value + ValueOffset(head) + ((nint)first * ValueStride), keyRows, ValueSize, ValueStride);
            if (output != null)
            {
                CacheLines.FetchRowsIntoL2(output + OutputOffset(head) + ((nint)first * OutputStride), rows, ValueSize, OutputStride);
            }
        }

        /// <summary>Where row 0 of part <paramref name="part"/> (0 q, 1 k, 2 v) of head <paramref name="head"/> lies in [B, L, 3E].</summary>
        private nint ProjectionRow(int head, int part) =>
            ((((nint)(head / PackedHeads) * Queries) * 3) + part) * Embed + ((head % PackedHeads) * KeySize);

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
    }
}
