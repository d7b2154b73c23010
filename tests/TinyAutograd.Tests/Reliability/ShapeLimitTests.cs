namespace TinyAutograd.Tests.Reliability;

/// <summary>
/// Sizes at the limits: negative dimensions and element counts beyond int.MaxValue are refused with a clear
/// ArgumentException at the op that would make them, never an overflow or an IndexOutOfRange deep inside.
/// </summary>
public sealed class ShapeLimitTests
{
    private const int Big = 1 << 16;

    [Fact]
    public void NegativeDimensionsAreRefusedWhereverAShapeIsMade()
    {
        AssertRefused(() => new Shape(2, -3), "dimension 1 is -3");
        AssertRefused(() => Tensor.Zeros<double>(-1), "dimension 0 is -1");
        AssertRefused(() => Tensor.Full(1.0f, 4, -2), "dimension 1 is -2");
        AssertRefused(() => Tensor.FromArray(new double[6], 2, -3), "dimension 1 is -3");
        AssertRefused(() => Tensor.Zeros<double>(6).Reshape(-2, -3), "dimension 0 is -2");
    }

    [Fact]
    public void ElementCountsAboveIntMaxValueAreRefusedWhereverAShapeIsMade()
    {
        AssertRefused(() => new Shape(Big, Big), "more than 2147483647 elements");
        AssertRefused(() => Tensor.Zeros<float>(Big, Big, 2), "more than 2147483647 elements");
        AssertRefused(() => Tensor.Zeros<double>(1).Reshape(Big, Big), "more than 2147483647 elements");
        AssertRefused(() => Tensor.Zeros<double>(Big, 1).BroadcastTo(new Shape(Big, Big)), "more than 2147483647 elements");
        AssertRefused(() => Tensor.Zeros<double>(Big, 1) + Tensor.Zeros<double>(1, Big), "more than 2147483647 elements");
        AssertRefused(() => Tensor.Zeros<double>(Big, 1, 1, 1).MatMul(Tensor.Zeros<double>(Big, 1, 1)), "more than 2147483647 elements");
        AssertRefused(() => Tensor.Arange<double>(0, 3e9), "more than a tensor holds");
    }

    [Fact]
    public void AnEmptyShapeMayNotHideAnOverflowingProductWhereverItsZeroIs()
    {
        Assert.Equal(0, new Shape(0, Big, Big / 4).Length);
        Assert.Equal(0, new Shape(Big, Big / 4, 0).Length);

        AssertRefused(() => new Shape(0, Big, Big), "product of its non-zero dimensions");
        AssertRefused(() => new Shape(Big, Big, 0), "product of its non-zero dimensions");
        AssertRefused(() => new Shape(Big, 0, Big), "product of its non-zero dimensions");
    }

    [Fact]
    public void ConcatenatingPastIntMaxValueAlongTheAxisIsRefused()
    {
        var part = Tensor.Zeros<double>(1 << 30, 0);

        var error = AssertRefused(() => Tensor.Concatenate(0, part, part), "Concatenate");

        Assert.Contains("above int.MaxValue", error.Message, StringComparison.Ordinal);
    }

    private static ArgumentException AssertRefused(Func<object> action, string expected)
    {
        var error = Assert.ThrowsAny<ArgumentException>(action);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        return error;
    }
}
