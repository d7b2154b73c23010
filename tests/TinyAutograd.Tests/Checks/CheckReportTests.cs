using TinyAutograd.Checks;

namespace TinyAutograd.Tests.Checks;

public class CheckReportTests
{
    [Fact]
    public void ListsNoMoreThanTheCapOfFailuresHoweverManyThereAre()
    {
        var x = Tensor.Arange<double>(1, 41).Reshape(5, 8);

        var report = GradCheck.Run(v => FlawedOps.SquareWithHalfGradient(v).Sum(), x, new CheckOptions { MaxListedElements = 3 });

        Assert.Equal(80, report.FailedCount);
        Assert.Equal(3, report.WorstFailures.Count);
        Assert.Same(report.Worst, report.WorstFailures[0]);
        // The element with the largest value, 40 at [4, 7], has the largest error relative to its tolerance.
        Assert.Equal([4, 7], report.Worst!.Index);
        string verdict = report.ToString();
        Assert.Contains("next worst failures by error/tolerance (2 listed of 79)", verdict, StringComparison.Ordinal);
        Assert.Equal(2, verdict.Split('\n').Count(line => line.Contains("(autodiff vs finite differences)", StringComparison.Ordinal) && line.Contains(": autodiff", StringComparison.Ordinal)));
        Assert.Contains("x = [1, 2, 3, 4, 5, 6, … (40 values, shape [5, 8])", verdict, StringComparison.Ordinal);
    }

    [Fact]
    public void WorstFailuresAreOrderedWorstFirst()
    {
        var x = Tensor.FromArray([3.0, -1.0, 2.0], 3);

        var report = GradCheck.Run(v => FlawedOps.SquareWithHalfGradient(v).Sum(), x, new CheckOptions { MaxListedElements = 6 });

        var severities = report.WorstFailures.Select(element => element.Error / element.Tolerance).ToArray();
        Assert.Equal(severities.OrderByDescending(s => s), severities);
        Assert.All(report.WorstFailures, element => Assert.False(element.Passed));
    }

    [Fact]
    public void PointDescriptionNamesEveryInput()
    {
        var derivation = new MultiInputDerivation<double>(p => (p[0] * p[1]).Sum(), p => [p[1], p[0]], "a", "b");

        var report = derivation.CheckAt([Tensor.Scalar(2.0), Tensor.Scalar(-0.5)]);

        Assert.True(report.Passed, report.ToString());
        Assert.Equal("a = 2, b = -0.5", report.PointDescription(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => report.PointDescription(1));
    }
}
