using FsCheck;
using FsCheck.Fluent;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.OpRegistry;

/// <summary>
/// The registry entries of the matrix product, in all its NumPy forms and with transposes named at the call, and of the
/// inner product of two tensors of one shape.
/// </summary>
internal static class ProductEntries
{
    public static IEnumerable<OpInfo> All()
    {
        yield return new OpInfo("MatMul",
            ["Tensor<T>.MatMul(Tensor<T>, bool, bool)", "Tensor<T>.MatMul(Tensor<T>, Tensor<T>, bool, bool)", "Tensor.MatMul(Tensor<T>, Tensor<T>, bool, bool)"],
            [Domain.General, Domain.General], Calls)
        {
            MinRank = 1,
            MaxRank = 3,
            // Sums of at most 4 products of values in [−3, 3] (65 for the large shapes, only compared bit for bit): 4 · 36 · 1.1e-16 ≈ 1.6e-14.
            ForwardTolerance = new Tolerance(2e-14, 0),
        };
        yield return new OpInfo("Linear", ["Tensor<T>.Linear(Tensor<T>, Tensor<T>)"], [Domain.General, Domain.General, Domain.General], LinearCalls)
        {
            MinRank = 1,
            MaxRank = 3,
            // A bias and a sum of at most 4 products of values in [−3, 3] (65 for the large shapes): 5 · 36 · 1.1e-16 ≈ 2e-14.
            ForwardTolerance = new Tolerance(3e-14, 0),
        };
        // Σ of at most 256 products of values in [−3, 3], in another order than the reference's: 255 · 1.1e-16 · 256 · 9 ≈ 6.5e-11.
        yield return new OpInfo("Dot", ["Tensor<T>.Dot(Tensor<T>)"], [Domain.General, Domain.General], shape =>
            Gen.Constant(new OpInvocation($"Dot of two {shape}", [shape, shape], xs => xs[0].Dot(xs[1]),
                xs => NdIndex.TensorOf(Shape.Scalar, [xs[0].ToArray().Zip(xs[1].ToArray(), (a, b) => a * b).Sum()]))))
        {
            ForwardTolerance = new Tolerance(7e-11, 0),
            LargeShapes = Gen.Elements(new Shape(64, 65), new Shape(4, 32, 33), new Shape(2, 1 << 16)),
        };
    }

    /// <summary>
    /// A product whose left operand has the given shape: a right vector [k], matrix [k, n] or batched [batch…, k, n]
    /// (batch axes broadcasting with the left's), with either operand transposed where it has two axes or more, called
    /// as <c>a.MatMul(b, …)</c>, <c>Tensor.MatMul(a, b, …)</c> or <c>Tensor&lt;double&gt;.MatMul(a, b, …)</c>.
    /// </summary>
    private static Gen<OpInvocation> Calls(Shape left) =>
        from transposeLeft in left.Rank >= 2 ? Gen.Elements(false, true) : Gen.Constant(false)
        let k = left.Rank == 1 ? left[0] : transposeLeft ? left[^2] : left[^1]
        let batch = left.Rank >= 2 ? new Shape(left.Dimensions[..^2]) : Shape.Scalar
        from n in Gen.Choose(1, Shapes.MaxSize)
        from form in Gen.Choose(0, 2)
        from transposeRight in form == 0 ? Gen.Constant(false) : Gen.Elements(false, true)
        from partner in form == 2 ? Shapes.BroadcastPartner(batch) : Gen.Constant(Shape.Scalar)
        let rightBatch = partner.ToArray()[Math.Max(0, partner.Rank - 2)..]
        let right = form == 0 ? new Shape(k) : new Shape([.. rightBatch, .. transposeRight ? new[] { n, k } : [k, n]])
        from style in Gen.Elements("a.MatMul", "Tensor.MatMul", "Tensor<double>.MatMul")
        select new OpInvocation($"{style} {left} by {right} (transposeLeft: {transposeLeft}, transposeRight: {transposeRight})", [left, right],
            xs => style switch
            {
                "a.MatMul" => xs[0].MatMul(xs[1], transposeLeft: transposeLeft, transposeRight: transposeRight),
                "Tensor.MatMul" => Tensor.MatMul(xs[0], xs[1], transposeLeft, transposeRight),
                _ => Tensor<double>.MatMul(xs[0], xs[1], transposeLeft, transposeRight),
            },
            xs => Product(xs[0], xs[1], transposeLeft, transposeRight));

    /// <summary>x.Linear(W, b) for an input x of the given shape [*, in]: W [out, in] and b [out], out chosen at random.</summary>
    private static Gen<OpInvocation> LinearCalls(Shape input) =>
        from outFeatures in Gen.Choose(1, Shapes.MaxSize)
        let inFeatures = input[^1]
        select new OpInvocation($"{input}.Linear(weight [{outFeatures}, {inFeatures}], bias [{outFeatures}])",
            [input, new Shape(outFeatures, inFeatures), new Shape(outFeatures)],
            xs => xs[0].Linear(xs[1], xs[2]),
            xs => LinearReference(xs[0], xs[1], xs[2]));

    /// <summary>y[…, j] = b[j] + Σᵢ x[…, i]·W[j, i], from the definition.</summary>
    private static Tensor<double> LinearReference(Tensor<double> x, Tensor<double> weight, Tensor<double> bias)
    {
        int outFeatures = weight.Shape[0], inFeatures = weight.Shape[1];
        var w = weight.ToArray();
        var b = bias.ToArray();
        return NdIndex.Build(new Shape([.. x.Shape.Dimensions[..^1], outFeatures]), index =>
        {
            int j = index[^1];
            double sum = b[j];
            for (int i = 0; i < inFeatures; i++)
            {
                sum += NdIndex.At(x, [.. index[..^1], i]) * w[(j * inFeatures) + i];
            }
            return sum;
        });
    }

    /// <summary>
    /// The product from its definition: vectors promoted to a one-row (left) or one-column (right) matrix, op() applied
    /// per flag, batch axes broadcast, C[…, i, j] = Σₚ op(A)[…, i, p]·op(B)[…, p, j], then promoted axes removed.
    /// </summary>
    private static Tensor<double> Product(Tensor<double> a, Tensor<double> b, bool transposeLeft, bool transposeRight)
    {
        var left = a.Rank == 1 ? NdIndex.TensorOf(new Shape(1, a.Length), a.ToArray()) : a;
        var right = b.Rank == 1 ? NdIndex.TensorOf(new Shape(b.Length, 1), b.ToArray()) : b;
        var l = left.Shape.ToArray();
        var r = right.Shape.ToArray();
        int m = transposeLeft ? l[^1] : l[^2];
        int k = transposeLeft ? l[^2] : l[^1];
        int n = transposeRight ? r[^2] : r[^1];
        var batch = Reference.BroadcastShape(new Shape(l.AsSpan(0, l.Length - 2)), new Shape(r.AsSpan(0, r.Length - 2))).ToArray();
        var product = NdIndex.Build(new Shape([.. batch, m, n]), index =>
        {
            var outer = index[..^2];
            int i = index[^2], j = index[^1];
            double sum = 0;
            for (int p = 0; p < k; p++)
            {
                sum += NdIndex.AtBroadcast(left, [.. outer, .. transposeLeft ? new[] { p, i } : [i, p]])
                    * NdIndex.AtBroadcast(right, [.. outer, .. transposeRight ? new[] { j, p } : [p, j]]);
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
}
