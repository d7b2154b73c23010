using TinyAutograd.Kernels;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Kernels;

/// <summary>
/// The single-precision exponential family against double-precision references rounded to float, measured in ulps
/// (the distance between the two floats' bit patterns): across the whole float range including the overflow edge,
/// subnormal results, ±∞ and NaN, and on lengths that leave ragged ends.
/// </summary>
public sealed class ExponentialKernelsTests
{
    /// <summary>Every 4099th float bit pattern up to 110 in magnitude, both signs, plus the edges.</summary>
    private static float[] Sweep()
    {
        var values = new List<float>
        {
            0f, -0f, float.Epsilon, 88.72283f, 88.72284f, 89f, 89.5f, -87.33654f, -87.33655f, -103.27892f, -103.97208f, -103.97209f, -104f, -200f, 200f,
            float.MaxValue, float.MinValue,
        };
        for (uint bits = 0; ; bits += 4099)
        {
            float value = BitConverter.UInt32BitsToSingle(bits);
            if (value > 110f)
            {
                break;
            }
            values.Add(value);
            values.Add(-value);
        }
        return [.. values];
    }

    /// <summary>How many representable floats lie between <paramref name="actual"/> and <paramref name="expected"/> (0 when equal).</summary>
    private static long UlpDistance(float actual, float expected)
    {
        static long Ordered(float v)
        {
            int bits = BitConverter.SingleToInt32Bits(v);
            return bits < 0 ? int.MinValue - (long)bits : bits;
        }
        return actual == expected ? 0 : Math.Abs(Ordered(actual) - Ordered(expected));
    }

    private static void AssertWithinUlps(string name, float[] x, float[] actual, Func<double, double> reference, int ulps)
    {
        for (int i = 0; i < x.Length; i++)
        {
            float expected = (float)reference(x[i]);
            long distance = UlpDistance(actual[i], expected);
            Assert.True(distance <= ulps, $"{name}({x[i]:R}) = {actual[i]:R}, expected {expected:R}: {distance} ulps apart (allowed {ulps}).");
        }
    }

    [Fact]
    public void Exp_keeps_nan_and_maps_the_infinities_and_the_range_edges()
    {
        float[] x = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, 1f, -1f, 100f, -120f, 88.72284f, -104.5f];
        var result = new float[x.Length];
        ExponentialKernels.Exp<float>(x, result);
        Assert.True(float.IsNaN(result[0]));
        Assert.Equal(float.PositiveInfinity, result[1]);
        Assert.Equal(0f, result[2]);
        Assert.Equal(1f, result[3]);
        Assert.Equal((float)Math.E, result[4]);
        Assert.Equal((float)Math.Exp(-1), result[5]);
        Assert.Equal(float.PositiveInfinity, result[6]);
        Assert.Equal(0f, result[7]);
        Assert.Equal(float.PositiveInfinity, result[8]);
        Assert.Equal(0f, result[9]);
    }

    [Fact]
    public void Exp_over_a_span_matches_the_reference_in_both_precisions()
    {
        var x = Sweep();
        var actual = new float[x.Length];
        ExponentialKernels.Exp<float>(x, actual);
        AssertWithinUlps("exp", x, actual, Math.Exp, ulps: 1);

        var values = KernelInputs.Values(1031, -700, 700, seed: 3);
        var doubles = new double[values.Length];
        ExponentialKernels.Exp<double>(values, doubles);
        for (int i = 0; i < values.Length; i++)
        {
            Assert.Equal(Math.Exp(values[i]), doubles[i], Math.Exp(values[i]) * 1e-15);
        }
    }

    /// <summary>The reference σ(x) in double: 1/(1 + e⁻ˣ) for x ≥ 0, eˣ/(1 + eˣ) below, both accurate to a few double ulps.</summary>
    private static double Sigmoid(double x) => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));

    [Fact]
    public void Sigmoid_is_within_two_ulps_including_its_subnormal_tail()
    {
        var x = Sweep();
        var actual = new float[x.Length];
        ExponentialKernels.Sigmoid<float>(x, actual);
        AssertWithinUlps("sigmoid", x, actual, Sigmoid, ulps: 2);

        float[] specials = [float.NaN, float.PositiveInfinity, float.NegativeInfinity];
        var special = new float[3];
        ExponentialKernels.Sigmoid<float>(specials, special);
        Assert.True(float.IsNaN(special[0]));
        Assert.Equal(1f, special[1]);
        Assert.Equal(0f, special[2]);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Every_position_of_a_ragged_length_gets_the_same_value_as_a_full_vector(int length)
    {
        var x = KernelInputs.ToFloat(KernelInputs.Values(length, -30, 30, seed: (ulong)length));
        var exp = new float[length];
        var sigmoid = new float[length];
        ExponentialKernels.Exp<float>(x, exp);
        ExponentialKernels.Sigmoid<float>(x, sigmoid);
        var one = new float[1];
        for (int i = 0; i < length; i++)
        {
            ExponentialKernels.Exp<float>(x.AsSpan(i, 1), one);
            Assert.Equal(one[0], exp[i]);
            ExponentialKernels.Sigmoid<float>(x.AsSpan(i, 1), one);
            Assert.Equal(one[0], sigmoid[i]);
        }
        AssertWithinUlps("exp", x, exp, Math.Exp, ulps: 1);
        AssertWithinUlps("sigmoid", x, sigmoid, Sigmoid, ulps: 2);
    }

    public static TheoryData<int> Lengths() => [.. KernelInputs.OddLengths];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Shifted_exponentials_and_their_sum_match_double_arithmetic(int length)
    {
        var values = KernelInputs.Values(length, -40, 10, seed: 11 + (ulong)length);
        const double Shift = 4.5, Low = 0.375, Scale = -0.75;
        var floats = KernelInputs.ToFloat(values);
        var scaled = new float[length];
        ExponentialKernels.ScaledShiftedExp<float>(floats, (float)Shift, 0f, (float)Scale, scaled);
        // The kernel subtracts in float, so the reference exponentiates the float-rounded difference.
        AssertWithinUlps("scale·exp(x − shift)", floats, scaled, v => Scale * Math.Exp((float)(v - Shift)), ulps: 2);
        ExponentialKernels.ScaledShiftedExp<float>(floats, (float)Shift, (float)Low, (float)Scale, scaled);
        AssertWithinUlps("scale·exp((x − shift) − low)", floats, scaled, v => Scale * Math.Exp((float)((float)(v - Shift) - Low)), ulps: 2);

        double expectedSum = values.Sum(v => Math.Exp((float)(v - Shift)));
        float sum = ExponentialKernels.SumOfShiftedExp<float>(floats, (float)Shift, new float[length]);
        Assert.Equal(expectedSum, sum, expectedSum * 1e-5);

        var doubles = new double[length];
        foreach (double low in new[] { 0, Low })
        {
            ExponentialKernels.ScaledShiftedExp<double>(values, Shift, low, Scale, doubles);
            for (int i = 0; i < length; i++)
            {
                double expected = Scale * Math.Exp(values[i] - Shift - low);
                Assert.Equal(expected, doubles[i], Math.Abs(expected) * 1e-15);
            }
        }
        Assert.Equal(values.Sum(v => Math.Exp(v - Shift)), ExponentialKernels.SumOfShiftedExp<double>(values, Shift, new double[length]), expectedSum * 1e-14);
    }
}
