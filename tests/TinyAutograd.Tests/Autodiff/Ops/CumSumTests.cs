namespace TinyAutograd.Tests.Autodiff.Ops;

/// <summary>CumSum by hand: its gradient is the running sum of g from the end. Random calls: the registry (OpRegistry).</summary>
public sealed class CumSumTests
{
    [Fact]
    public void TheGradientIsTheRunningSumFromTheEnd()
    {
        var x = Tensor.FromArray([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [2, 3]).RequireGrad();
        var y = x.CumSum(-1);
        Assert.Equal(new[] { 1.0, 3.0, 6.0, 4.0, 9.0, 15.0 }, y.ToArray());
        y.Backward(Tensor.FromArray([1.0, 10.0, 100.0, 1.0, 2.0, 4.0], [2, 3]));
        Assert.Equal(new[] { 111.0, 110.0, 100.0, 7.0, 6.0, 4.0 }, x.Grad!.ToArray());
    }

    [Fact]
    public void AnAxisOutOfRangeIsRefusedNamingTheOp()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Zeros<double>(2, 3).CumSum(2));
        Assert.Contains("CumSum", error.Message, StringComparison.Ordinal);
    }
}
