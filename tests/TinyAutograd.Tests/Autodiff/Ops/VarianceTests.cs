namespace TinyAutograd.Tests.Autodiff.Ops;

/// <summary>Edge cases of Var and Std; their gradients, second order and JVP are covered by the op registry.</summary>
public sealed class VarianceTests
{
    [Fact]
    public void VarOfOneElementWithCorrectionOneIsNaNWithANaNGradientAsInPyTorch()
    {
        var x = Tensor.FromArray([2.5]).RequireGrad();
        var y = x.Var();
        Assert.True(double.IsNaN(y.ToArray()[0]));
        y.Backward();
        Assert.True(double.IsNaN(x.Grad![0]));
    }

    [Fact]
    public void VarOfOneElementWithCorrectionZeroIsZeroWithAZeroGradient()
    {
        var x = Tensor.FromArray([2.5]).RequireGrad();
        var y = x.Var([], correction: 0);
        Assert.Equal(0.0, y.ToArray()[0]);
        y.Backward();
        Assert.Equal(0.0, x.Grad![0]);
    }

    [Fact]
    public void ACorrectionAtLeastTheCountDividesByZero()
    {
        // Slices along axis 1 have 2 elements: correction 2 divides the sum of squares by max(0, 2 − 2) = 0.
        var x = Tensor.FromArray([1.0, 3.0, 5.0, 5.0], [2, 2]);
        var y = x.Var(1, correction: 2);
        Assert.Equal(double.PositiveInfinity, y[0]);
        Assert.True(double.IsNaN(y[1]));
        var population = x.Var(1, correction: 0);
        Assert.Equal(new[] { 1.0, 0.0 }, population.ToArray());
        Assert.Equal(new[] { 1.0, 0.0 }, x.Std(1, correction: 0).ToArray());
    }

    [Fact]
    public void ANegativeCorrectionIsRefusedNamingTheOp()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.FromArray([1.0, 2.0]).Std([0], correction: -1));
        Assert.Contains("Std", error.Message, StringComparison.Ordinal);
        Assert.Contains("-1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VarOfAnEmptySliceIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.Zeros<double>(0, 3).Var(0));
        Assert.Contains("Var", error.Message, StringComparison.Ordinal);
    }
}
