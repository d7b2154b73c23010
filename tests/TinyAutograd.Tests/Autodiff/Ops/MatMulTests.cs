using FsCheck;
using FsCheck.Fluent;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Autodiff.Ops;

/// <summary>
/// a.MatMul(b) in all its NumPy forms (matrix·matrix, matrix·vector, vector·matrix, vector·vector, batched with
/// broadcast batch axes) and the static MatMul(a, b, transposeLeft, transposeRight) with all four flag combinations.
/// </summary>
public sealed class MatMulTests
{
    /// <summary>A product to test: the operands' shapes and how the product is called.</summary>
    private sealed record Form(string Name, Shape Left, Shape Right, bool Static, bool TransposeLeft, bool TransposeRight)
    {
        public Tensor<double> Apply(Tensor<double> a, Tensor<double> b) =>
            Static ? Tensor.MatMul(a, b, TransposeLeft, TransposeRight) : a.MatMul(b);

        public override string ToString() => $"{Name}: {Left} by {Right}";
    }

    private static readonly Gen<int> Size = Gen.Choose(1, Shapes.MaxSize);

    /// <summary>Batch axes (rank 0 … 2) of the two operands, broadcast-compatible.</summary>
    private static readonly Gen<(Shape Left, Shape Right)> BatchAxes =
        from full in Shapes.RankBetween(0, 2)
        from left in Shapes.BroadcastingTo(full)
        from right in Shapes.BroadcastingTo(full)
        select (left, right);

    private static readonly Gen<Form> Forms =
        from m in Size
        from k in Size
        from n in Size
        from batch in BatchAxes
        from transposeLeft in Gen.Elements(false, true)
        from transposeRight in Gen.Elements(false, true)
        from form in Gen.Elements(
            new Form("matrix·matrix", new Shape(m, k), new Shape(k, n), false, false, false),
            new Form("matrix·vector", new Shape(m, k), new Shape(k), false, false, false),
            new Form("vector·matrix", new Shape(k), new Shape(k, n), false, false, false),
            new Form("vector·vector", new Shape(k), new Shape(k), false, false, false),
            new Form("batched", Append(batch.Left, m, k), Append(batch.Right, k, n), false, false, false),
            new Form("batched·vector", Append(batch.Left, m, k), new Shape(k), false, false, false),
            new Form("vector·batched", new Shape(k), Append(batch.Right, k, n), false, false, false),
            new Form($"static (transposeLeft: {transposeLeft}, transposeRight: {transposeRight})",
                transposeLeft ? Append(batch.Left, k, m) : Append(batch.Left, m, k),
                transposeRight ? Append(batch.Right, n, k) : Append(batch.Right, k, n),
                true, transposeLeft, transposeRight))
        select form;

    private static readonly Gen<(Form Form, Tensor<double> A, Tensor<double> B)> Operands =
        from form in Forms
        from a in TensorGen.Of(form.Left, Values.General)
        from b in TensorGen.Of(form.Right, Values.General)
        select (form, a, b);

    private static readonly Gen<OpCase> Cases =
        from operands in Operands
        from opCase in OpCase.Of($"MatMul {operands.Form}", xs => operands.Form.Apply(xs[0], xs[1]), operands.A, operands.B)
        select opCase;

    [Fact]
    public void ValueMatchesReference() =>
        Properties.ForAll(Operands, operands =>
        {
            var (form, a, b) = operands;
            // Sums of at most 4 products of values in [−3, 3]: rounding below 4 · 36 · 1.1e-16 ≈ 1.6e-14.
            ElementwiseComparison.Require($"MatMul {form}", form.Apply(a, b), ReferenceProduct(form, a, b), new Tolerance(Absolute: 2e-14, Relative: 0));
        });

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        Properties.GradientMatchesFiniteDifferences(Cases, new Tolerance(Absolute: 1e-8, Relative: 1e-6), count: 200);

    [Fact]
    public void SecondOrderPropertiesHold() =>
        Properties.SecondOrderHolds(Cases, SecondOrderTolerances.Standard, count: 200);

    [Fact]
    public void ResultShapesFollowNumPy()
    {
        var matrix = Tensor.Ones<double>(2, 3);
        var vector = Tensor.Ones<double>(3);
        Assert.Equal(new Shape(2), matrix.MatMul(vector).Shape);
        Assert.Equal(new Shape(2), vector.MatMul(Tensor.Ones<double>(3, 2)).Shape);
        Assert.Equal(Shape.Scalar, vector.MatMul(vector).Shape);
        Assert.Equal(new Shape(5, 4, 2, 2), Tensor.Ones<double>(5, 1, 2, 3).MatMul(Tensor.Ones<double>(4, 3, 2)).Shape);
    }

    /// <summary>
    /// The product from its definition: vectors promoted to a one-row (left) or one-column (right) matrix, op() applied
    /// per flag, batch axes broadcast, C[…, i, j] = Σₚ op(A)[…, i, p]·op(B)[…, p, j], then promoted axes removed.
    /// </summary>
    private static Tensor<double> ReferenceProduct(Form form, Tensor<double> a, Tensor<double> b)
    {
        var left = a.Rank == 1 ? NdIndex.TensorOf(new Shape(1, a.Length), a.ToArray()) : a;
        var right = b.Rank == 1 ? NdIndex.TensorOf(new Shape(b.Length, 1), b.ToArray()) : b;
        var l = left.Shape.ToArray();
        var r = right.Shape.ToArray();
        int m = form.TransposeLeft ? l[^1] : l[^2];
        int k = form.TransposeLeft ? l[^2] : l[^1];
        int n = form.TransposeRight ? r[^2] : r[^1];
        var batch = Reference.BroadcastShape(new Shape(l.AsSpan(0, l.Length - 2)), new Shape(r.AsSpan(0, r.Length - 2))).ToArray();
        var product = NdIndex.Build(Append(new Shape(batch), m, n), index =>
        {
            var outer = index[..^2];
            int i = index[^2], j = index[^1];
            double sum = 0;
            for (int p = 0; p < k; p++)
            {
                sum += NdIndex.AtBroadcast(left, [.. outer, .. form.TransposeLeft ? new[] { p, i } : [i, p]])
                    * NdIndex.AtBroadcast(right, [.. outer, .. form.TransposeRight ? new[] { j, p } : [p, j]]);
            }
            return sum;
        });
        var dims = batch.ToList();
        if (a.Rank > 1)
        {
            dims.Add(m);
        }
        if (b.Rank > 1)
        {
            dims.Add(n);
        }
        return NdIndex.TensorOf(new Shape([.. dims]), product.ToArray());
    }

    private static Shape Append(Shape shape, params int[] dims) => new([.. shape.ToArray(), .. dims]);
}
