namespace TinyAutograd.Tests.Testing;

/// <summary>
/// Checks an elementwise op's float lanes against its double lanes: the float result at each point within a number of
/// ulps of the double result rounded to float (ulps counted as the distance between the two floats' bit patterns, which
/// is exact for finite values of one sign).
/// </summary>
internal static class FloatAgainstDouble
{
    /// <summary>Fails at the first point where <paramref name="op"/> in float is more than <paramref name="maxUlps"/> from its double value.</summary>
    public static void WithinUlps(string name, float[] points, Func<Tensor<float>, Tensor<float>> op, Func<Tensor<double>, Tensor<double>> wideOp, int maxUlps)
    {
        var single = op(Tensor.FromArray(points)).ToArray();
        var wide = wideOp(Tensor.FromArray(points.Select(p => (double)p).ToArray())).ToArray();
        for (int i = 0; i < points.Length; i++)
        {
            float expected = (float)wide[i];
            int ulps = Math.Abs(BitConverter.SingleToInt32Bits(single[i]) - BitConverter.SingleToInt32Bits(expected));
            Assert.True(ulps <= maxUlps, $"{name}({points[i]:R}f) = {single[i]:R} in float, {expected:R} from double: {ulps} ulps apart");
        }
    }
}
