namespace TinyAutograd.Tests.Autodiff;

/// <summary>
/// The JVP of a linear op is the op applied to the tangents; an input that carries no tangent (a constant) counts as a
/// zero tangent. The registry's JVP property gives every input a tangent, so the constant case is checked here.
/// </summary>
public sealed class LinearOpTangentTests
{
    [Fact]
    public void AConstantPartOfAConcatenationHasAZeroTangent()
    {
        var constant = Tensor.FromArray([7.0, 8.0]);
        var (value, tangent) = AutoDiff.Jvp(t => Tensor.Concatenate(0, constant, t), Tensor.FromArray([1.0, 2.0, 3.0]), Tensor.FromArray([0.5, -1.0, 2.0]));
        Assert.Equal(new[] { 7.0, 8.0, 1.0, 2.0, 3.0 }, value.ToArray());
        Assert.Equal(new[] { 0.0, 0.0, 0.5, -1.0, 2.0 }, tangent.ToArray());
    }

    [Fact]
    public void AConstantSourceOrTargetOfScatterAddHasAZeroTangent()
    {
        var x = Tensor.FromArray([1.0, 2.0, 3.0]);
        var source = Tensor.FromArray([10.0, 20.0]);
        var intoConstant = AutoDiff.Jvp(s => x.ScatterAdd(0, [2, 2], s), source, Tensor.FromArray([1.0, 4.0])).Product;
        Assert.Equal(new[] { 0.0, 0.0, 5.0 }, intoConstant.ToArray());
        var ofConstant = AutoDiff.Jvp(t => t.ScatterAdd(0, [0, 1], source), x, Tensor.FromArray([-1.0, 0.5, 2.0])).Product;
        Assert.Equal(new[] { -1.0, 0.5, 2.0 }, ofConstant.ToArray());
    }
}
