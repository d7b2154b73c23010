using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;
using TinyAutograd.Kernels;
using TinyAutograd.Profiling;

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
/// exponent), and multiplied by v while still in cache; the weights are kept for the backward pass as each head's
/// [Lq, Lk] matrix, of which every row holds the keys its block reaches (the rest never written nor read).
/// Each head's kᵀ (for the scores) and vᵀ (for ∂L/∂P), and its v (for P·v), k (for ∂L/∂q), output gradient (for ∂L/∂v)
/// and q (for ∂L/∂k), are packed once for the product kernel, and every block reads the prefix of keys or the rows of
/// queries it needs in place (<see cref="RowWindows"/>), where each block's product used to pack its own.
/// </para>
/// <para>
/// Backward, per block of queries: ∂L/∂P = g·vᵀ, ∂L/∂S = s·P ⊙ (∂L/∂P − Σⱼ (∂L/∂P ⊙ P)ⱼ) (the softmax's Jacobian),
/// kept as the head's [Lq, Lk] matrix like P, and ∂L/∂q = ∂L/∂S·k; then per block of keys, over the queries that see
/// them: ∂L/∂v = Pᵀ·g and ∂L/∂k = ∂L/∂Sᵀ·q, each key's rows written once by one product as deep as those queries
/// (<see cref="Layout.KeyBlock"/>). Summed over the query blocks instead (products as deep as a block, 24, each adding
/// into rows cleared first), the transformer step ran 1.1% slower (Zen 4, one thread, both builds in one process
/// alternated call by call, 100 pairs in each order). The same products are skipped as forward. Heads are spread over
/// the cores; each head's arithmetic does not depend on which thread runs it, so the bits do not depend on the thread
/// count. When anything is tracked (higher orders, tangents) the weights are recomputed and the same formulas run in
/// recorded ops (products, <see cref="MaskedSoftmaxNode{T}"/>, sums), so derivatives of every order follow; the tangent
/// is the linearization P⊙(Ṡ − Σⱼ(Ṡ ⊙ P)ⱼ)·v + P·v̇ with Ṡ = s·(q̇·kᵀ + q·k̇ᵀ), likewise in ops.
/// </para>
/// <para>
/// Self-attention may take its one input as the three projections side by side instead (AttentionProjections.cs).
/// </para>
/// </remarks>
internal sealed unsafe partial class AttentionNode<T> : Node<T>, ICountsFlops
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

    private AttentionNode(Tensor<T>[] inputs, Layout layout, Tensor<T> weights)
        : base("Attention", inputs)
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
        return Forward([query, key, value], layout, new Shape([.. query.Shape.Dimensions[..^1], layout.ValueSize]), call);
    }

    /// <summary>The forward pass over <paramref name="inputs"/> (q, k, v, or the packed projections) into an output of <paramref name="shape"/>.</summary>
    private static Tensor<T> Forward(Tensor<T>[] inputs, Layout layout, Shape shape, OpCall call)
    {
        var output = Tensor<T>.Uninitialized(shape);
        var weights = Tensor<T>.Uninitialized(new Shape(layout.Heads * layout.WeightsPerHead));
        var scratch = TensorArena.Allocate<T>(layout.Ranges * layout.ForwardScratch, clear: false);
        var (query, key, value) = layout.Packed ? (inputs[0], inputs[0], inputs[0]) : (inputs[0], inputs[1], inputs[2]);
        fixed (T* q = query.Data, k = key.Data, v = value.Data, y = output.Storage, p = weights.Storage, s = scratch)
        {
            ParallelRanges.Run(new ForwardHeads(layout, q, k, v, y, p, s), layout.Heads, layout.Ranges, quantum: 1);
        }
        return Tape.Record(call, output, Tape.Tracks(inputs) ? new AttentionNode<T>(inputs, layout, weights) : null);
    }

    /// <summary>
    /// Forward: the score and value products, 2·R·(d + dv), and one operation per weight (its softmax), with R the weights
    /// the blocks form over all heads (Lq·Lk per head without masking; about half of it with causal masking, each block
    /// reaching the keys its last row sees); backward: the four products ∂P, ∂q, ∂v and ∂k, twice the forward's, and
    /// one per weight (the softmax's Jacobian).
    /// </summary>
    public long Flops(bool backward)
    {
        long reached = (long)_layout.Heads * _layout.Reached();
        long products = 2 * reached * (_layout.KeySize + _layout.ValueSize);
        return (backward ? 2 * products : products) + reached;
    }

    public override Tensor<T> InputGradient(int index, Tensor<T> outputGradient)
    {
        if (!ReferenceEquals(_gradientOf, outputGradient) || _gradients is null)
        {
            _gradients = Tape.Tracks(outputGradient) || InputsTracked()
                ? RecordedGradients(outputGradient)
                : Gradients(outputGradient);
            _gradientOf = outputGradient;
        }
        return _gradients[index];
    }

    public override Tensor<T> OutputTangent(int index, Tensor<T> inputTangent)
    {
        if (_layout.Packed)
        {
            var (queryTangent, keyTangent, valueTangent) = _layout.HeadsOf(inputTangent);
            return _layout.MergeHeads(Tangent(queryTangent, keyTangent, valueTangent));
        }
        return Tangent(index == 0 ? inputTangent : null, index == 1 ? inputTangent : null, index == 2 ? inputTangent : null);
    }

    /// <summary>Whether any input is tracked (its gradient then goes through recorded ops).</summary>
    private bool InputsTracked()
    {
        for (int i = 0; i < InputCount; i++)
        {
            if (Tape.Tracks(Input(i)))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>q, k and v as [*, L, d] tensors: the inputs, or the packed projections' heads in recorded ops.</summary>
    private (Tensor<T> Query, Tensor<T> Key, Tensor<T> Value) Operands() =>
        _layout.Packed ? _layout.HeadsOf(Input(0)) : (Input(0), Input(1), Input(2));

    /// <summary>The linearization of the class remarks for the given tangents (null: zero), in recorded ops.</summary>
    private Tensor<T> Tangent(Tensor<T>? queryTangent, Tensor<T>? keyTangent, Tensor<T>? valueTangent)
    {
        var (query, key, value) = Operands();
        var weights = RecordedWeights();
        Tensor<T>? scoresTangent = queryTangent?.MatMul(key, transposeRight: true);
        if (keyTangent is not null)
        {
            var keyPart = query.MatMul(keyTangent, transposeRight: true);
            scoresTangent = scoresTangent is null ? keyPart : scoresTangent + keyPart;
        }
        var result = valueTangent is null ? null : weights.MatMul(valueTangent);
        if (scoresTangent is not null)
        {
            var scoresPart = MaskedSoftmaxNode<T>.JacobianProduct(weights, scoresTangent * _layout.Scale).MatMul(value);
            result = result is null ? scoresPart : result + scoresPart;
        }
        return result!;
    }

    /// <summary>P in recorded ops, [*, Lq, Lk].</summary>
    private Tensor<T> RecordedWeights()
    {
        var (query, key, _) = Operands();
        return MaskedSoftmaxNode<T>.Apply(query.MatMul(key, transposeRight: true) * _layout.Scale, null, _layout.Causal);
    }

    /// <summary>The backward formulas of the class remarks in recorded ops.</summary>
    private Tensor<T>[] RecordedGradients(Tensor<T> outputGradient)
    {
        var (query, key, value) = Operands();
        var gradient = _layout.Packed ? _layout.SplitHeads(outputGradient) : outputGradient;
        var weights = RecordedWeights();
        var weightsGradient = gradient.MatMul(value, transposeRight: true);
        var scoresGradient = MaskedSoftmaxNode<T>.JacobianProduct(weights, weightsGradient) * _layout.Scale;
        var (queryGradient, keyGradient, valueGradient) = (scoresGradient.MatMul(key), scoresGradient.MatMul(query, transposeLeft: true), weights.MatMul(gradient, transposeLeft: true));
        return _layout.Packed ? [_layout.MergeProjections(queryGradient, keyGradient, valueGradient)] : [queryGradient, keyGradient, valueGradient];
    }

    /// <summary>All three gradients (or the packed projections' one) in one pass per head over the saved weights.</summary>
    private Tensor<T>[] Gradients(Tensor<T> outputGradient)
    {
        var (query, key, value) = _layout.Packed ? (Input(0), Input(0), Input(0)) : (Input(0), Input(1), Input(2));
        var gradients = _layout.Packed
            ? new[] { Tensor<T>.Uninitialized(query.Shape) }
            : new[] { Tensor<T>.Uninitialized(query.Shape), Tensor<T>.Uninitialized(key.Shape), Tensor<T>.Uninitialized(value.Shape) };
        var (queryGradient, keyGradient, valueGradient) = _layout.Packed ? (gradients[0], gradients[0], gradients[0]) : (gradients[0], gradients[1], gradients[2]);
        var scratch = TensorArena.Allocate<T>(_layout.Ranges * _layout.BackwardScratch, clear: false);
        fixed (T* q = query.Data, k = key.Data, v = value.Data, g = outputGradient.Data, p = _weights.Data, s = scratch)
        fixed (T* dq = queryGradient.Storage, dk = keyGradient.Storage, dv = valueGradient.Storage)
        {
            ParallelRanges.Run(new BackwardHeads(_layout, q, k, v, g, p, dq, dk, dv, s), _layout.Heads, _layout.Ranges, quantum: 1);
        }
        return gradients;
    }

    /// <summary>
    /// The sizes of one call: heads, query and key counts, head sizes, masking and scale, and the heads per row of packed
    /// projections (0: q, k and v apart); and the weights' blocks.
    /// </summary>
    private readonly partial record struct Layout(int Heads, int Queries, int Keys, int KeySize, int ValueSize, bool Causal, double Scale, int PackedHeads = 0)
    {
        public int Blocks => (Queries + BlockRows - 1) / BlockRows;

        /// <summary>The weights kept per head, [Lq, Lk] (and the backward pass's ∂L/∂S per head).</summary>
        public int WeightsPerHead => Queries * Keys;

        /// <summary>The keys some query sees: with causal masking, none past the last query.</summary>
        public int KeysSeen => Causal ? Math.Min(Keys, Queries) : Keys;

        /// <summary>Row <paramref name="row"/> of a head's [Lq, Lk] matrix (its weights, or their gradient) at <paramref name="matrix"/>.</summary>
        public T* Row(T* matrix, int row) => matrix + ((nint)row * Keys);

        /// <summary>Blocks of <see cref="BlockRows"/> of the keys seen.</summary>
        public int KeyBlocks => (KeysSeen + BlockRows - 1) / BlockRows;

        /// <summary>A head's kᵀ packed whole for the score products (<see cref="Gemm.PackRight{T}"/>).</summary>
        public int PackedKeys => Gemm.PackedRightLength<T>(KeySize, Keys);

        /// <summary>A head's vᵀ packed whole for the weights' gradient products.</summary>
        public int PackedValues => Gemm.PackedRightLength<T>(ValueSize, Keys);

        /// <summary>A head's v packed for the products P·v (<see cref="RowWindows"/>).</summary>
        public int PackedValueRows => Gemm.PackedRightLength<T>(Keys, ValueSize);

        /// <summary>A head's k packed for the products ∂L/∂S·k.</summary>
        public int PackedKeyRows => Gemm.PackedRightLength<T>(Keys, KeySize);

        /// <summary>A head's output gradient packed for the products Pᵀ·g.</summary>
        public int PackedGradientRows => Gemm.PackedRightLength<T>(Queries, ValueSize);

        /// <summary>A head's q packed for the products ∂L/∂Sᵀ·q.</summary>
        public int PackedQueryRows => Gemm.PackedRightLength<T>(Queries, KeySize);

        /// <summary>The forward pass's scratch per range: kᵀ and v packed.</summary>
        public int ForwardScratch => PackedKeys + PackedValueRows;

        /// <summary>The backward pass's scratch per range: a head's ∂L/∂S, and vᵀ, k, g and q packed.</summary>
        public int BackwardScratch => WeightsPerHead + PackedValues + PackedKeyRows + PackedGradientRows + PackedQueryRows;

        /// <summary>How many ranges the heads are split into: by the products' multiply-adds.</summary>
        public int Ranges => ParallelRanges.Worth((long)Heads * Reached() * (KeySize + ValueSize), GemmParallel.MinWorkPerThread, Heads);

        /// <summary>The first row of block <paramref name="block"/>, its row count, and the keys it reaches.</summary>
        public (int First, int Rows, int Reach) Block(int block)
        {
            int first = block * BlockRows, rows = Math.Min(BlockRows, Queries - first);
            return (first, rows, Causal ? Math.Min(first + rows, Keys) : Keys);
        }

        /// <summary>
        /// The first key of key block <paramref name="block"/>, its key count, and the first query that sees any of them:
        /// with causal masking, the queries from that key on (whose query blocks reach all the block's keys, so the rows
        /// of P and ∂L/∂S that its products read hold each of them, 0 where masked); else every query.
        /// </summary>
        public (int First, int Count, int FirstQuery) KeyBlock(int block)
        {
            int first = block * BlockRows;
            return (first, Math.Min(BlockRows, KeysSeen - first), Causal ? first : 0);
        }

        /// <summary>How many of the first <paramref name="reach"/> keys query <paramref name="query"/> sees.</summary>
        public int Visible(int query, int reach) => Causal ? Math.Min(query + 1, reach) : reach;

        /// <summary>The weights a head's blocks form: each block's rows times the keys it reaches.</summary>
        public int Reached()
        {
            int reached = 0;
            for (int b = 0; b < Blocks; b++)
            {
                var (_, rows, reach) = Block(b);
                reached += rows * reach;
            }
            return reached;
        }
    }

    /// <summary>Heads [start, end) forward.</summary>
    private readonly struct ForwardHeads(Layout layout, T* query, T* key, T* value, T* output, T* weights, T* scratch) : IRangeKernel
    {
        public void Run(int start, int end, int range)
        {
            var n = layout;
            T scale = T.CreateTruncating(n.Scale);
            T* rangeScratch = scratch + ((nint)range * n.ForwardScratch);
            var packedKeys = new Span<T>(rangeScratch, n.PackedKeys);
            var packedValues = new Span<T>(rangeScratch + n.PackedKeys, n.PackedValueRows);
            var (queryStride, keyStride, valueStride, outputStride) = (n.QueryStride, n.KeyStride, n.ValueStride, n.OutputStride);
            for (int head = start; head < end; head++)
            {
                T* q = query + n.QueryOffset(head), k = key + n.KeyOffset(head), y = output + n.OutputOffset(head);
                T* p = weights + ((nint)head * n.WeightsPerHead);
                Gemm.PackRight<T>(Rows(k, n.Keys, n.KeySize, keyStride), true, n.KeySize, n.Keys, packedKeys, keyStride);
                var values = new RowWindows(value + n.ValueOffset(head), n.Keys, n.ValueSize, valueStride, packedValues);
                for (int block = 0; block < n.Blocks; block++)
                {
                    var (first, rows, reach) = n.Block(block);
                    if (head + 1 < end)
                    {
                        n.FetchRows(head + 1, first, rows, query, key, value, output);
                    }
                    T* blockWeights = n.Row(p, first);
                    Gemm.MultiplyPacked<T>(Rows(q + ((nint)first * queryStride), rows, n.KeySize, queryStride), false, packedKeys, Rows(blockWeights, rows, reach, n.Keys), rows, reach, n.KeySize,
                        packedColumns: n.Keys, lda: queryStride, ldc: n.Keys);
                    for (int row = 0; row < rows; row++)
                    {
                        int visible = n.Visible(first + row, reach);
                        Softmax(new Span<T>(n.Row(blockWeights, row), reach), visible, scale);
                    }
                    values.Multiply(Rows(blockWeights, rows, reach, n.Keys), false, 0, reach, Rows(y + ((nint)first * outputStride), rows, n.ValueSize, outputStride), rows,
                        lda: n.Keys, ldc: outputStride);
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
            T* scoresGradient = rangeScratch;
            T* packedStart = rangeScratch + n.WeightsPerHead;
            var packedValues = new Span<T>(packedStart, n.PackedValues);
            var packedKeys = new Span<T>(packedStart + n.PackedValues, n.PackedKeyRows);
            var packedGradient = new Span<T>(packedStart + n.PackedValues + n.PackedKeyRows, n.PackedGradientRows);
            var packedQueries = new Span<T>(packedStart + n.PackedValues + n.PackedKeyRows + n.PackedGradientRows, n.PackedQueryRows);
            var (queryStride, keyStride, valueStride, outputStride) = (n.QueryStride, n.KeyStride, n.ValueStride, n.OutputStride);
            for (int head = start; head < end; head++)
            {
                T* q = query + n.QueryOffset(head), v = value + n.ValueOffset(head), g = outputGradient + n.OutputOffset(head);
                T* dq = queryGradient + n.QueryOffset(head), dk = keyGradient + n.KeyOffset(head), dv = valueGradient + n.ValueOffset(head);
                T* p = weights + ((nint)head * n.WeightsPerHead);
                // Keys no query sees (causal, more keys than queries) get no product.
                ClearRows(dk + ((nint)n.KeysSeen * keyStride), n.Keys - n.KeysSeen, n.KeySize, keyStride);
                ClearRows(dv + ((nint)n.KeysSeen * valueStride), n.Keys - n.KeysSeen, n.ValueSize, valueStride);
                Gemm.PackRight<T>(Rows(v, n.Keys, n.ValueSize, valueStride), true, n.ValueSize, n.Keys, packedValues, valueStride);
                var keys = new RowWindows(key + n.KeyOffset(head), n.Keys, n.KeySize, keyStride, packedKeys);
                var gradients = new RowWindows(g, n.Queries, n.ValueSize, outputStride, packedGradient);
                var queries = new RowWindows(q, n.Queries, n.KeySize, queryStride, packedQueries);
                for (int block = 0; block < n.Blocks; block++)
                {
                    var (first, rows, reach) = n.Block(block);
                    if (head + 1 < end)
                    {
                        n.FetchRows(head + 1, first, rows, query, key, value, outputGradient);
                        n.FetchRows(head + 1, first, rows, queryGradient, keyGradient, valueGradient, null);
                    }
                    T* blockWeights = n.Row(p, first), blockGradient = n.Row(scoresGradient, first);
                    Gemm.MultiplyPacked<T>(Rows(g + ((nint)first * outputStride), rows, n.ValueSize, outputStride), false, packedValues, Rows(blockGradient, rows, reach, n.Keys), rows, reach, n.ValueSize,
                        packedColumns: n.Keys, lda: outputStride, ldc: n.Keys);
                    for (int row = 0; row < rows; row++)
                    {
                        var rowGradient = new Span<T>(n.Row(blockGradient, row), reach);
                        int visible = n.Visible(first + row, reach);
                        SoftmaxJacobian.PrefixRow<T>(new ReadOnlySpan<T>(n.Row(blockWeights, row), reach), rowGradient, visible, scale, rowGradient);
                    }
                    keys.Multiply(Rows(blockGradient, rows, reach, n.Keys), false, 0, reach, Rows(dq + ((nint)first * queryStride), rows, n.KeySize, queryStride), rows,
                        lda: n.Keys, ldc: queryStride);
                }
                for (int block = 0; block < n.KeyBlocks; block++)
                {
                    // Columns [first, first + count) of P and ∂L/∂S from the first query that sees them on, as the Aᵀ of the products.
                    var (first, count, from) = n.KeyBlock(block);
                    int depth = n.Queries - from;
                    gradients.Multiply(Rows(n.Row(p, from) + first, depth, count, n.Keys), true, from, depth, Rows(dv + ((nint)first * valueStride), count, n.ValueSize, valueStride), count,
                        lda: n.Keys, ldc: valueStride);
                    queries.Multiply(Rows(n.Row(scoresGradient, from) + first, depth, count, n.Keys), true, from, depth, Rows(dk + ((nint)first * keyStride), count, n.KeySize, keyStride), count,
                        lda: n.Keys, ldc: keyStride);
                }
            }
        }
    }

    /// <summary>The span over <paramref name="rows"/> rows of <paramref name="width"/> elements, <paramref name="stride"/> apart, from <paramref name="start"/>.</summary>
    private static Span<T> Rows(T* start, int rows, int width, int stride) => new(start, rows == 0 ? 0 : ((rows - 1) * stride) + width);

    /// <summary>Zeroes <paramref name="rows"/> rows of <paramref name="width"/> elements, <paramref name="stride"/> apart (a head's ∂L/∂k or ∂L/∂v before its blocks add to it).</summary>
    private static void ClearRows(T* start, int rows, int width, int stride)
    {
        for (int row = 0; row < rows; row++)
        {
            new Span<T>(start + ((nint)row * stride), width).Clear();
        }
    }

    /// <summary>
    /// A head's [rows, width] matrix m (v, k, the output gradient or q; its rows <c>stride</c> apart) as the B of products
    /// that each read a window of its rows (a prefix of keys, or a block's queries): packed whole once when it fits in one
    /// depth block of the product kernel (<see cref="Gemm.PacksInOneDepthBlock{T}"/>), every product then reading its
    /// window in place; else each window packed as its product comes.
    /// </summary>
    private readonly ref struct RowWindows
    {
        private readonly T* _matrix;
        private readonly int _rows;
        private readonly int _width;
        private readonly int _stride;
        private readonly Span<T> _packed;
        private readonly bool _packedWhole;

        public RowWindows(T* matrix, int rows, int width, int stride, Span<T> packed)
        {
            _matrix = matrix;
            _rows = rows;
            _width = width;
            _stride = stride;
            _packed = packed;
            _packedWhole = Gemm.PacksInOneDepthBlock<T>(rows);
            if (_packedWhole)
            {
                Gemm.PackRight<T>(Rows(matrix, rows, width, stride), false, rows, width, packed, stride);
            }
        }

        /// <summary>c = op(a)·m[first .. first + count] for an op(a) of <paramref name="m"/> rows; a's rows and c's as in <see cref="Gemm.MultiplyPacked{T}"/>.</summary>
        public void Multiply(ReadOnlySpan<T> a, bool transposeA, int first, int count, Span<T> c, int m, int lda, int ldc)
        {
            if (_packedWhole)
            {
                Gemm.MultiplyPacked<T>(a, transposeA, _packed, c, m, _width, count, packedDepth: _rows, depthOffset: first, lda: lda, ldc: ldc);
                return;
            }
            Gemm.PackRight<T>(Rows(_matrix + ((nint)first * _stride), count, _width, _stride), false, count, _width, _packed, _stride);
            Gemm.MultiplyPacked<T>(a, transposeA, _packed, c, m, _width, count, lda: lda, ldc: ldc);
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
