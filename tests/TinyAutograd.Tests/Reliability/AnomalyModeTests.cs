using System.Globalization;
using System.Runtime.CompilerServices;

namespace TinyAutograd.Tests.Reliability;

/// <summary>
/// Anomaly mode: the first NaN or infinity made by a recorded op, forward or backward, raises an ArithmeticException
/// naming the op, the pass, the input shapes and the line (in this file) that created the op. Off by default.
/// </summary>
public sealed class AnomalyModeTests
{
    [Fact]
    public void LogOfANegativeNumberFailsInTheForwardPassAtTheCallingLine()
    {
        var x = Tensor.FromArray([1.0, -2.0, 3.0]).RequireGrad();
        using var anomaly = AnomalyMode.Enable();

        var (line, error) = (LineHere(), Assert.Throws<ArithmeticException>(() => x.Log()));

        AssertReport(error, "Log", "forward", "input shapes: [3]", line);
        Assert.Contains("NaN", error.Message, StringComparison.Ordinal);
        Assert.Contains("flat index 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LogOfZeroFailsInTheForwardPassWithMinusInfinity()
    {
        var x = Tensor.FromArray([0.5, 0.0], 2, 1).RequireGrad();
        using var anomaly = AnomalyMode.Enable();

        var (line, error) = (LineHere(), Assert.Throws<ArithmeticException>(() => x.Log()));

        AssertReport(error, "Log", "forward", "input shapes: [2, 1]", line);
        Assert.Contains(double.NegativeInfinity.ToString(CultureInfo.CurrentCulture), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DivisionByZeroFailsInTheForwardPassAndNamesBothBroadcastShapes()
    {
        var a = Tensor.FromArray([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 2, 3).RequireGrad();
        var b = Tensor.FromArray([1.0, 0.0, 2.0]);
        using var anomaly = AnomalyMode.Enable();

        var (line, error) = (LineHere(), Assert.Throws<ArithmeticException>(() => a / b));

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

    private static void AssertReport(ArithmeticException error, string operation, string pass, string shapes, int line, [CallerFilePath] string file = "")
    {
        Assert.Contains($"the {pass} pass of '{operation}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(shapes, error.Message, StringComparison.Ordinal);
        Assert.Contains($"{Path.GetFileName(file)}:{line}", error.Message, StringComparison.Ordinal);
    }

    private static int LineHere([CallerLineNumber] int line = 0) => line;
}
