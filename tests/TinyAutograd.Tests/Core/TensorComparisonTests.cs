using FsCheck;
using FsCheck.Fluent;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Core;

public sealed class TensorComparisonTests
{
    /// <summary>Each comparison with the IEEE comparison it names, for the naive reference.</summary>
    private static readonly (string Name, Func<Tensor<double>, Tensor<double>, Tensor<double>> Apply, Func<double, double, bool> Holds)[] Comparisons =
    [
        ("Greater", (a, b) => a.Greater(b), (a, b) => a > b),
        ("Less", (a, b) => a.Less(b), (a, b) => a < b),
        ("Equal", (a, b) => a.Equal(b), (a, b) => a == b),
        ("NotEqual", (a, b) => a.NotEqual(b), (a, b) => a != b),
        ("GreaterOrEqual", (a, b) => a.GreaterOrEqual(b), (a, b) => a >= b),
        ("LessOrEqual", (a, b) => a.LessOrEqual(b), (a, b) => a <= b),
    ];

    /// <summary>Values from {−1, 0, 1, NaN}, so ties and NaN are frequent.</summary>
    private static readonly Gen<double> FewValues = Gen.Elements(-1.0, 0.0, 1.0, double.NaN);

    [Fact]
    public void MasksMatchTheElementwiseComparisonUnderBroadcasting() =>
        Properties.ForAll(
            from pair in Shapes.BroadcastPair
            from a in TensorGen.Of(pair.Left, FewValues)
            from b in TensorGen.Of(pair.Right, FewValues)
            select (a, b),
            c =>
            {
                foreach (var (name, apply, holds) in Comparisons)
                {
                    var mask = apply(c.a, c.b);
                    var shape = Shape.Broadcast(c.a.Shape, c.b.Shape, name);
                    var expected = NdIndex.Build(shape, index => holds(NdIndex.AtBroadcast(c.a, index), NdIndex.AtBroadcast(c.b, index)) ? 1 : 0);
                    Assert.Equal(expected.Shape, mask.Shape);
                    Assert.True(expected.ToArray().SequenceEqual(mask.ToArray()), $"{name} of {c.a} and {c.b}: {mask}, expected {expected}");
                }
            });

    [Fact]
    public void NoGradientFlowsThroughAComparison()
    {
        var a = Tensor.FromArray([1.0, 2.0, 3.0]).RequireGrad();
        var b = Tensor.FromArray([2.0, 2.0, 2.0]).RequireGrad();
        foreach (var (name, apply, _) in Comparisons)
        {
            var mask = apply(a, b);
            Assert.False(mask.RequiresGrad, $"{name} must not be recorded");
            var loss = (a * mask).Sum() + b.Sum();
            loss.Backward();
            Assert.Equal(mask.ToArray(), a.Grad!.ToArray());
            Assert.Equal(new[] { 1.0, 1.0, 1.0 }, b.Grad!.ToArray());
            a.Grad = null;
            b.Grad = null;
        }
    }

    [Fact]
    public void ShapesThatDoNotBroadcastAreRefusedNamingTheComparison()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.FromArray([1.0, 2.0]).GreaterOrEqual(Tensor.FromArray([1.0, 2.0, 3.0])));
        Assert.Contains("GreaterOrEqual", error.Message, StringComparison.Ordinal);
    }
}
