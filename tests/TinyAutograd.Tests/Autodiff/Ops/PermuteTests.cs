using FsCheck;
using FsCheck.Fluent;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Autodiff.Ops;

/// <summary>Permute(axes), Transpose(axis0, axis1) and Transpose() (the last two axes).</summary>
public sealed class PermuteTests
{
    /// <summary>A call reordering axes: the permutation it amounts to (result axis d is input axis Axes[d]) and the call itself.</summary>
    private sealed record Form(string Name, int[] Axes, Func<Tensor<double>, Tensor<double>> Apply)
    {
        public override string ToString() => Name;
    }

    private static readonly Gen<(Form Form, Tensor<double> X)> Operands =
        from x in TensorGen.Of(Values.General)
        from form in FormsFor(x.Rank)
        select (form, x);

    private static readonly Gen<OpCase> Cases =
        from operands in Operands
        from opCase in OpCase.Of(operands.Form.Name, xs => operands.Form.Apply(xs[0]), operands.X)
        select opCase;

    private static Gen<Form> FormsFor(int rank)
    {
        var permute =
            from permutation in Shapes.Permutation(rank)
            from negative in Gen.ArrayOf(Gen.Elements(false, true), rank)
            let written = permutation.Select((axis, i) => negative[i] ? axis - rank : axis).ToArray()
            select new Form($"Permute([{string.Join(", ", written)}])", permutation, x => x.Permute(written));
        if (rank == 0)
        {
            return permute;
        }
        var swap =
            from a in Shapes.Axis(rank)
            from b in Shapes.Axis(rank)
            select new Form($"Transpose({a}, {b})", Swapped(rank, a, b), x => x.Transpose(a, b));
        return rank < 2
            ? Gen.OneOf(permute, swap)
            : Gen.OneOf(permute, swap, Gen.Constant(new Form("Transpose()", Swapped(rank, -2, -1), x => x.Transpose())));
    }

    private static int[] Swapped(int rank, int a, int b)
    {
        var axes = Enumerable.Range(0, rank).ToArray();
        int i = (a + rank) % rank, j = (b + rank) % rank;
        (axes[i], axes[j]) = (axes[j], axes[i]);
        return axes;
    }

    [Fact]
    public void ValueMatchesReference() =>
        Properties.ForAll(Operands, operands =>
        {
            var (form, x) = operands;
            var shape = new Shape(form.Axes.Select(axis => x.Shape[axis]).ToArray());
            var expected = NdIndex.Build(shape, index =>
            {
                var source = new int[x.Rank];
                for (int d = 0; d < index.Length; d++)
                {
                    source[form.Axes[d]] = index[d];
                }
                return NdIndex.At(x, source);
            });
            ElementwiseComparison.Require(form.Name, form.Apply(x), expected, new Tolerance(0, 0));
        });

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        Properties.GradientMatchesFiniteDifferences(Cases, new Tolerance(Absolute: 1e-8, Relative: 1e-6));

    [Fact]
    public void SecondOrderPropertiesHold() =>
        Properties.SecondOrderHolds(Cases, SecondOrderTolerances.Standard);
}
