using System.Globalization;
using Xunit.Abstractions;

namespace TinyAutograd.Onnx.Tests;

/// <summary>
/// Compares ONNX Runtime's output with the library's float32 forward pass, element by element:
/// |library − runtime| ≤ <see cref="Absolute"/> + <see cref="Relative"/>·|runtime|.
/// </summary>
internal static class OutputAgreement
{
    /// <summary>The absolute part of the tolerance.</summary>
    public const double Absolute = 1e-5;

    /// <summary>The relative part of the tolerance.</summary>
    public const double Relative = 1e-4;

    /// <summary>Asserts that the shapes are equal and every element agrees; writes the largest difference to <paramref name="output"/>.</summary>
    public static void Assert<T>(Tensor<T> library, (float[] Values, long[] Shape) runtime, ITestOutputHelper output, string what)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        Xunit.Assert.Equal(library.Shape.ToArray().Select(size => (long)size), runtime.Shape);
        var expected = library.Data;
        double largest = 0;
        int worst = -1;
        for (int i = 0; i < runtime.Values.Length; i++)
        {
            double ours = double.CreateTruncating(expected[i]), theirs = runtime.Values[i];
            double difference = Math.Abs(ours - theirs);
            Xunit.Assert.False(double.IsNaN(difference), $"{what}: element {i} is NaN (library {ours}, runtime {theirs}).");
            if (difference > largest)
            {
                (largest, worst) = (difference, i);
            }
            Xunit.Assert.True(difference <= Absolute + Relative * Math.Abs(theirs),
                $"{what}: element {i} differs by {difference:G3}: library {ours:G9}, ONNX Runtime {theirs:G9} (tolerance {Absolute:G2} + {Relative:G2}·|runtime|).");
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: {runtime.Values.Length} outputs, largest |library − ONNX Runtime| = {largest:G3}{(worst >= 0 ? $" at element {worst}" : "")}"));
    }
}
