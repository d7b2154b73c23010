namespace TinyAutograd.Tests.Autodiff.Ops;

/// <summary>
/// The tanh kernel's values, measured in ulps against <see cref="Math.Tanh"/> (correctly rounded to within an ulp):
/// both sides of the split at |x| = 0.625 where the series hands over to 1 − 2/(e^(2|x|) + 1), the tiny values where
/// tanh x ≈ x, the approach to ±1, and the special values. Its gradient and second order are the registry's.
/// </summary>
public sealed class TanhTests
{
    /// <summary>|x| from 10⁻⁹ to 12 on a geometric grid, both signs, with the split and its neighbours.</summary>
    private static double[] Points()
    {
        var points = new List<double> { 0.625, Math.BitDecrement(0.625), Math.BitIncrement(0.625), 1e-30, 5e-324 };
        for (double a = 1e-9; a < 12; a *= 1.003)
        {
            points.Add(a);
        }
        return [.. points, .. points.Select(p => -p)];
    }

    /// <summary>How many representable doubles lie between the two (0 when equal).</summary>
    private static long UlpDistance(double actual, double expected)
    {
        static long Ordered(double v)
        {
            long bits = BitConverter.DoubleToInt64Bits(v);
            return bits < 0 ? long.MinValue - bits : bits;
        }
        return actual == expected ? 0 : Math.Abs(Ordered(actual) - Ordered(expected));
    }

    private static long FloatUlpDistance(float actual, float expected)
    {
        static long Ordered(float v)
        {
            int bits = BitConverter.SingleToInt32Bits(v);
            return bits < 0 ? int.MinValue - (long)bits : bits;
        }
        return actual == expected ? 0 : Math.Abs(Ordered(actual) - Ordered(expected));
    }

    [Fact]
    public void DoubleValuesAreWithinThreeUlps()
    {
        var x = Points();
        var y = Tensor.FromArray(x).Tanh();
        for (int i = 0; i < x.Length; i++)
        {
            long distance = UlpDistance(y[i], Math.Tanh(x[i]));
            Assert.True(distance <= 3, $"tanh({x[i]:R}) = {y[i]:R}, Math.Tanh {Math.Tanh(x[i]):R}: {distance} ulps apart.");
        }
    }

    [Fact]
    public void FloatValuesAreWithinTwoUlpsOfTheDoubleValueRounded()
    {
        var x = Points().Select(p => (float)p).Where(p => p != 0).ToArray();
        var y = Tensor.FromArray(x).Tanh();
        for (int i = 0; i < x.Length; i++)
        {
            float expected = (float)Math.Tanh(x[i]);
            long distance = FloatUlpDistance(y[i], expected);
            Assert.True(distance <= 2, $"tanh({x[i]:R}f) = {y[i]:R}, expected {expected:R}: {distance} ulps apart.");
        }
    }

    [Fact]
    public void SpecialValuesKeepTheirMeaning()
    {
        double[] x = [0.0, -0.0, double.PositiveInfinity, double.NegativeInfinity, double.NaN, 400, -400];
        foreach (var y in new[] { Tensor.FromArray(x).Tanh().ToArray(), Tensor.FromArray(x.Select(v => (float)v).ToArray()).Tanh().ToArray().Select(v => (double)v).ToArray() })
        {
            Assert.True(y[0] == 0 && !double.IsNegative(y[0]), $"tanh(+0) = {y[0]:R}");
            Assert.True(y[1] == 0 && double.IsNegative(y[1]), $"tanh(−0) = {y[1]:R}, expected −0");
            Assert.Equal(1.0, y[2]);
            Assert.Equal(-1.0, y[3]);
            Assert.True(double.IsNaN(y[4]), $"tanh(NaN) = {y[4]:R}");
            Assert.Equal(1.0, y[5]);
            Assert.Equal(-1.0, y[6]);
        }
    }
}
