using FsCheck;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Autodiff.Ops;

public sealed class NormalCdfTests
{
    private static readonly Gen<OpCase> Cases = OpCases.Unary("NormalCdf", x => x.NormalCdf(), Values.General);

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        Properties.GradientMatchesFiniteDifferences(Cases, new Tolerance(Absolute: 1e-8, Relative: 1e-6));

    [Fact]
    public void SecondOrderPropertiesHold() =>
        Properties.SecondOrderHolds(Cases, SecondOrderTolerances.Standard);

    /// <summary>
    /// Against <see cref="Reference.NormalCdf"/> (a series above −3, Mills' continued fraction below) from −37, where Φ
    /// is 6·10⁻³⁰⁰, to 9, relative: the kernel rounds 1/√2 and x/√2, each of which moves erfc by up to x²·2⁻⁵³ relative,
    /// and is otherwise within a few ulps. ½(1 + erf(x/√2)) would fail from x ≈ −4 on.
    /// </summary>
    [Fact]
    public void DoubleKeepsItsRelativeAccuracyInTheLowerTail()
    {
        var points = Enumerable.Range(0, 4601).Select(i => -37 + i * 0.01).ToArray();
        var y = Tensor.FromArray(points).NormalCdf();
        for (int i = 0; i < points.Length; i++)
        {
            double x = points[i], expected = Reference.NormalCdf(x);
            double relative = (8 + 2 * x * x) * Math.Pow(2, -53);
            Assert.True(Math.Abs(y[i] - expected) <= relative * expected, $"Φ({x:R}) = {y[i]:R}, reference {expected:R}");
        }
    }

    /// <summary>
    /// Float lanes use their own rational form: within 5 ulps of the double value rounded to float (2 above −1, 1 above 1), on a dense sweep of
    /// [−14, 9] (Φ reaches float's subnormals below −13), and at 0, the infinities and NaN.
    /// </summary>
    [Fact]
    public void FloatIsWithinFiveUlpsOfTheDoubleValue()
    {
        var points = Enumerable.Range(0, 230_001).Select(i => -14f + i * 1e-4f).Concat([0f, -0f, 1e-30f, -1e-30f, 30f, -30f]).ToArray();
        FloatAgainstDouble.WithinUlps("Φ", points, x => x.NormalCdf(), x => x.NormalCdf(), maxUlps: 5);
    }

    [Fact]
    public void AtTheInfinitiesItIsZeroOrOneWithZeroGradient()
    {
        var x = Tensor.FromArray([double.NegativeInfinity, double.PositiveInfinity, 40.0, -40.0, 0.0]).RequireGrad();
        var y = x.NormalCdf();
        y.Sum().Backward();
        Assert.Equal(new[] { 0.0, 1.0, 1.0, 0.0, 0.5 }, y.ToArray());
        Assert.Equal(new[] { 0.0, 0.0, 0.0, 0.0, 1 / Math.Sqrt(2 * Math.PI) }, x.Grad!.ToArray());
        Assert.True(double.IsNaN(Tensor.FromArray([double.NaN]).NormalCdf()[0]));
        Assert.True(float.IsNaN(Tensor.FromArray([float.NaN]).NormalCdf()[0]));
        Assert.Equal(new[] { 0f, 1f }, Tensor.FromArray([float.NegativeInfinity, float.PositiveInfinity]).NormalCdf().ToArray());
    }
}
