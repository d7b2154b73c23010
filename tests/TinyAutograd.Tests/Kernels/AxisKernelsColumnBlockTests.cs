using TinyAutograd.Kernels;

namespace TinyAutograd.Tests.Kernels;

/// <summary>
/// Reductions over an axis with inner &gt; 1, which go in blocks of columns held in registers over all rows: the sum of
/// each column is exactly the left fold x₀ + x₁ + … in float, whatever the thread count, across whole blocks, single
/// registers and a partial last register (including the array's last columns, which cannot be read whole); the maximum
/// follows IEEE 754 (NaN wins, +0 above −0) in every kind of register. The class changes
/// <see cref="Parallelism.MaxThreads"/>, so it joins the non-parallel "Gemm thread count" collection.
/// </summary>
[Collection("Gemm thread count")]
public sealed class AxisKernelsColumnBlockTests
{
    [Theory]
    [InlineData(1, 2, 3)]
    [InlineData(3, 50, 17)]
    [InlineData(1, 1, 65)]
    [InlineData(2, 31, 100)]
    [InlineData(1, 300, 384)]
    [InlineData(4, 7, 300)]
    [InlineData(1, 2048, 65)]
    public void ColumnSumsAreTheLeftFoldInRowOrder(int outer, int length, int inner)
    {
        var random = new Random(outer + length + inner);
        var x = new float[outer * length * inner];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)((random.NextDouble() * 8) - 4);
        }
        var expected = new float[outer * inner];
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                float sum = x[o * length * inner + i];
                for (int k = 1; k < length; k++)
                {
                    sum += x[(o * length + k) * inner + i];
                }
                expected[o * inner + i] = sum;
            }
        }
        int saved = Parallelism.MaxThreads;
        try
        {
            foreach (int threads in new[] { 1, 2 })
            {
                Parallelism.MaxThreads = threads;
                var result = new float[outer * inner];
                AxisKernels.Sum<float>(x, outer, length, inner, result);
                int mismatch = Enumerable.Range(0, result.Length).FirstOrDefault(at => BitConverter.SingleToInt32Bits(result[at]) != BitConverter.SingleToInt32Bits(expected[at]), -1);
                Assert.True(mismatch < 0, $"[{outer}, {length}, {inner}] on {threads} thread(s): column sum {mismatch} is {(mismatch < 0 ? 0 : result[mismatch]):R}, the left fold {(mismatch < 0 ? 0 : expected[mismatch]):R}.");
            }
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }

    /// <summary>
    /// Columns 0–79 of 83 hold +0 and −0 in both orders, NaN in one row of every fifth column (so in whole blocks, single
    /// registers and the partial last one), and ordinary values elsewhere; the maxima are those of <see cref="Math.Max(double, double)"/>.
    /// </summary>
    [Fact]
    public void ColumnMaximaPropagateNaNAndPutPositiveZeroAboveNegative()
    {
        const int length = 4, inner = 83;
        var x = new double[length * inner];
        for (int i = 0; i < inner; i++)
        {
            for (int k = 0; k < length; k++)
            {
                x[k * inner + i] = i % 5 == 0 && k == 2 ? double.NaN
                    : i % 5 == 1 ? (k % 2 == 0 ? 0.0 : -0.0)
                    : i % 5 == 2 ? (k % 2 == 0 ? -0.0 : 0.0)
                    : (i % 5 == 3 ? -1 : 1) * (k + 1) * 0.25;
            }
        }
        var result = new double[inner];
        AxisKernels.Max<double>(x, 1, length, inner, result);
        for (int i = 0; i < inner; i++)
        {
            double expected = x[i];
            for (int k = 1; k < length; k++)
            {
                expected = Math.Max(expected, x[k * inner + i]);
            }
            Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(result[i]) || (double.IsNaN(expected) && double.IsNaN(result[i])),
                $"column {i}: max {result[i]:R} (sign {double.IsNegative(result[i])}), expected {expected:R} (sign {double.IsNegative(expected)}).");
        }
    }
}
