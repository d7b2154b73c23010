using TinyAutograd.Kernels;
using TinyAutograd.Tests.Reliability;
using TinyAutograd.Tests.Testing;
using static TinyAutograd.Tests.Reliability.GemmThreadCountCollection;

namespace TinyAutograd.Tests.Kernels;

/// <summary>
/// LayoutKernels (permute, tiled 2-D transpose, block copy in both directions, gather, scatter-add) on odd sizes, in
/// float and double, against naive index loops. All are copies or in-order sums, so results must match exactly. The
/// class changes <see cref="Parallelism.MaxThreads"/>, so it joins the non-parallel "Gemm thread count" collection.
/// </summary>
[Collection(GemmThreadCountCollection.Name)]
public sealed class LayoutKernelsTests
{
    private static readonly Tolerance Exact = new(0, 0);

    public static TheoryData<int[], int[]> Permutations() => new()
    {
        { [], [] },
        { [7], [0] },
        { [3, 17], [1, 0] },
        { [33, 65], [1, 0] },
        { [1, 31], [1, 0] },
        { [3, 17], [0, 1] },
        { [3, 5, 7], [2, 0, 1] },
        { [3, 5, 7], [1, 2, 0] },
        { [3, 5, 7], [0, 2, 1] },
        { [1, 63, 1], [2, 1, 0] },
        { [2, 3, 5, 7], [3, 1, 0, 2] },
        { [2, 1, 3, 17], [0, 3, 2, 1] },
        // The last axis kept and at least 16 long: whole rows copied.
        { [4, 3, 16], [1, 0, 2] },
        { [2, 3, 5, 33], [2, 0, 1, 3] },
        { [5, 1, 2, 40], [2, 1, 0, 3] },
        { [3, 2, 20], [0, 1, 2] },
        // Rows of whole 32-byte registers up to 256 bytes are copied in registers, longer ones by memmove.
        { [2, 5, 4, 32], [0, 2, 1, 3] },
        { [3, 4, 2, 64], [0, 2, 1, 3] },
        { [2, 3, 72], [1, 0, 2] },
    };

    [Theory]
    [MemberData(nameof(Permutations))]
    public void PermuteMatchesNaiveIndexMapping(int[] shape, int[] axes)
    {
        var source = new Shape(shape);
        var x = KernelInputs.Values(source.Length, -4, 4, seed: 7);
        var resultShape = new Shape(axes.Select(axis => shape[axis]).ToArray());
        var expected = NdIndex.Build(resultShape, index =>
        {
            var from = new int[shape.Length];
            for (int d = 0; d < axes.Length; d++)
            {
                from[axes[d]] = index[d];
            }
            return x[NdIndex.Flatten(source, from)];
        });
        RequireBothPrecisions($"Permute {source} by [{string.Join(", ", axes)}]", resultShape, x, expected.ToArray(),
            (input, output) => LayoutKernels.Permute<double>(input, shape, axes, output),
            (input, output) => LayoutKernels.Permute<float>(input, shape, axes, output));
    }

    /// <summary>
    /// A permutation keeping a wide last axis, large enough to be split into ranges over the cores: each range starts its
    /// rows mid-way through the leading axes, so every row must still come from where the index mapping says, on 1, 2
    /// and 3 threads.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void PermuteSplitOverThreadsMatchesNaiveIndexMapping(int threads)
    {
        int[] shape = [17, 130, 4, 50], axes = [0, 2, 1, 3];
        var source = new Shape(shape);
        var x = KernelInputs.Values(source.Length, -4, 4, seed: 9).Select(v => (float)v).ToArray();
        var resultShape = new Shape(axes.Select(axis => shape[axis]).ToArray());
        var result = WithMaxThreads(threads, () =>
        {
            var permuted = new float[x.Length];
            LayoutKernels.Permute<float>(x, shape, axes, permuted);
            return permuted;
        });
        var expected = NdIndex.Build(resultShape, index => x[NdIndex.Flatten(source, [index[0], index[2], index[1], index[3]])]);
        Assert.Equal(expected.ToArray().Select(v => (float)v).ToArray(), result);
    }

    public static TheoryData<int, int> TransposeSizes()
    {
        var data = new TheoryData<int, int>();
        foreach (int rows in new[] { 1, 3, 31, 33, 65 })
        {
            foreach (int columns in new[] { 1, 7, 32, 33, 127 })
            {
                data.Add(rows, columns);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(TransposeSizes))]
    public void Transpose2DCoversPartialTiles(int rows, int columns)
    {
        var x = KernelInputs.Values(rows * columns, -4, 4, seed: 8);
        var expected = new double[rows * columns];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                expected[c * rows + r] = x[r * columns + c];
            }
        }
        RequireBothPrecisions($"Transpose2D {rows}×{columns}", new Shape(columns, rows), x, expected,
            (input, output) => LayoutKernels.Transpose2D<double>(input, rows, columns, output),
            (input, output) => LayoutKernels.Transpose2D<float>(input, rows, columns, output));
    }

    public static TheoryData<int, int, int, int, int> Blocks() => new()
    {
        { 1, 7, 1, 0, 7 },
        { 3, 17, 5, 2, 9 },
        { 7, 33, 3, 32, 1 },
        { 5, 65, 1, 0, 0 },
        { 2, 127, 15, 63, 64 },
        { 1, 1031, 1, 17, 1000 },
    };

    [Theory]
    [MemberData(nameof(Blocks))]
    public void CopyBlockSlicesAndEmbedsTheMiddleAxisRange(int outer, int length, int inner, int start, int count)
    {
        var full = KernelInputs.Values(outer * length * inner, -4, 4, seed: 9);
        var part = KernelInputs.Values(outer * count * inner, -4, 4, seed: 10);
        var sliced = new double[part.Length];
        var embedded = (double[])full.Clone();
        for (int o = 0; o < outer; o++)
        {
            for (int k = 0; k < count; k++)
            {
                for (int i = 0; i < inner; i++)
                {
                    sliced[(o * count + k) * inner + i] = full[(o * length + start + k) * inner + i];
                    embedded[(o * length + start + k) * inner + i] = part[(o * count + k) * inner + i];
                }
            }
        }
        RequireBothPrecisions($"CopyBlock slice [{start}, {start + count}) of [{outer}, {length}, {inner}]", new Shape(sliced.Length), full, sliced,
            (input, output) => LayoutKernels.CopyBlock<double>(input, output, outer, length, inner, start, count, intoSource: false),
            (input, output) => LayoutKernels.CopyBlock<float>(input, output, outer, length, inner, start, count, intoSource: false));
        RequireBothPrecisions($"CopyBlock embed at [{start}, {start + count}) of [{outer}, {length}, {inner}]", new Shape(embedded.Length), part, embedded,
            (input, output) => { full.CopyTo(output.AsSpan()); LayoutKernels.CopyBlock<double>(input, output, outer, length, inner, start, count, intoSource: true); },
            (input, output) => { KernelInputs.ToFloat(full).CopyTo(output.AsSpan()); LayoutKernels.CopyBlock<float>(input, output, outer, length, inner, start, count, intoSource: true); });
    }

    public static TheoryData<int, int, int, int[]> Gathers() => new()
    {
        { 1, 7, 1, [6, 0, 3] },
        { 3, 17, 5, [0, 0, 16, 8, 8, 8] },
        { 2, 33, 31, [32] },
        { 4, 5, 65, [4, 3, 2, 1, 0, 4] },
        { 1, 1031, 1, [.. Enumerable.Range(0, 1031).Select(i => (i * 7) % 1031), 5, 5] },
        { 3, 4, 2, [] },
    };

    [Theory]
    [MemberData(nameof(Gathers))]
    public void GatherPicksAndScatterAddAccumulatesInOrder(int outer, int length, int inner, int[] indices)
    {
        var source = KernelInputs.Values(outer * length * inner, -4, 4, seed: 11);
        var gathered = new double[outer * indices.Length * inner];
        var scattered = new double[outer * length * inner];
        var contributions = KernelInputs.Values(gathered.Length, -4, 4, seed: 12);
        for (int o = 0; o < outer; o++)
        {
            for (int j = 0; j < indices.Length; j++)
            {
                for (int i = 0; i < inner; i++)
                {
                    gathered[(o * indices.Length + j) * inner + i] = source[(o * length + indices[j]) * inner + i];
                    scattered[(o * length + indices[j]) * inner + i] += contributions[(o * indices.Length + j) * inner + i];
                }
            }
        }
        RequireBothPrecisions($"Gather {indices.Length} of [{outer}, {length}, {inner}]", new Shape(gathered.Length), source, gathered,
            (input, output) => LayoutKernels.Gather<double>(input, indices, outer, length, inner, output),
            (input, output) => LayoutKernels.Gather<float>(input, indices, outer, length, inner, output));
        // Scatter-add sums repeated indices in index order, as the naive loop does; in float the sums are rounded to float.
        var scatteredInDouble = new double[scattered.Length];
        LayoutKernels.ScatterAdd<double>(contributions, indices, outer, length, inner, scatteredInDouble);
        ElementwiseComparison.Require($"ScatterAdd {indices.Length} into [{outer}, {length}, {inner}] in double", new Shape(scattered.Length), scatteredInDouble, scattered, Exact, "kernel", "naive loop");
        var scatteredInFloat = new float[scattered.Length];
        LayoutKernels.ScatterAdd<float>(KernelInputs.ToFloat(contributions), indices, outer, length, inner, scatteredInFloat);
        int repeats = indices.Length == 0 ? 1 : indices.GroupBy(index => index).Max(group => group.Count());
        // At most `repeats` additions of terms of size ≤ 4 per element, each rounding by ≤ 2⁻²⁴·(4·repeats): |Δ| ≤ 4·repeats²·2⁻²⁴.
        ElementwiseComparison.Require($"ScatterAdd {indices.Length} into [{outer}, {length}, {inner}] in float", new Shape(scattered.Length),
            KernelInputs.ToDouble(scatteredInFloat), scatteredInDouble, new Tolerance(4.0 * repeats * repeats * Math.Pow(2, -24), 0), "float kernel", "double kernel");
    }

    /// <summary>Runs a copy kernel in double and float on the same values and requires both to reproduce <paramref name="expected"/> exactly.</summary>
    private static void RequireBothPrecisions(string subject, Shape shape, double[] input, double[] expected, Action<double[], double[]> inDouble, Action<float[], float[]> inFloat)
    {
        var doubleResult = new double[expected.Length];
        inDouble(input, doubleResult);
        ElementwiseComparison.Require($"{subject} in double", shape, doubleResult, expected, Exact, "kernel", "naive loop");
        var floatResult = new float[expected.Length];
        inFloat(KernelInputs.ToFloat(input), floatResult);
        ElementwiseComparison.Require($"{subject} in float", shape, KernelInputs.ToDouble(floatResult), expected, Exact, "kernel", "naive loop");
    }
}
