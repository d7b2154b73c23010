using FsCheck;
using FsCheck.Fluent;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Autodiff.Ops;

/// <summary>BroadcastTo(shape) and its adjoint SumTo(shape).</summary>
public sealed class BroadcastToTests
{
    /// <summary>A large shape and a shape that broadcasts to it.</summary>
    private static readonly Gen<(Shape Small, Shape Large)> ShapePairs =
        from large in Shapes.Any
        from small in Shapes.BroadcastingTo(large)
        select (small, large);

    private static readonly Gen<OpCase> BroadcastCases =
        from shapes in ShapePairs
        from x in TensorGen.Of(shapes.Small, Values.General)
        from opCase in OpCase.Of($"BroadcastTo({shapes.Large})", xs => xs[0].BroadcastTo(shapes.Large), x)
        select opCase;

    private static readonly Gen<OpCase> SumToCases =
        from shapes in ShapePairs
        from x in TensorGen.Of(shapes.Large, Values.General)
        from opCase in OpCase.Of($"SumTo({shapes.Small})", xs => xs[0].SumTo(shapes.Small), x)
        select opCase;

    [Fact]
    public void BroadcastToRepeatsAlongBroadcastAxes() =>
        Properties.ForAll(ShapePairs.SelectMany(shapes => TensorGen.Of(shapes.Small, Values.General).Select(x => (x, shapes.Large))), operands =>
        {
            var (x, large) = operands;
            ElementwiseComparison.Require($"BroadcastTo({large})", x.BroadcastTo(large), NdIndex.Build(large, index => NdIndex.AtBroadcast(x, index)), new Tolerance(0, 0));
        });

    [Fact]
    public void SumToSumsOverBroadcastAxes() =>
        Properties.ForAll(ShapePairs.SelectMany(shapes => TensorGen.Of(shapes.Large, Values.General).Select(x => (x, shapes.Small))), operands =>
        {
            var (x, small) = operands;
            var expected = new double[small.Length];
            foreach (var index in NdIndex.All(x.Shape))
            {
                var target = index[(x.Rank - small.Rank)..].Select((coordinate, axis) => small[axis] == 1 ? 0 : coordinate).ToArray();
                expected[NdIndex.Flatten(small, target)] += NdIndex.At(x, index);
            }
            // At most 256 terms in [−3, 3] summed in another order: (n − 1)·u·Σ|x| ≤ 2.2e-11.
            ElementwiseComparison.Require($"SumTo({small})", x.SumTo(small), NdIndex.TensorOf(small, expected), new Tolerance(Absolute: 2.5e-11, Relative: 0));
        });

    [Fact]
    public void BroadcastToGradientMatchesFiniteDifferences() =>
        Properties.GradientMatchesFiniteDifferences(BroadcastCases, new Tolerance(Absolute: 1e-8, Relative: 1e-6));

    [Fact]
    public void BroadcastToSecondOrderPropertiesHold() =>
        Properties.SecondOrderHolds(BroadcastCases, SecondOrderTolerances.Standard);

    [Fact]
    public void SumToGradientMatchesFiniteDifferences() =>
        Properties.GradientMatchesFiniteDifferences(SumToCases, new Tolerance(Absolute: 1e-8, Relative: 1e-6));

    [Fact]
    public void SumToSecondOrderPropertiesHold() =>
        Properties.SecondOrderHolds(SumToCases, SecondOrderTolerances.Standard);
}
