using TinyAutograd.Checks;

namespace TinyAutograd.Tests.Checks;

/// <summary>Richardson-extrapolated finite differences: accuracy, honest error estimates, automatic steps near a domain
/// edge, and the tight default tolerances they allow.</summary>
public class RichardsonExtrapolationTests
{
    private static NumericDerivative Derivative(Func<Tensor<double>, Tensor<double>> f, double x, CheckOptions? options = null) =>
        FiniteDifferences.Directional(FiniteDifferences.Values<double>(xs => f(xs[0])), [Tensor.Scalar(x)], [Tensor.Scalar(1.0)], options ?? CheckOptions.Default);

    [Theory]
    [InlineData(0.7)]
    [InlineData(-2.0)]
    [InlineData(3.0)]
    public void SmoothFunctionsGetTwelveDigitsAndAnErrorEstimateThatCoversTheError(double x)
    {
        var exp = Derivative(v => v.Exp(), x);
        var tanh = Derivative(v => v.Tanh(), x);

        double expError = Math.Abs(exp.Values[0] - Math.Exp(x));
        double tanhExact = 1 - Math.Tanh(x) * Math.Tanh(x);
        double tanhError = Math.Abs(tanh.Values[0] - tanhExact);
        Assert.True(expError <= 1e-12 * Math.Exp(x), $"exp′({x}): error {expError}");
        Assert.True(tanhError <= 1e-12, $"tanh′({x}): error {tanhError}");
        Assert.True(expError <= exp.Errors[0] && tanhError <= tanh.Errors[0], $"estimates {exp.Errors[0]}, {tanh.Errors[0]}");
    }

    [Fact]
    public void StepsThatLeaveTheDomainAreSkipped()
    {
        // log at 0.01: every step above 0.01 reaches x ≤ 0, where log is NaN; the smaller steps still give 1/x.
        var log = Derivative(v => v.Log(), 0.01);

        Assert.Equal(100, log.Values[0], 1e-6);
        Assert.True(log.Errors[0] < 1e-4, $"estimate {log.Errors[0]}");
    }

    [Fact]
    public void ThePlainCentralDifferenceIsFarLessAccurate()
    {
        var central = Derivative(v => v.Exp(), 2.0, new CheckOptions { FiniteDifferences = FiniteDifferenceMethod.Central });
        var richardson = Derivative(v => v.Exp(), 2.0);

        double centralError = Math.Abs(central.Values[0] - Math.Exp(2));
        double richardsonError = Math.Abs(richardson.Values[0] - Math.Exp(2));
        Assert.True(centralError > 100 * richardsonError, $"central {centralError}, Richardson {richardsonError}");
        Assert.Equal(0, central.Errors[0]);
    }

    [Fact]
    public void AReportNotesFiniteDifferencesItCannotTrust()
    {
        // |x| at 1e-5: every step straddles the kink, so the differences vary with the step and the estimate is large.
        var report = GradCheck.Run(x => x.Abs(), Tensor.FromArray([1e-5, 2.0], 2));

        Assert.Contains(report.Notes, note => note.Contains("element(s) carry an estimated error above atol + rtol·|value|", StringComparison.Ordinal));
    }
}
