namespace TinyAutograd.Tests.Transforms;

/// <summary>Element-by-element comparison of a tensor with an expected row-major matrix or array.</summary>
internal static class DenseAssert
{
    /// <summary>Asserts the tensor's shape and that every element is within <paramref name="tolerance"/> of the expected
    /// flat, row-major values.</summary>
    public static void Close(double[] expected, int[] expectedShape, Tensor<double> actual, double tolerance = 1e-10)
    {
        Assert.Equal(expectedShape, actual.Shape.ToArray());
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(expected[i] - actual.Data[i]);
            Assert.True(error <= tolerance * (1 + Math.Abs(expected[i])),
                $"element {i}: expected {expected[i]:R}, got {actual.Data[i]:R} (error {error:G3})");
        }
    }

    /// <summary>Asserts a matrix-shaped tensor equals a [rows, columns] array.</summary>
    public static void Close(double[,] expected, Tensor<double> actual, double tolerance = 1e-10) =>
        Close([.. expected.Cast<double>()], [expected.GetLength(0), expected.GetLength(1)], actual, tolerance);
}
