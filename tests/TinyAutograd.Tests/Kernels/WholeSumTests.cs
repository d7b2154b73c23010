using TinyAutograd.Kernels;
using static TinyAutograd.Tests.Reliability.GemmThreadCountCollection;

namespace TinyAutograd.Tests.Kernels;

/// <summary>
/// <see cref="WholeSum"/>'s sums and sums of products on lengths around its chunk boundaries: integer values (every
/// partial sum exact, so any element dropped or counted twice shows), random values against the sum in double, and the
/// same bits on one and two threads.
/// </summary>
[Collection("Gemm thread count")]
public sealed class WholeSumTests
{
    private const int Chunk = WholeSum.ChunkElements;

    public static TheoryData<int> Lengths() => new()
    {
        (2 * Chunk) - 1, 2 * Chunk, (2 * Chunk) + 1, (3 * Chunk) + 17, (5 * Chunk) + Chunk - 8, 9 * Chunk,
    };

    [Theory]
    [MemberData(nameof(Lengths))]
    public void CountsEveryElementOnce(int length)
    {
        // Each element's value encodes its index modulo 7, weighted so that a missed or repeated chunk, half or tail
        // changes the total; every partial sum stays an integer below 2^24, so float adds them exactly.
        var values = new float[length];
        var factors = new float[length];
        long expected = 0, expectedProducts = 0;
        for (int i = 0; i < length; i++)
        {
            int value = (i % 7) - 3 + (i / Chunk);
            values[i] = value;
            factors[i] = 1 + (i % 2);
            expected += value;
            expectedProducts += value * (1 + (i % 2));
        }
        Assert.Equal(expected, (long)WholeSum.Of<float>(values));
        Assert.Equal(expected, (long)WholeSum.Of<double>(values.Select(v => (double)v).ToArray()));
        Assert.Equal(expectedProducts, (long)WholeSum.OfProducts<float>(values, factors));
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void MatchesTheSumInDoubleAndDoesNotDependOnTheThreadCount(int length)
    {
        var random = new Random(length);
        var values = new float[length];
        var factors = new float[length];
        double exact = 0, magnitude = 0, exactProducts = 0, productMagnitude = 0;
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
            factors[i] = (float)((random.NextDouble() * 2) - 1);
            exact += values[i];
            magnitude += Math.Abs(values[i]);
            exactProducts += (double)values[i] * factors[i];
            productMagnitude += Math.Abs((double)values[i] * factors[i]);
        }
        float one = WithMaxThreads(1, () => WholeSum.Of<float>(values)), two = WithMaxThreads(2, () => WholeSum.Of<float>(values));
        Assert.Equal(one, two);
        // Each chunk adds Chunk / 16 values per accumulator lane, then the lanes, chunks and tail: well under 1e-3 of
        // float's epsilon per element of Σ|x| for these lengths. A chunk's dot product accumulates alike.
        Assert.True(Math.Abs(one - exact) <= magnitude * 1e-5, $"length {length}: {one} against {exact} (Σ|x| = {magnitude})");
        float products = WithMaxThreads(1, () => WholeSum.OfProducts<float>(values, factors));
        Assert.Equal(products, WithMaxThreads(2, () => WholeSum.OfProducts<float>(values, factors)));
        Assert.True(Math.Abs(products - exactProducts) <= productMagnitude * 1e-5,
            $"length {length}: Σ x·y = {products} against {exactProducts} (Σ|x·y| = {productMagnitude})");
    }

    [Fact]
    public void ShortSpansGiveTensorPrimitivesBits()
    {
        var random = new Random(3);
        var values = Enumerable.Range(0, (2 * Chunk) - 1).Select(_ => (float)random.NextDouble()).ToArray();
        Assert.Equal(System.Numerics.Tensors.TensorPrimitives.Sum<float>(values), WholeSum.Of<float>(values));
    }
}
