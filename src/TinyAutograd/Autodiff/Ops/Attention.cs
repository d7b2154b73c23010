using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;
using TinyAutograd.Kernels;

namespace TinyAutograd;

/// <summary>
/// Scaled dot-product attention without mask tensor or dropout (<see cref="Tensor.ScaledDotProductAttention{T}"/>),
/// optionally causal, in one node: per head (q [Lq, d], k [Lk, d], v [Lk, dv], the leading axes of all three the same)
/// y = P·v with P = softmax(s·q·kᵀ) over the allowed keys of each row (j ≤ i when causal).
/// </summary>
/// <remarks>
/// <para>
/// The rows are taken in blocks of <see cref="BlockRows"/> queries; with causal masking a block's products stop at the
/// last key its last row sees, so about half of the score and value products are skipped, and the masked scores are
/// never formed. Each block's scores are made, turned into weights in one sweep per row (the scale folded into the
/// exponent), and multiplied by v while still in cache; the weights are kept, block by block, for the backward pass.
/// Each head's kᵀ (for the scores) and vᵀ (for ∂L/∂P), and its v (for P·v) and k (for ∂L/∂q), are packed once for the
/// product kernel and every block reads the prefix of keys it reaches, where each block's product used to pack its own.
/// </para>
/// <para>
/// Backward, per block: ∂L/∂P = g·vᵀ, ∂L/∂v += Pᵀ·g, ∂L/∂S = s·P ⊙ (∂L/∂P − Σⱼ (∂L/∂P ⊙ P)ⱼ) (the softmax's Jacobian),
/// ∂L/∂q = ∂L/∂S·k, ∂L/∂k += ∂L/∂Sᵀ·q, with the same products skipped. Heads are spread over the cores; each head's
/// arithmetic does not depend on which thread runs it, so the bits do not depend on the thread count. When anything is
/// tracked (higher orders, tangents) the weights are recomputed and the same formulas run in recorded ops
/// (products, <see cref="MaskedSoftmaxNode{T}"/>, sums), so derivatives of every order follow; the tangent is the
/// linearization P⊙(Ṡ − Σⱼ(Ṡ ⊙ P)ⱼ)·v + P·v̇ with Ṡ = s·(q̇·kᵀ + q·k̇ᵀ), likewise in ops.
/// </para>
/// </remarks>
internal sealed unsafe class AttentionNode<T> : Node<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// Query rows per block: small enough that causal masking skips most of the masked products (blocks of b rows out of
    /// L compute (1 + b/L)/2 of the full products), large enough that each block's products run whole micro-tiles. 24 is
    /// a whole number of the product kernels' row tiles on every instruction set (6, 12 or 4 rows), so a block whose
    /// rows the kernel reads in place ends on no short tile that it must pack: with 32 (5⅓ tiles of 6) the
    /// transformer's [16, 4, 128, 32] causal attention took 4.93 ms forward and backward, with 24 4.71 ms (AVX2 EPYC,
    /// one process alternating both builds; 12, 18, 30, 36 and 48 rows all took longer).
    /// </summary>
    private const int BlockRows = 24;

    private readonly Layout _layout;
    private readonly Tensor<T> _weights;
    private Tensor<T>? _gradientOf;
    private Tensor<T>[]? _gradients;

    private AttentionNode(Tensor<T> query, Tensor<T> key, Tensor<T> value, Layout layout, Tensor<T> weights)
        : base("Attention", [query, key, value])
    {
        _layout = layout;
        _weights = weights;
    }

    /// <summary>
    /// Whether the node handles queries, keys and values of these shapes (checked for [*, Lq, d], [*, Lk, d],
    /// [*, Lk, d], [*, Lk, dv]): the same leading axes for all three, and at least one query, one key and one
    /// coordinate per query.
    /// </summary>
    public static bool Handles(Tensor<T> query, Tensor<T> key, Tensor<T> value)
    {
        var leading = query.Shape.Dimensions[..^2];
        return query.Shape[^2] > 0 && query.Shape[^1] > 0 && key.Shape[^2] > 0
            && leading.SequenceEqual(key.Shape.Dimensions[..^2]) && leading.SequenceEqual(value.Shape.Dimensions[..^2]);
    }

    /// <summary>y [*, Lq, dv] (see the class summary).</summary>
    public static Tensor<T> Apply(Tensor<T> query, Tensor<T> key, Tensor<T> value, bool causal, double scale, OpCall call = default)
    {
        var layout = new Layout(query.Length / (query.Shape[^2] * query.Shape[^1]), query.Shape[^2], key.Shape[^2], query.Shape[^1], value.Shape[^1], causal, scale);
        var output = Tensor<T>.Uninitialized(new Shape([.. query.Shape.Dimensions[..^1], layout.ValueSize]));
        var weights = Tensor<T>.Uninitialized(new Shape(layout.Heads * layout.WeightsPerHead));
        var packedKeys = TensorArena.Allocate<T>(layout.Ranges * layout.ForwardScratch, clear: false);
        fixed (T* q = query.Data, k = key.Data, v = value.Data, y = output.Storage, p = weights.Storage, packed = packedKeys)
        {
            ParallelRanges.Run(new ForwardHeads(layout, q, k, v, y, p, packed), layout.Heads, layout.Ranges, quantum: 1);
        }
        bool tracks = Tape.Tracks(query, key) || Tape.Tracks(value);
        return Tape.Record(call, output, tracks ? new AttentionNode<T>(query, key, value, layout, weights) : null);
    }

    public override Tensor<T> InputGradient(int index, Tensor<T> outputGradient)
    {
        if (!ReferenceEquals(_gradientOf, outputGradient) || _gradients is null)
        {
            _gradients = Tape.Tracks(outputGradient) || Tape.Tracks(Input(0), Input(1)) || Tape.Tracks(Input(2))
                ? RecordedGradients(outputGradient)
                : Gradients(outputGradient);
            _gradientOf = outputGradient;
        }
        return _gradients[index];
    }

    public override Tensor<T> OutputTangent(int index, Tensor<T> inputTangent)
    {
        var (query, key, value) = (Input(0), Input(1), Input(2));
        var weights = RecordedWeights();
        if (index == 2)
        {
            return weights.MatMul(inputTangent);
        }
        var scoresTangent = (index == 0 ? inputTangent.MatMul(key, transposeRight: true) : query.MatMul(inputTangent, transposeRight: true)) * _layout.Scale;
        return MaskedSoftmaxNode<T>.JacobianProduct(weights, scoresTangent).MatMul(value);
    }

    /// <summary>P in recorded ops, [*, Lq, Lk].</summary>
    private Tensor<T> RecordedWeights() =>
        MaskedSoftmaxNode<T>.Apply(Input(0).MatMul(Input(1), transposeRight: true) * _layout.Scale, null, _layout.Causal);

    /// <summary>The backward formulas of the class remarks in recorded ops.</summary>
    private Tensor<T>[] RecordedGradients(Tensor<T> outputGradient)
    {
        var (query, key, value) = (Input(0), Input(1), Input(2));
        var weights = RecordedWeights();
        var weightsGradient = outputGradient.MatMul(value, transposeRight: true);
        var scoresGradient = MaskedSoftmaxNode<T>.JacobianProduct(weights, weightsGradient) * _layout.Scale;
        return [scoresGradient.MatMul(key), scoresGradient.MatMul(query, transposeLeft: true), weights.MatMul(outputGradient, transposeLeft: true)];
    }

    /// <summary>All three gradients in one pass per head over the saved weights.</summary>
    private Tensor<T>[] Gradients(Tensor<T> outputGradient)
    {
        var (query, key, value) = (Input(0), Input(1), Input(2));
        var gradients = new[] { Tensor<T>.Uninitialized(query.Shape), Tensor<T>.ZerosOf(key.Shape), Tensor<T>.ZerosOf(value.Shape) };
        var scratch = TensorArena.Allocate<T>(_layout.Ranges * _layout.BackwardScratch, clear: false);
        fixed (T* q = query.Data, k = key.Data, v = value.Data, g = outputGradient.Data, p = _weights.Data, s = scratch)
        fixed (T* dq = gradients[0].Storage, dk = gradients[1].Storage, dv = gradients[2].Storage)
        {
            ParallelRanges.Run(new BackwardHeads(_layout, q, k, v, g, p, dq, dk, dv, s), _layout.Heads, _layout.Ranges, quantum: 1);
        }
        return gradients;
    }

    /// <summary>The sizes of one call: heads, query and key counts, head sizes, masking and scale; and the weights' blocks.</summary>
    private readonly record struct Layout(int Heads, int Queries, int Keys, int KeySize, int ValueSize, bool Causal, double Scale)
    {
        public int Blocks => (Queries + BlockRows - 1) / BlockRows;

        /// <summary>The weights kept per head: each block's rows times the keys it reaches.</summary>
        public int WeightsPerHead => Offset(Blocks);

        /// <summary>The largest block's weights, the backward pass's scratch per range.</summary>
        public int BlockCapacity => BlockRows * Keys;

        /// <summary>A head's kᵀ packed whole for the score products (<see cref="Gemm.PackRight{T}"/>).</summary>
        public int PackedKeys => Gemm.PackedRightLength<T>(KeySize, Keys);

        /// <summary>A head's vᵀ packed whole for the weights' gradient products.</summary>
        public int PackedValues => Gemm.PackedRightLength<T>(ValueSize, Keys);

        /// <summary>
        /// A head's v packed whole for the products P·v, whose blocks read the prefix of keys they reach; 0 when the keys
        /// are too many to pack in one depth block (<see cref="Gemm.PacksInOneDepthBlock{T}"/>), and each block's product
        /// packs its own.
        /// </summary>
        public int PackedValueRows => PacksKeyPrefixes ? Gemm.PackedRightLength<T>(Keys, ValueSize) : 0;

        /// <summary>A head's k packed whole for the products ∂L/∂S·k, as <see cref="PackedValueRows"/>.</summary>
        public int PackedKeyRows => PacksKeyPrefixes ? Gemm.PackedRightLength<T>(Keys, KeySize) : 0;

        /// <summary>The forward pass's scratch per range: kᵀ and v packed.</summary>
        public int ForwardScratch => PackedKeys + PackedValueRows;

        /// <summary>The backward pass's scratch per range: the largest block's weights' gradient, vᵀ and k packed.</summary>
        public int BackwardScratch => BlockCapacity + PackedValues + PackedKeyRows;

        private bool PacksKeyPrefixes => Gemm.PacksInOneDepthBlock<T>(Keys);

        /// <summary>How many ranges the heads are split into: by the products' multiply-adds.</summary>
        public int Ranges => ParallelRanges.Worth((long)Heads * WeightsPerHead * (KeySize + ValueSize), GemmParallel.MinWorkPerThread, Heads);

        /// <summary>The first row of block <paramref name="block"/>, its row count, and the keys it reaches.</summary>
        public (int First, int Rows, int Reach) Block(int block)
        {
            int first = block * BlockRows, rows = Math.Min(BlockRows, Queries - first);
            return (first, rows, Causal ? Math.Min(first + rows, Keys) : Keys);
        }

        /// <summary>How many of the first <paramref name="reach"/> keys query <paramref name="query"/> sees.</summary>
        public int Visible(int query, int reach) => Causal ? Math.Min(query + 1, reach) : reach;

        /// <summary>Where block <paramref name="block"/>'s weights start within a head's.</summary>
        public int Offset(int block)
        {
            int offset = 0;
            for (int b = 0; b < block; b++)
            {
                var (_, rows, reach) = Block(b);
                offset += rows * reach;
            }
            return offset;
        }
    }

    /// <summary>Heads [start, end) forward.</summary>
    private readonly struct ForwardHeads(Layout layout, T* query, T* key, T* value, T* output, T* weights, T* packedKeys) : IRangeKernel
    {
        public void Run(int start, int end, int range)
        {
            var n = layout;
            T scale = T.CreateTruncating(n.Scale);
            T* rangeScratch = packedKeys + ((nint)range * n.ForwardScratch);
            var packed = new Span<T>(rangeScratch, n.PackedKeys);
            var packedValues = new Span<T>(rangeScratch + n.PackedKeys, n.PackedValueRows);
            for (int head = start; head < end; head++)
            {
                T* q = query + ((nint)head * n.Queries * n.KeySize), k = key + ((nint)head * n.Keys * n.KeySize);
                T* v = value + ((nint)head * n.Keys * n.ValueSize), y = output + ((nint)head * n.Queries * n.ValueSize);
                T* p = weights + ((nint)head * n.WeightsPerHead);
                Gemm.PackRight<T>(new ReadOnlySpan<T>(k, n.Keys * n.KeySize), true, n.KeySize, n.Keys, packed);
                PackRows(v, n.Keys, n.ValueSize, packedValues);
                for (int block = 0; block < n.Blocks; block++)
                {
                    var (first, rows, reach) = n.Block(block);
                    var blockWeights = new Span<T>(p + n.Offset(block), rows * reach);
                    Gemm.MultiplyPacked<T>(new ReadOnlySpan<T>(q + ((nint)first * n.KeySize), rows * n.KeySize), false, packed, blockWeights, rows, reach, n.KeySize, packedColumns: n.Keys);
                    for (int row = 0; row < rows; row++)
                    {
                        int visible = n.Visible(first + row, reach);
                        Softmax(blockWeights.Slice(row * reach, reach), visible, scale);
                    }
                    MultiplyByKeyPrefix(blockWeights, v, packedValues, new Span<T>(y + ((nint)first * n.ValueSize), rows * n.ValueSize), rows, n.ValueSize, reach, n.Keys);
                }
            }
        }
    }

    /// <summary>Heads [start, end) backward.</summary>
    private readonly struct BackwardHeads(Layout layout, T* query, T* key, T* value, T* outputGradient, T* weights, T* queryGradient, T* keyGradient, T* valueGradient, T* scratch) : IRangeKernel
    {
        public void Run(int start, int end, int range)
        {
            var n = layout;
            T scale = T.CreateTruncating(n.Scale);
            T* rangeScratch = scratch + ((nint)range * n.BackwardScratch);
            var weightsGradient = new Span<T>(rangeScratch, n.BlockCapacity);
            var packedValues = new Span<T>(rangeScratch + n.BlockCapacity, n.PackedValues);
            var packedKeys = new Span<T>(rangeScratch + n.BlockCapacity + n.PackedValues, n.PackedKeyRows);
            for (int head = start; head < end; head++)
            {
                nint queryAt = (nint)head * n.Queries, keyAt = (nint)head * n.Keys;
                T* q = query + (queryAt * n.KeySize), k = key + (keyAt * n.KeySize), v = value + (keyAt * n.ValueSize), g = outputGradient + (queryAt * n.ValueSize);
                T* dq = queryGradient + (queryAt * n.KeySize), dk = keyGradient + (keyAt * n.KeySize), dv = valueGradient + (keyAt * n.ValueSize);
                T* p = weights + ((nint)head * n.WeightsPerHead);
                Gemm.PackRight<T>(new ReadOnlySpan<T>(v, n.Keys * n.ValueSize), true, n.ValueSize, n.Keys, packedValues);
                PackRows(k, n.Keys, n.KeySize, packedKeys);
                for (int block = 0; block < n.Blocks; block++)
                {
                    var (first, rows, reach) = n.Block(block);
                    var blockWeights = new ReadOnlySpan<T>(p + n.Offset(block), rows * reach);
                    var blockGradient = weightsGradient[..(rows * reach)];
                    var rowsGradient = new ReadOnlySpan<T>(g + ((nint)first * n.ValueSize), rows * n.ValueSize);
                    var rowsQuery = new ReadOnlySpan<T>(q + ((nint)first * n.KeySize), rows * n.KeySize);
                    Gemm.MultiplyPacked<T>(rowsGradient, false, packedValues, blockGradient, rows, reach, n.ValueSize, packedColumns: n.Keys);
                    Gemm.Multiply(blockWeights, true, rowsGradient, false, new Span<T>(dv, reach * n.ValueSize), reach, n.ValueSize, rows, accumulate: true);
                    for (int row = 0; row < rows; row++)
                    {
                        var rowGradient = blockGradient.Slice(row * reach, reach);
                        int visible = n.Visible(first + row, reach);
                        SoftmaxJacobian.PrefixRow<T>(blockWeights.Slice(row * reach, reach), rowGradient, visible, scale, rowGradient);
                    }
                    MultiplyByKeyPrefix(blockGradient, k, packedKeys, new Span<T>(dq + ((nint)first * n.KeySize), rows * n.KeySize), rows, n.KeySize, reach, n.Keys);
                    Gemm.Multiply(blockGradient, true, rowsQuery, false, new Span<T>(dk, reach * n.KeySize), reach, n.KeySize, rows, accumulate: true);
                }
            }
        }
    }

    /// <summary>A head's [keys, width] matrix (v or k) packed whole into <paramref name="packed"/>, unless that is empty (see <see cref="Layout.PackedValueRows"/>).</summary>
    private static void PackRows(T* matrix, int keys, int width, Span<T> packed)
    {
        if (!packed.IsEmpty)
        {
            Gemm.PackRight<T>(new ReadOnlySpan<T>(matrix, keys * width), false, keys, width, packed);
        }
    }

    /// <summary>
    /// c = a·m[:reach] for a block's [rows, reach] weights (or their gradient) a and a head's [keys, width] matrix m: from m
    /// packed whole when <paramref name="packed"/> holds it (the block reads the prefix of its depth), else packed for
    /// this product.
    /// </summary>
    private static void MultiplyByKeyPrefix(ReadOnlySpan<T> a, T* matrix, Span<T> packed, Span<T> c, int rows, int width, int reach, int keys)
    {
        if (packed.IsEmpty)
        {
            Gemm.Multiply(a, false, new ReadOnlySpan<T>(matrix, reach * width), false, c, rows, width, reach);
        }
        else
        {
            Gemm.MultiplyPacked<T>(a, false, packed, c, rows, width, reach, packedDepth: keys);
        }
    }

    /// <summary>
    /// One row of scores s·(q·kᵀ) made weights in place: exp(s·(xⱼ − m)) / Σ over the first <paramref name="visible"/>
    /// entries (m their largest), 0 after them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Softmax(Span<T> row, int visible, T scale) =>
        ExponentialKernels.Softmax<T>(row, visible, TensorPrimitives.Max<T>(row[..visible]), scale, row);
}
