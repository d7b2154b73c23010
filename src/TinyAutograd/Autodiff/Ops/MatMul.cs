using System.Numerics;
using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;
using TinyAutograd.Kernels;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Matrix product with NumPy semantics: matrix·matrix, matrix·vector, vector·matrix, vector·vector (a 0-d dot
    /// product), and batched products whose leading (batch) axes broadcast; either operand's last two axes may be
    /// transposed on the fly, named at the call: <c>x.MatMul(w, transposeRight: true)</c> is a linear layer with w
    /// stored as [out, in].
    /// </summary>
    /// <remarks>
    /// C = op(A)·op(B), where op transposes the last two axes when its flag is set (no transpose is ever copied);
    /// ∂L/∂op(A) = G·op(B)ᵀ and ∂L/∂op(B) = op(A)ᵀ·G, computed with transpose flags and summed over broadcast batch
    /// axes. A vector operand is treated as a one-row (left) or one-column (right) matrix and that axis is removed from
    /// the result; a vector has no axes to transpose.
    /// </remarks>
    /// <param name="other">The right operand B.</param>
    /// <param name="transposeLeft">Whether to use this operand's last two axes swapped (Aᵀ); needs rank ≥ 2.</param>
    /// <param name="transposeRight">Whether to use <paramref name="other"/>'s last two axes swapped (Bᵀ); needs rank ≥ 2.</param>
    /// <param name="file">The caller's source file, filled in by the compiler.</param>
    /// <param name="line">The caller's line, filled in by the compiler.</param>
    /// <exception cref="ArgumentException">
    /// An operand is 0-d, a transposed operand is a vector, the inner sizes differ, or the batch axes cannot be broadcast.
    /// </exception>
    public Tensor<T> MatMul(Tensor<T> other, bool transposeLeft = false, bool transposeRight = false, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(other);
        using var composite = OpCall.Enter(OpCall.At("MatMul", file, line));
        if (Rank == 0 || other.Rank == 0)
        {
            throw new ArgumentException($"MatMul: operands must have at least one axis; got shapes {Shape} and {other.Shape}. Use * for scaling by a scalar.", nameof(other));
        }
        if ((transposeLeft && Rank == 1) || (transposeRight && other.Rank == 1))
        {
            throw new ArgumentException(
                $"MatMul: a vector has no axes to transpose; got shapes {Shape} and {other.Shape} with transposeLeft: {transposeLeft}, transposeRight: {transposeRight}. " +
                "Transpose flags need an operand of rank 2 or more.", nameof(other));
        }
        var left = Rank == 1 ? Reshape(1, Shape[0]) : this;
        var right = other.Rank == 1 ? other.Reshape(other.Shape[0], 1) : other;
        var product = MatMulNode<T>.Apply(left, right, transposeLeft, transposeRight);
        if (Rank > 1 && other.Rank > 1)
        {
            return product;
        }
        var dims = product.Shape.ToArray().ToList();
        if (other.Rank == 1)
        {
            dims.RemoveAt(dims.Count - 1);
        }
        if (Rank == 1)
        {
            dims.RemoveAt(dims.Count - (other.Rank == 1 ? 1 : 2));
        }
        return product.Reshape([.. dims]);
    }

    /// <summary>The matrix product <paramref name="left"/>.MatMul(<paramref name="right"/>, transposeLeft, transposeRight), as a static call.</summary>
    /// <remarks>Same as <see cref="MatMul(Tensor{T}, bool, bool, string?, int)"/>; <see cref="Tensor.MatMul{T}"/> is the same call without naming T.</remarks>
    /// <exception cref="ArgumentException">As for <see cref="MatMul(Tensor{T}, bool, bool, string?, int)"/>.</exception>
    public static Tensor<T> MatMul(Tensor<T> left, Tensor<T> right, bool transposeLeft = false, bool transposeRight = false, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return left.MatMul(right, transposeLeft, transposeRight, file, line);
    }
}

internal sealed class MatMulNode<T> : Node<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly bool _transposeLeft;
    private readonly bool _transposeRight;

    /// <summary>
    /// The fewest multiply-adds in each of two products that run side by side: a quarter of the per-thread minimum of a
    /// split product, as the pair splits neither product and only waits for the slower of the two (the MLP's last layer,
    /// two products of 327,680 multiply-adds below that minimum, made its 2-thread step 1.2–1.4% faster side by side).
    /// </summary>
    private static long MinWorkSideBySide => GemmParallel.MinWorkPerThread / 4;

    /// <summary>The right input's gradient, made beside the left's (<see cref="BothGradientsOverlap"/>), until asked for.</summary>
    private Tensor<T>? _rightGradient;

    /// <summary>The output gradient <see cref="_rightGradient"/> was made from.</summary>
    private Tensor<T>? _rightGradientOf;

    private MatMulNode(Tensor<T> left, Tensor<T> right, bool transposeLeft, bool transposeRight)
        : base("MatMul", left, right)
    {
        _transposeLeft = transposeLeft;
        _transposeRight = transposeRight;
    }

    /// <summary>The node of <see cref="Tensor{T}.Linear"/>: x·Wᵀ + b, with the bias as input 2.</summary>
    private MatMulNode(Tensor<T> input, Tensor<T> weight, Tensor<T> bias)
        : base("Linear", [input, weight, bias])
    {
        _transposeRight = true;
    }

    /// <summary>Whether the node adds a bias row (input 2) to the product: a <see cref="Tensor{T}.Linear"/> node.</summary>
    private bool HasBias => InputCount == 3;

    public static Tensor<T> Apply(Tensor<T> left, Tensor<T> right, bool transposeLeft, bool transposeRight, OpCall call = default)
    {
        var result = Product(left, right, transposeLeft, transposeRight, into: null);
        return Tape.Record(call, result, Tape.Tracks(left, right) ? new MatMulNode<T>(left, right, transposeLeft, transposeRight) : null);
    }

    /// <summary>
    /// y = x·Wᵀ + b for x [*, in] (rank 2 or more), W [out, in] and b [out], the bias added to each product tile as it is
    /// made (<see cref="Gemm.MultiplyAddingRow{T}"/>); shapes checked by the caller.
    /// </summary>
    public static Tensor<T> ApplyLinear(Tensor<T> input, Tensor<T> weight, Tensor<T> bias, OpCall call = default)
    {
        int outFeatures = weight.Shape[0], inFeatures = weight.Shape[1];
        var result = Tensor<T>.Uninitialized(new Shape([.. input.Shape.Dimensions[..^1], outFeatures]));
        Gemm.MultiplyAddingRow<T>(input.Data, false, weight.Data, true, bias.Data, result.Storage, input.Length / inFeatures, outFeatures, inFeatures);
        return Tape.Record(call, result, Tape.Tracks(input, weight) || Tape.Tracks(bias) ? new MatMulNode<T>(input, weight, bias) : null);
    }

    internal override bool BroadcastsInputs => true;

    /// <remarks>The bias's gradient is G itself, which the engine sums over the rows (<see cref="Node{T}.SumToInput"/>).</remarks>
    public override Tensor<T> InputGradient(int index, Tensor<T> outputGradient)
    {
        if (index == 2)
        {
            return outputGradient;
        }
        if (index == 1 && ReferenceEquals(_rightGradientOf, outputGradient) && _rightGradient is { } made)
        {
            (_rightGradient, _rightGradientOf) = (null, null);
            return made;
        }
        if (index == 0 && BothGradientsOverlap(outputGradient) is var (left, right))
        {
            (_rightGradient, _rightGradientOf) = (right, outputGradient);
            return left;
        }
        return Backward(index, outputGradient, Input(1 - index), into: null);
    }

    /// <summary>
    /// Both inputs' gradients at once, each product on a core of its own, when both inputs require gradients in a plain
    /// backward (nothing recorded) and each product is a single GEMM of at least <see cref="MinWorkSideBySide"/>
    /// multiply-adds; null otherwise. (A gradient taken with respect to the left input alone then makes the right one for
    /// nothing.) Two products side by side need one join where splitting each over the cores needs two, and each
    /// packs its operands once instead of once per core (the MLP's 256×128×256 and 128×256×256 pair took 155 µs against
    /// 162–176 µs one after the other on two cores). The bits are those of the products run one after the other, as a
    /// product's do not depend on its thread count.
    /// </summary>
    private unsafe (Tensor<T> Left, Tensor<T> Right)? BothGradientsOverlap(Tensor<T> outputGradient)
    {
        var (a, b) = (Input(0), Input(1));
        if (Parallelism.MaxThreads < 2 || WorkerPool.IsBusy || !a.RequiresGrad || !b.RequiresGrad || Tape.Tracks(outputGradient) || Tape.Tracks(a, b))
        {
            return null;
        }
        var first = GradientProduct(0, outputGradient, b);
        var second = GradientProduct(1, outputGradient, a);
        if (!first.IsSingleGemm || !second.IsSingleGemm || Math.Min(first.Work, second.Work) < MinWorkSideBySide)
        {
            return null;
        }
        var (left, right) = (Tensor<T>.Uninitialized(first.Shape), Tensor<T>.Uninitialized(second.Shape));
        fixed (T* a0 = first.Left.Data, b0 = first.Right.Data, c0 = left.Storage, a1 = second.Left.Data, b1 = second.Right.Data, c1 = right.Storage)
        {
            ParallelRanges.Run(new GemmPair(first.Call(a0, b0, c0), second.Call(a1, b1, c1)), 2, 2, quantum: 1);
        }
        return (Tape.Record(default, left, null), Tape.Record(default, right, null));
    }

    /// <remarks>The bias's tangent ḃ is its contribution as it is; the engine broadcasts it over the rows.</remarks>
    public override Tensor<T> OutputTangent(int index, Tensor<T> inputTangent) => index switch
    {
        0 => Apply(inputTangent, Input(1), _transposeLeft, _transposeRight),
        1 => Apply(Input(0), inputTangent, _transposeLeft, _transposeRight),
        _ => inputTangent,
    };

    /// <summary>Ċ = op(Ȧ)·op(B) + op(A)·op(Ḃ) (+ ḃ on every row), the second product added into the first's buffer.</summary>
    internal override Tensor<T> PushForward()
    {
        var (a, b) = (Input(0), Input(1));
        var sum = a.Tangent is { } leftTangent ? Product(leftTangent, b, _transposeLeft, _transposeRight, into: null) : null;
        sum = b.Tangent is { } rightTangent ? Product(a, rightTangent, _transposeLeft, _transposeRight, sum) : sum;
        if (HasBias && Input(2).Tangent is { } biasTangent)
        {
            return sum is null ? biasTangent : sum + biasTangent;
        }
        return sum!;
    }

    /// <summary>
    /// The tangent of ∂L/∂A = G·op(B)ᵀ is Ġ·op(B)ᵀ + G·op(Ḃ)ᵀ (likewise for B): two products into one buffer, without
    /// forming the gradient itself.
    /// </summary>
    internal override Tensor<T>? InputGradientTangent(int index, Tensor<T> outputGradient)
    {
        if (index == 2)
        {
            return outputGradient.Tangent;
        }
        var other = Input(1 - index);
        var sum = outputGradient.Tangent is { } gradientTangent ? Backward(index, gradientTangent, other.Detach(), into: null) : null;
        if (other.Tangent is { } otherTangent)
        {
            sum = Backward(index, outputGradient.Detach(), otherTangent, sum);
        }
        return sum;
    }

    /// <remarks>
    /// The share's product as a node of its own, unformed, when it needs no sum over broadcast batch axes (it has the
    /// input's shape) and is recorded at all; the bias's share is G itself, already formed.
    /// </remarks>
    internal override Tensor<T>? UnformedInputGradient(int index, Tensor<T> outputGradient)
    {
        if (index == 2)
        {
            return null;
        }
        var product = GradientProduct(index, outputGradient, Input(1 - index));
        return product.Shape == Input(index).Shape && Tape.Tracks(product.Left, product.Right)
            ? Tape.RecordUnformed(product.Shape, new MatMulNode<T>(product.Left, product.Right, product.TransposeLeft, product.TransposeRight))
            : null;
    }

    /// <summary>
    /// ∂L/∂A = G·op(B)ᵀ (index 0) or ∂L/∂B = op(A)ᵀ·G (index 1) at the broadcast batch shape (the engine sums it over
    /// the batch axes the operand was broadcast along), with the transposes expressed as flags. Unrecorded when <paramref name="into"/> is given (then added into it).
    /// </summary>
    /// <remarks>
    /// A matrix B shared by every batch item of an untransposed A (a linear layer over a sequence) gets the sum over the
    /// items at once: Σᵢ Aᵢᵀ·Gᵢ is one product of the items' stacked rows, Aᵀ·G over [items·m, k] and [items·m, n],
    /// where the batched form made one thin product per item and a full-size sum.
    /// </remarks>
    private Tensor<T> Backward(int index, Tensor<T> g, Tensor<T> other, Tensor<T>? into)
    {
        var product = GradientProduct(index, g, other);
        return into is null
            ? Apply(product.Left, product.Right, product.TransposeLeft, product.TransposeRight)
            : Product(product.Left, product.Right, product.TransposeLeft, product.TransposeRight, into);
    }

    /// <summary>The product that makes input <paramref name="index"/>'s gradient (see <see cref="Backward"/>).</summary>
    private GradientOperands GradientProduct(int index, Tensor<T> g, Tensor<T> other)
    {
        if (index == 1 && SharesRight(other, g))
        {
            var stackedLeft = other.Reshape(other.Length / other.Shape[^1], other.Shape[^1]);
            var stackedGradient = g.Reshape(g.Length / g.Shape[^1], g.Shape[^1]);
            (other, g) = (stackedLeft, stackedGradient);
        }
        var (left, right, transposeLeft, transposeRight) = index == 0
            ? (_transposeLeft ? (other, g, _transposeRight, true) : (g, other, false, !_transposeRight))
            : (_transposeRight ? (g, other, true, _transposeLeft) : (other, g, !_transposeLeft, false));
        return new GradientOperands(left, right, transposeLeft, transposeRight);
    }

    /// <summary>op(Left)·op(Right), one input's gradient as a product.</summary>
    private readonly record struct GradientOperands(Tensor<T> Left, Tensor<T> Right, bool TransposeLeft, bool TransposeRight)
    {
        /// <summary>Whether the product is one GEMM: two matrices, or a shared right matrix under stacked rows.</summary>
        public bool IsSingleGemm => (Left.Rank == 2 && Right.Rank == 2) || StacksLeft(Left, Right, TransposeLeft);

        /// <summary>The product's rows (all items' when stacked), columns and depth.</summary>
        private (int M, int N, int K) Sizes => (
            TransposeLeft ? Left.Shape[^1] : Left.Length / Left.Shape[^1],
            TransposeRight ? Right.Shape[^2] : Right.Shape[^1],
            TransposeLeft ? Left.Shape[^2] : Left.Shape[^1]);

        /// <summary>Its multiply-adds.</summary>
        public long Work
        {
            get
            {
                var (m, n, k) = Sizes;
                return (long)m * n * k;
            }
        }

        /// <summary>The result's shape: the left operand's leading axes, then the product's rows and columns.</summary>
        public Shape Shape => new([.. Left.Shape.Dimensions[..^2], TransposeLeft ? Left.Shape[^1] : Left.Shape[^2], Sizes.N]);

        /// <summary>The product on pinned storage.</summary>
        public unsafe GemmCall Call(T* left, T* right, T* result)
        {
            var (m, n, k) = Sizes;
            return new(left, Left.Length, TransposeLeft, right, Right.Length, TransposeRight, result, m, n, k);
        }
    }

    /// <summary>Whether the right operand is one matrix shared by the batch items of <paramref name="left"/> (the left
    /// operand or its tangent, untransposed) and <paramref name="gradient"/> (batched like the output), so that its
    /// gradient is one product over the items' stacked rows.</summary>
    private bool SharesRight(Tensor<T> left, Tensor<T> gradient) => StacksLeft(left, Input(1), _transposeLeft) && gradient.Rank > 2;

    /// <summary>Whether op(<paramref name="left"/>)·op(<paramref name="right"/>) is one product over the stacked rows of
    /// left's batch items: right is a single matrix and left is not transposed (its items' rows follow each other).</summary>
    private static bool StacksLeft(Tensor<T> left, Tensor<T> right, bool transposeLeft) => left.Rank > 2 && right.Rank == 2 && !transposeLeft;

    /// <summary>op(left)·op(right), unrecorded, into a new buffer or added into <paramref name="into"/>.</summary>
    private static Tensor<T> Product(Tensor<T> left, Tensor<T> right, bool transposeLeft, bool transposeRight, Tensor<T>? into)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        if (left.Rank < 2 || right.Rank < 2)
        {
            throw new ArgumentException($"MatMul: both operands need at least two axes here; got shapes {left.Shape} and {right.Shape}.", nameof(left));
        }
        var a = left.Shape.Dimensions;
        var b = right.Shape.Dimensions;
        int m = transposeLeft ? a[^1] : a[^2];
        int k = transposeLeft ? a[^2] : a[^1];
        int kRight = transposeRight ? b[^1] : b[^2];
        int n = transposeRight ? b[^2] : b[^1];
        if (k != kRight)
        {
            throw new ArgumentException(
                $"MatMul: cannot multiply {Describe(left.Shape, transposeLeft)} by {Describe(right.Shape, transposeRight)}: the inner sizes {k} and {kRight} differ " +
                "(the left operand's columns must equal the right operand's rows).", nameof(right));
        }
        var shape = ProductShape(a[..^2], b[..^2], m, n);
        if (into is not null && into.Shape != shape)
        {
            throw new InvalidOperationException($"MatMul: a product of shape {shape} cannot be added into a tensor of shape {into.Shape}.");
        }
        var result = into ?? Tensor<T>.Uninitialized(shape);
        Multiply(left, right, transposeLeft, transposeRight, shape.Dimensions[..^2], m, n, k, result.Storage, accumulate: into is not null);
        return result;
    }

    /// <summary>[batch…, m, n]: the broadcast of the operands' batch axes followed by the product's rows and columns.</summary>
    private static Shape ProductShape(ReadOnlySpan<int> leftBatch, ReadOnlySpan<int> rightBatch, int m, int n)
    {
        int rank = Math.Max(leftBatch.Length, rightBatch.Length);
        var dims = new int[rank + 2];
        Shape.Broadcast(leftBatch, rightBatch, dims.AsSpan(0, rank), "MatMul (batch axes)");
        (dims[rank], dims[rank + 1]) = (m, n);
        return Shape.FromOwned(dims);
    }

    /// <summary>
    /// One GEMM per batch item. Batches of enough work are split into ranges of items over the cores
    /// (<see cref="ParallelRanges"/>); each item is the same single product whatever range runs it, so the bits do not
    /// depend on the thread count.
    /// </summary>
    private static unsafe void Multiply(Tensor<T> left, Tensor<T> right, bool transposeLeft, bool transposeRight, ReadOnlySpan<int> batchDims, int m, int n, int k, Span<T> result, bool accumulate)
    {
        int batchCount = 1;
        foreach (int size in batchDims)
        {
            batchCount *= size;
        }
        if (batchCount == 1 || StacksLeft(left, right, transposeLeft))
        {
            Gemm.Multiply<T>(left.Data, transposeLeft, right.Data, transposeRight, result, batchCount * m, n, k, accumulate);
            return;
        }
        int rank = batchDims.Length;
        Span<int> layout = stackalloc int[3 * rank];
        batchDims.CopyTo(layout);
        BroadcastKernel.BroadcastStrides(left.Shape.Dimensions[..^2], batchDims, layout.Slice(rank, rank));
        BroadcastKernel.BroadcastStrides(right.Shape.Dimensions[..^2], batchDims, layout.Slice(2 * rank, rank));
        long work = (long)batchCount * m * n * k;
        int ranges = ParallelRanges.Worth(work, GemmParallel.MinWorkPerThread, batchCount);
        fixed (T* a = left.Data, b = right.Data, c = result)
        fixed (int* dims = layout)
        {
            var items = new BatchItems(a, transposeLeft, b, transposeRight, c, m, n, k, accumulate, dims, rank);
            ParallelRanges.Run(items, batchCount, ranges, quantum: 1);
        }
    }

    /// <summary>
    /// The products of batch items [start, end): item i reads the left and right matrices at the batch offsets its
    /// index gives under the broadcast strides (<c>dims</c>: the batch sizes, then the left strides, then the right).
    /// </summary>
    private readonly unsafe struct BatchItems(T* a, bool transposeA, T* b, bool transposeB, T* c, int m, int n, int k, bool accumulate, int* dims, int rank) : IRangeKernel
    {
        public void Run(int start, int end, int range)
        {
            int leftSize = m * k, rightSize = k * n, resultSize = m * n;
            for (int item = start; item < end; item++)
            {
                int leftMatrix = 0, rightMatrix = 0;
                for (int axis = rank - 1, rest = item; axis >= 0; axis--)
                {
                    int index = rest % dims[axis];
                    rest /= dims[axis];
                    leftMatrix += index * dims[rank + axis];
                    rightMatrix += index * dims[2 * rank + axis];
                }
                Gemm.Multiply<T>(new ReadOnlySpan<T>(a + (long)leftMatrix * leftSize, leftSize), transposeA, new ReadOnlySpan<T>(b + (long)rightMatrix * rightSize, rightSize), transposeB,
                    new Span<T>(c + (long)item * resultSize, resultSize), m, n, k, accumulate);
            }
        }
    }

    /// <summary>One GEMM on pinned storage, C = op(A)·op(B) (m×n×k).</summary>
    private readonly unsafe struct GemmCall(T* a, int aLength, bool transposeA, T* b, int bLength, bool transposeB, T* c, int m, int n, int k)
    {
        public void Run() =>
            Gemm.Multiply<T>(new ReadOnlySpan<T>(a, aLength), transposeA, new ReadOnlySpan<T>(b, bLength), transposeB, new Span<T>(c, m * n), m, n, k);
    }

    /// <summary>Two independent products, one per range.</summary>
    private readonly struct GemmPair(GemmCall first, GemmCall second) : IRangeKernel
    {
        public void Run(int start, int end, int range)
        {
            for (int item = start; item < end; item++)
            {
                (item == 0 ? first : second).Run();
            }
        }
    }

    private static string Describe(Shape shape, bool transposed) => transposed ? $"{shape} (transposed)" : shape.ToString();
}
