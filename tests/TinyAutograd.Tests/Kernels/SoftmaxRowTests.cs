using System.Numerics;
using System.Runtime.Intrinsics;
using TinyAutograd.Kernels;
using TinyAutograd.Kernels.Simd;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Kernels;

/// <summary>
/// The softmax row kernels over a row's allowed prefix (attention's causal rows): the weights and the Jacobian product
/// against double arithmetic for every prefix of rows that end on, inside and just past a register, in place and not,
/// with the entries past the prefix exactly 0 whatever the row held; and the partial loads and stores they end rows with.
/// </summary>
public sealed class SoftmaxRowTests
{
    public static TheoryData<int> RowLengths() => [1, 5, 8, 15, 16, 17, 24, 31, 32, 33, 40, 72, 128];

    [Theory]
    [MemberData(nameof(RowLengths))]
    public void Softmax_of_every_prefix_matches_double_arithmetic_and_zeroes_the_rest(int length)
    {
        var scores = KernelInputs.Values(length, -6, 6, seed: 3 + (ulong)length);
        var floats = KernelInputs.ToFloat(scores);
        const float Scale = 0.7f;
        for (int count = 0; count <= length; count++)
        {
            float shift = count == 0 ? 0f : floats[..count].Max();
            var expected = new double[length];
            double total = 0;
            for (int j = 0; j < count; j++)
            {
                // The kernel forms (x − shift)·scale in float, so the reference exponentiates that float.
                expected[j] = Math.Exp((floats[j] - shift) * Scale);
                total += expected[j];
            }
            foreach (bool inPlace in new[] { false, true })
            {
                var row = inPlace ? (float[])floats.Clone() : Enumerable.Repeat(float.NaN, length).ToArray();
                ExponentialKernels.Softmax<float>(inPlace ? row : floats, count, shift, Scale, row);
                for (int j = 0; j < length; j++)
                {
                    if (j < count)
                    {
                        Assert.True(Math.Abs(row[j] - expected[j] / total) <= 2e-6 * expected[j] / total,
                            $"length {length}, count {count}, in place {inPlace}: weight {j} is {row[j]}, expected {expected[j] / total}");
                    }
                    else
                    {
                        Assert.True(row[j] == 0f, $"length {length}, count {count}, in place {inPlace}: entry {j} past the prefix is {row[j]}, expected 0");
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(RowLengths))]
    public void Jacobian_product_of_every_prefix_matches_double_arithmetic_and_zeroes_the_rest(int length)
    {
        var scores = KernelInputs.Values(length, -4, 4, seed: 5 + (ulong)length);
        var values = KernelInputs.ToFloat(KernelInputs.Values(length, -2, 2, seed: 7 + (ulong)length));
        const float Scale = 0.5f;
        for (int count = 0; count <= length; count++)
        {
            // Past the prefix the vector holds NaN, which must reach neither the dot product nor the result.
            var v = values.Select((x, j) => j < count ? x : float.NaN).ToArray();
            // Weights 0 past the prefix, as a causal row's are; the double reference uses the same float weights.
            var weights = new float[length];
            double total = 0;
            for (int j = 0; j < count; j++)
            {
                total += Math.Exp(scores[j]);
            }
            for (int j = 0; j < count; j++)
            {
                weights[j] = (float)(Math.Exp(scores[j]) / total);
            }
            double dot = 0;
            for (int j = 0; j < count; j++)
            {
                dot += (double)v[j] * weights[j];
            }
            foreach (bool inPlace in new[] { false, true })
            {
                var result = inPlace ? (float[])v.Clone() : Enumerable.Repeat(float.NaN, length).ToArray();
                SoftmaxJacobian.PrefixRow<float>(weights, inPlace ? result : v, count, Scale, result);
                for (int j = 0; j < length; j++)
                {
                    double expected = j < count ? (v[j] - dot) * weights[j] * Scale : 0;
                    // |v − dot| ≤ 4 here: about 40 units of float rounding of that, times the weight.
                    double bound = 1e-5 * weights[j] * Scale;
                    Assert.True(Math.Abs(result[j] - expected) <= bound,
                        $"length {length}, count {count}, in place {inPlace}: entry {j} is {result[j]}, expected {expected} within {bound}");
                }
            }
        }
    }

    [Fact]
    public void Partial_loads_and_stores_touch_only_their_lanes_at_both_widths()
    {
        AssertPartial<float, Simd256<float>>();
        AssertPartial<double, Simd256<double>>();
        if (Vector512.IsHardwareAccelerated)
        {
            AssertPartial<float, Simd512<float>>();
            AssertPartial<double, Simd512<double>>();
        }
    }

    private static void AssertPartial<T, TSimd>()
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSimd : struct, ISimd<TSimd, T>
    {
        int lanes = TSimd.Count;
        var source = Enumerable.Range(1, lanes).Select(i => T.CreateTruncating(i)).ToArray();
        for (int n = 0; n < lanes; n++)
        {
            var loaded = new T[lanes];
            TSimd.Store(TSimd.LoadPartial(source.AsSpan(0, n)), ref loaded[0], 0);
            Assert.Equal(source.Take(n).Concat(Enumerable.Repeat(T.Zero, lanes - n)), loaded);

            var target = Enumerable.Repeat(T.CreateTruncating(-1), lanes + 1).ToArray();
            TSimd.StorePartial(TSimd.Load(ref source[0], 0), target.AsSpan(0, n));
            Assert.Equal(source.Take(n).Concat(Enumerable.Repeat(T.CreateTruncating(-1), lanes + 1 - n)), target);
        }
    }
}
