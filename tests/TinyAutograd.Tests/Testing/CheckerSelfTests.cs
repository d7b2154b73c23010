using FsCheck.Fluent;
using Xunit.Sdk;

namespace TinyAutograd.Tests.Testing;

/// <summary>
/// The checkers must be accurate on known derivatives and must reject wrong ones with a useful message; otherwise a
/// passing op test would prove nothing. Wrong derivatives are made with Detach, which hides a dependence from autodiff.
/// </summary>
public sealed class CheckerSelfTests
{
    [Fact]
    public void FiniteDifferencesAreAccurateOnKnownDerivatives()
    {
        Assert.Equal(Math.Cos(0.7), FiniteDifferences.Derivative(t => Math.Sin(0.7 + t), 1e-3), 1e-12);
        var gradient = FiniteDifferences.Gradient(xs => xs[0][0] * xs[0][0] * xs[1][0], [[1.5], [-2.0]]);
        Assert.Equal(2 * 1.5 * -2.0, gradient[0][0], 1e-10);
        Assert.Equal(1.5 * 1.5, gradient[1][0], 1e-10);
    }

    [Fact]
    public void GradientCheckerAcceptsACorrectGradient() =>
        GradientChecker.Check("Square", xs => (xs[0] * xs[0]).Sum(), [Tensor.FromArray([0.5, -1.5, 2.0])], new Tolerance(1e-8, 1e-6));

    [Fact]
    public void GradientCheckerRejectsAWrongGradientNamingOpInputIndexAndValues()
    {
        var x = Tensor.FromArray([1.0, 2.0, 3.0, 4.0], 2, 2);
        var error = Assert.Throws<XunitException>(() =>
            GradientChecker.Check("HalfSquare", xs => (xs[0].Detach() * xs[0]).Sum(), [x], new Tolerance(1e-8, 1e-6)));
        // Autodiff sees c·x with c constant (gradient x); the true gradient of x² is 2x, worst at the largest x = 4.
        Assert.Contains("HalfSquare: gradient of input 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("index [1, 1]", error.Message, StringComparison.Ordinal);
        Assert.Contains("analytic 4", error.Message, StringComparison.Ordinal);
        Assert.Matches(@"numeric (7\.99999|8(\.00000|;))", error.Message);
        Assert.Contains("allowed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SecondOrderCheckerRejectsAWrongHessian()
    {
        var x = Tensor.FromArray([1.0, -2.0]);
        var opCase = OpCase.Of("CubeWithHiddenFactor", xs => xs[0].Detach() * xs[0] * xs[0], x).Sample(1, 1).Single();
        var probe = Probe.For(opCase).Sample(1, 1).Single();
        var error = Assert.Throws<XunitException>(() => SecondOrderChecker.Check(opCase, probe, SecondOrderTolerances.Standard));
        Assert.Contains("CubeWithHiddenFactor: H·v", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToleranceRejectsNaNAndMismatchedInfinities()
    {
        var tolerance = new Tolerance(1, 1);
        Assert.Equal(double.PositiveInfinity, tolerance.Excess(double.NaN, 0));
        Assert.Equal(double.PositiveInfinity, tolerance.Excess(double.PositiveInfinity, 1e300));
        Assert.Equal(0, tolerance.Excess(double.NegativeInfinity, double.NegativeInfinity));
        Assert.True(tolerance.Excess(2.9, 1) < 1);
        Assert.True(tolerance.Excess(3.1, 1) > 1);
    }
}
