using FsCheck;
using FsCheck.Fluent;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Autodiff.Ops;

/// <summary>Reshape(dims) (with −1 inferred) and Reshape(Shape).</summary>
public sealed class ReshapeTests
{
    /// <summary>A random target with the same element count: the prime factors of the length grouped into up to 4 axes, 1s inserted.</summary>
    private static Gen<Shape> TargetsFor(int length)
    {
        var factors = PrimeFactors(length);
        return
            from rank in Gen.Choose(factors.Count == 0 ? 0 : 1, Shapes.MaxRank)
            from slots in Gen.ArrayOf(Gen.Choose(0, Math.Max(rank, 1) - 1), factors.Count)
            select new Shape(Enumerable.Range(0, rank).Select(slot => factors.Where((_, i) => slots[i] == slot).Aggregate(1, (p, f) => p * f)).ToArray());
    }

    private static List<int> PrimeFactors(int n)
    {
        var factors = new List<int>();
        for (int p = 2; n > 1; p++)
        {
            for (; n % p == 0; n /= p)
            {
                factors.Add(p);
            }
        }
        return factors;
    }

    /// <summary>The input, the target shape and whether to write one of its axes as −1.</summary>
    private static readonly Gen<(Tensor<double> X, Shape Target, int Inferred)> Operands =
        from x in TensorGen.Of(Values.General)
        from target in TargetsFor(x.Length)
        from inferred in Gen.Choose(-1, target.Rank - 1)
        select (x, target, inferred);

    private static Tensor<double> Apply(Tensor<double> x, Shape target, int inferred) =>
        inferred < 0 ? x.Reshape(target) : x.Reshape(target.ToArray().Select((size, axis) => axis == inferred ? -1 : size).ToArray());

    private static readonly Gen<OpCase> Cases =
        from operands in Operands
        from opCase in OpCase.Of($"Reshape to {operands.Target} (axis {operands.Inferred} written −1)", xs => Apply(xs[0], operands.Target, operands.Inferred), operands.X)
        select opCase;

    [Fact]
    public void KeepsTheRowMajorOrderUnderTheNewShape() =>
        Properties.ForAll(Operands, operands =>
        {
            var (x, target, inferred) = operands;
            ElementwiseComparison.Require($"Reshape to {target}", Apply(x, target, inferred), NdIndex.TensorOf(target, x.ToArray()), new Tolerance(0, 0));
        });

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        Properties.GradientMatchesFiniteDifferences(Cases, new Tolerance(Absolute: 1e-8, Relative: 1e-6));

    [Fact]
    public void SecondOrderPropertiesHold() =>
        Properties.SecondOrderHolds(Cases, SecondOrderTolerances.Standard);

    [Fact]
    public void SharesStorageWithTheInput()
    {
        var x = Tensor.FromArray([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 2, 3);
        var y = x.Reshape(3, -1);
        Assert.Equal(new Shape(3, 2), y.Shape);
        x.GetSpanForWrite()[5] = 60;
        Assert.Equal(60.0, y[2, 1]);
    }
}
