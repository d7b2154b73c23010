using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace TinyAutograd.Tests.Reliability;

/// <summary>
/// Anomaly mode: the first NaN or infinity made by a recorded op, forward or backward, raises an ArithmeticException
/// naming the op, the pass, the input shapes and the line (in this file) that created the op. Off by default.
/// </summary>
/// <remarks>
/// The ops are called directly in the test methods, as user code calls them, not inside a lambda given to
/// Assert.Throws: the creating line is found by a stack walk, and the JIT (dynamic PGO) may inline such a lambda into
/// the assertion library, whose line would then be reported.
/// </remarks>
public sealed class AnomalyModeTests
{
    [Fact]
    public void LogOfANegativeNumberFailsInTheForwardPassAtTheCallingLine()
    {
        var x = Tensor.FromArray([1.0, -2.0, 3.0]).RequireGrad();
        using var anomaly = AnomalyMode.Enable();

        int line = 0;
        ArithmeticException? error = null;
        try
        {
            _ = (Mark(out line), x.Log());
        }
        catch (ArithmeticException caught)
        {
            error = caught;
        }

        AssertReport(error, "Log", "forward", "input shapes: [3]", line);
        Assert.Contains("NaN", error.Message, StringComparison.Ordinal);
        Assert.Contains("flat index 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LogOfZeroFailsInTheForwardPassWithMinusInfinity()
    {
        var x = Tensor.FromArray([0.5, 0.0], 2, 1).RequireGrad();
        using var anomaly = AnomalyMode.Enable();

        int line = 0;
        ArithmeticException? error = null;
        try
        {
            _ = (Mark(out line), x.Log());
        }
        catch (ArithmeticException caught)
        {
            error = caught;
        }

        AssertReport(error, "Log", "forward", "input shapes: [2, 1]", line);
        Assert.Contains(double.NegativeInfinity.ToString(CultureInfo.CurrentCulture), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DivisionByZeroFailsInTheForwardPassAndNamesBothBroadcastShapes()
    {
        var a = Tensor.FromArray([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 2, 3).RequireGrad();
        var b = Tensor.FromArray([1.0, 0.0, 2.0]);
        using var anomaly = AnomalyMode.Enable();

        int line = 0;
        ArithmeticException? error = null;
        try
        {
            _ = (Mark(out line), a / b);
        }
        catch (ArithmeticException caught)
        {
            error = caught;
        }

        AssertReport(error, "Divide", "forward", "input shapes: [2, 3], [3]", line);
        Assert.Contains(double.PositiveInfinity.ToString(CultureInfo.CurrentCulture), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SqrtAtZeroIsFineForwardButFailsInTheBackwardPassNamingTheForwardLine(bool createGraph)
    {
        var x = Tensor.FromArray([4.0, 0.0]).RequireGrad();
        using var anomaly = AnomalyMode.Enable();

        var (line, root) = (LineHere(), x.Sqrt());
        Assert.Equal([2.0, 0.0], root.ToArray());
        var loss = root.Sum();
        var error = Assert.Throws<ArithmeticException>(() => loss.Backward(createGraph: createGraph));

        AssertReport(error, "Sqrt", "backward", "[2]", line);
        Assert.Contains(double.PositiveInfinity.ToString(CultureInfo.CurrentCulture), error.Message, StringComparison.Ordinal);
        Assert.Null(x.Grad);
    }

    [Fact]
    public void IsOffByDefaultSoNonFiniteValuesPassSilently()
    {
        bool enabled = true;
        double logValue = 0, gradient = 0;
        var thread = new Thread(() =>
        {
            enabled = AnomalyMode.IsEnabled;
            var x = Tensor.FromArray([-1.0, 0.0]).RequireGrad();
            logValue = x.Log()[0];
            x.Sqrt().Sum().Backward();
            gradient = x.Grad![1];
        });
        thread.Start();
        thread.Join();

        Assert.False(enabled);
        Assert.True(double.IsNaN(logValue));
        Assert.Equal(double.PositiveInfinity, gradient);
    }

    [Fact]
    public void EndsWithItsScope()
    {
        var x = Tensor.FromArray([-1.0]).RequireGrad();
        bool before = AnomalyMode.IsEnabled;
        using (AnomalyMode.Enable())
        {
            Assert.True(AnomalyMode.IsEnabled);
            Assert.Throws<ArithmeticException>(() => x.Log());
        }

        Assert.Equal(before, AnomalyMode.IsEnabled);
        Assert.True(double.IsNaN(x.Log()[0]));
    }

    private static void AssertReport([NotNull] ArithmeticException? error, string operation, string pass, string shapes, int line, [CallerFilePath] string file = "")
    {
        Assert.NotNull(error);
        foreach (string expected in new[] { $"the {pass} pass of '{operation}'", shapes, $"{Path.GetFileName(file)}:{line}" })
        {
            Assert.True(error.Message.Contains(expected, StringComparison.Ordinal), $"Expected \"{expected}\" in: {error.Message}");
        }
    }

    private static int LineHere([CallerLineNumber] int line = 0) => line;

    /// <summary>Sets <paramref name="line"/> to the calling line before the rest of that line's expression runs (and maybe throws).</summary>
    private static int Mark(out int line, [CallerLineNumber] int current = 0) => line = current;
}
