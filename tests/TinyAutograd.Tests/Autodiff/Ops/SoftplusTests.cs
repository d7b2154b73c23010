namespace TinyAutograd.Tests.Autodiff.Ops;

/// <summary>Softplus at extreme inputs (random values, gradients, second order and the fused backward: OpRegistry).</summary>
public sealed class SoftplusTests
{
    [Fact]
    public void KeepsTinyValuesForVeryNegativeInputs()
    {
        // ln(1 + eˣ) = eˣ − e²ˣ/2 + e³ˣ/3 − …; two terms are exact to e³ˣ/3, far below the tolerances.
        Assert.Equal(Math.Exp(-30) - Math.Exp(-60) / 2, Tensor.FromArray([-30.0]).Softplus()[0], Math.Exp(-30) * 1e-15);
        Assert.Equal(Math.Exp(-17) - Math.Exp(-34) / 2, Tensor.FromArray([-17f]).Softplus()[0], Math.Exp(-17) * 1e-6);
        Assert.Equal(0.0, Tensor.FromArray([double.NegativeInfinity]).Softplus()[0]);
    }

    [Fact]
    public void IsLinearForVeryPositiveInputs()
    {
        Assert.Equal(new[] { 1000.0, double.PositiveInfinity }, Tensor.FromArray([1000.0, double.PositiveInfinity]).Softplus().ToArray());
        Assert.Equal(40f + (float)Math.Exp(-40), Tensor.FromArray([40f]).Softplus()[0]);
    }
}
