using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Core;

public sealed class ShapeTests
{
    [Fact]
    public void ScalarShapeHasRankZeroAndOneElement()
    {
        Assert.Equal(0, Shape.Scalar.Rank);
        Assert.Equal(1, Shape.Scalar.Length);
        Assert.Equal(Shape.Scalar, new Shape());
        Assert.Equal(Shape.Scalar, default);
        Assert.Equal("[]", Shape.Scalar.ToString());
    }

    [Fact]
    public void LengthIsTheProductOfTheDimensions()
    {
        Assert.Equal(24, new Shape(2, 3, 4).Length);
        Assert.Equal(0, new Shape(2, 0, 4).Length);
        Assert.Equal("[2, 3, 4]", new Shape(2, 3, 4).ToString());
        Assert.Equal(new[] { 12, 4, 1 }, new Shape(2, 3, 4).Strides());
    }

    [Fact]
    public void InvalidDimensionsAreRejected()
    {
        Assert.Contains("must be zero or positive", Assert.Throws<ArgumentException>(() => new Shape(2, -1)).Message, StringComparison.Ordinal);
        Assert.Contains("int.MaxValue", Assert.Throws<ArgumentException>(() => new Shape(65536, 65536)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EqualityAndHashFollowTheDimensions()
    {
        Assert.Equal(new Shape(2, 3), new Shape(2, 3));
        Assert.True(new Shape(2, 3) == new Shape([2, 3]));
        Assert.True(new Shape(2, 3) != new Shape(3, 2));
        Assert.NotEqual(new Shape(1, 3), new Shape(3));
        Assert.Equal(new Shape(2, 3).GetHashCode(), new Shape(2, 3).GetHashCode());
    }

    [Fact]
    public void AxesCanBeNegativeAndAreCheckedAgainstTheRank()
    {
        var shape = new Shape(2, 3, 4);
        Assert.Equal(4, shape[-1]);
        Assert.Equal(2, shape[0]);
        Assert.Equal(1, Shape.NormalizeAxis(-2, 3, "Test"));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Shape.NormalizeAxis(3, 3, "Test"));
        Assert.Contains("Test: axis 3", error.Message, StringComparison.Ordinal);
        Assert.Equal(new Shape(2, 5, 4), shape.WithDimension(-2, 5));
    }

    /// <summary>Shapes of every rank up to the maximum, with size-1 axes, for the properties below.</summary>
    public static class Generators
    {
        public static Arbitrary<Shape> AnyShape() => Arb.From(Shapes.Any);
    }

    [Property(Arbitrary = new[] { typeof(Generators) }, MaxTest = 200)]
    public void BroadcastFollowsTheNumPyRuleForAnyPairOfShapes(Shape a, Shape b)
    {
        bool compatible = Enumerable.Range(1, Math.Min(a.Rank, b.Rank)).All(i => a.Dimensions[^i] == b.Dimensions[^i] || a.Dimensions[^i] == 1 || b.Dimensions[^i] == 1);
        if (compatible)
        {
            var expected = Reference.BroadcastShape(a, b);
            Assert.Equal(expected, Shape.Broadcast(a, b, "Test"));
            Assert.Equal(expected, Shape.Broadcast(b, a, "Test"));
            Assert.True(a.CanBroadcastTo(expected));
            Assert.True(b.CanBroadcastTo(expected));
        }
        else
        {
            var error = Assert.Throws<ArgumentException>(() => Shape.Broadcast(a, b, "Test"));
            Assert.Contains("Test", error.Message, StringComparison.Ordinal);
            Assert.Contains(a.ToString(), error.Message, StringComparison.Ordinal);
            Assert.Contains(b.ToString(), error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void CanBroadcastToIsOneDirectional()
    {
        Assert.True(new Shape(3).CanBroadcastTo(new Shape(2, 3)));
        Assert.True(new Shape(1, 3).CanBroadcastTo(new Shape(2, 3)));
        Assert.True(Shape.Scalar.CanBroadcastTo(new Shape(2, 3)));
        Assert.False(new Shape(2, 3).CanBroadcastTo(new Shape(3)));
        Assert.False(new Shape(2, 3).CanBroadcastTo(new Shape(1, 3)));
        Assert.False(new Shape(4).CanBroadcastTo(new Shape(2, 3)));
    }
}
