using TinyAutograd.Kernels;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Kernels;

/// <summary>
/// AxisKernels.Sum and AxisKernels.Max over every axis of odd-sized shapes (both the contiguous-slice path, inner = 1,
/// and the row-combining path, inner &gt; 1), in float and double, against a naive loop.
/// </summary>
public sealed class AxisKernelsTests
{
    private static readonly int[][] ShapesToReduce =
    [
        [1], [7], [1031],
        [3, 17], [17, 3], [1, 65], [65, 1], [33, 31],
        [3, 17, 5], [7, 1, 33], [2, 127, 3], [5, 3, 63],
        [2, 3, 1, 15],
    ];

    public static TheoryData<int, int> ShapeAxisPairs()
    {
        var data = new TheoryData<int, int>();
        for (int s = 0; s < ShapesToReduce.Length; s++)
        {
            for (int axis = 0; axis < ShapesToReduce[s].Length; axis++)
            {
                data.Add(s, axis);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ShapeAxisPairs))]
    public void SumMatchesNaiveLoopWithinTheSummationBound(int shapeIndex, int axis)
    {
        var shape = new Shape(ShapesToReduce[shapeIndex]);
        var (outer, length, inner) = AxisKernels.Split(shape.Dimensions, axis);
        Assert.Equal((Outer(shape, axis), shape[axis], Inner(shape, axis)), (outer, length, inner));
        var x = KernelInputs.Values(shape.Length, -4, 4, seed: 5);
        var (expected, magnitudes) = NaiveReduce(shape, axis, x, (acc, v) => acc + v, 0.0);

        var inDouble = new double[outer * inner];
        AxisKernels.Sum<double>(x, outer, length, inner, inDouble);
        // Summation order may differ (vectorized); each sum is within (n − 1)·u·Σ|x| of the exact one (u = 2⁻⁵³), so they differ by at most twice that.
        RequireWithinBound($"Sum over axis {axis} of {shape} in double", inDouble, expected, magnitudes, 2 * (length - 1) * Math.Pow(2, -53));

        var inFloat = new float[outer * inner];
        AxisKernels.Sum<float>(KernelInputs.ToFloat(x), outer, length, inner, inFloat);
        // Float rounding: |Δ| ≤ (n − 1)·u·Σ|x| with u = 2⁻²⁴, plus the final rounding to float.
        RequireWithinBound($"Sum over axis {axis} of {shape} in float", KernelInputs.ToDouble(inFloat), expected, magnitudes, length * Math.Pow(2, -24));
    }

    [Theory]
    [MemberData(nameof(ShapeAxisPairs))]
    public void MaxMatchesNaiveLoopExactly(int shapeIndex, int axis)
    {
        var shape = new Shape(ShapesToReduce[shapeIndex]);
        var (outer, length, inner) = AxisKernels.Split(shape.Dimensions, axis);
        var x = KernelInputs.Values(shape.Length, -4, 4, seed: 6);
        var (expected, _) = NaiveReduce(shape, axis, x, Math.Max, double.NegativeInfinity);
        var resultShape = new Shape(outer * inner);

        var inDouble = new double[outer * inner];
        AxisKernels.Max<double>(x, outer, length, inner, inDouble);
        ElementwiseComparison.Require($"Max over axis {axis} of {shape} in double", resultShape, inDouble, expected, new Tolerance(0, 0), "kernel", "naive loop");

        var inFloat = new float[outer * inner];
        AxisKernels.Max<float>(KernelInputs.ToFloat(x), outer, length, inner, inFloat);
        ElementwiseComparison.Require($"Max over axis {axis} of {shape} in float", resultShape, KernelInputs.ToDouble(inFloat), expected, new Tolerance(0, 0), "kernel", "naive loop");
    }

    [Fact]
    public void MaxPropagatesNaN()
    {
        var result = new double[2];
        AxisKernels.Max<double>([1.0, double.NaN, 3.0, 2.0, 5.0, 4.0], outer: 2, length: 3, inner: 1, result);
        Assert.True(double.IsNaN(result[0]));
        Assert.Equal(5.0, result[1]);
        AxisKernels.Max<double>([1.0, 2.0, double.NaN, 0.0], outer: 1, length: 2, inner: 2, result);
        Assert.Equal(2.0, result[1]);
        Assert.True(double.IsNaN(result[0]));
    }

    [Fact]
    public void SumOverAnEmptyAxisIsZero()
    {
        var result = new[] { 9.0, 9.0, 9.0 };
        AxisKernels.Sum<double>([], outer: 1, length: 0, inner: 3, result);
        Assert.Equal(new[] { 0.0, 0.0, 0.0 }, result);
        AxisKernels.Sum<double>([], outer: 3, length: 0, inner: 1, result);
        Assert.Equal(new[] { 0.0, 0.0, 0.0 }, result);
    }

    /// <summary>The reduction of each [outer, ·, inner] slice by a left fold, and each slice's Σ|x| (for rounding bounds).</summary>
    private static (double[] Result, double[] Magnitudes) NaiveReduce(Shape shape, int axis, double[] x, Func<double, double, double> fold, double seed)
    {
        var reducedShape = shape.WithDimension(axis, 1);
        var result = Enumerable.Repeat(seed, reducedShape.Length).ToArray();
        var magnitudes = new double[reducedShape.Length];
        foreach (var index in NdIndex.All(shape))
        {
            var target = (int[])index.Clone();
            target[axis] = 0;
            int slot = NdIndex.Flatten(reducedShape, target);
            double value = x[NdIndex.Flatten(shape, index)];
            result[slot] = fold(result[slot], value);
            magnitudes[slot] += Math.Abs(value);
        }
        return (result, magnitudes);
    }

    private static void RequireWithinBound(string subject, double[] actual, double[] expected, double[] magnitudes, double relativeBound)
    {
        for (int i = 0; i < actual.Length; i++)
        {
            ElementwiseComparison.Require($"{subject}, element {i}", actual[i], expected[i], new Tolerance(relativeBound * magnitudes[i], 0), "kernel", "naive loop");
        }
    }

    private static int Outer(Shape shape, int axis) => shape.ToArray()[..axis].Aggregate(1, (p, d) => p * d);

    private static int Inner(Shape shape, int axis) => shape.ToArray()[(axis + 1)..].Aggregate(1, (p, d) => p * d);
}
