using System.Globalization;
using TinyAutograd.Checks;
using TinyAutograd.Tests.OpRegistry;
using TinyAutograd.Tests.Testing;
using Xunit.Abstractions;

namespace TinyAutograd.Tests.Checks;

/// <summary>
/// The default tolerances (atol 1e-8, rtol 1e-6, with Richardson finite differences) measured over every op of the
/// registry, on random calls, shapes and values inside each op's domains: GradCheck and HessianVectorProductCheck must
/// pass, and the worst element must use less than a thousandth of its tolerance. The printed lines are the measurement.
/// </summary>
public class RegistryToleranceTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(Registry.Names), MemberType = typeof(Registry))]
    public void DefaultChecksPassEveryOpWithRoomToSpare(string op)
    {
        double worstError = 0, worstRatio = 0;
        Properties.ForAll(Registry.Named(op).SmallCases, c =>
        {
            if (c.Weights.Length == 0 || c.Inputs.Any(input => input.Length == 0))
            {
                return; // an empty output or input has no derivative element to compare
            }
            var first = GradCheck.Run(c.Function, c.Inputs);
            var second = HessianVectorProductCheck.Run(c.Scalarized, c.Inputs);
            Assert.True(first.Passed, $"{c}\n{first}");
            Assert.True(second.Passed, $"{c}\n{second}");
            foreach (var worst in new[] { first.Worst, second.Worst })
            {
                worstError = Math.Max(worstError, worst?.Error ?? 0);
                worstRatio = Math.Max(worstRatio, worst?.Ratio ?? 0);
            }
        }, cases: 3);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{op}: worst error {worstError:G2}, {worstRatio:G2} of the tolerance"));
        Assert.True(worstRatio < 1e-3, $"{op}: the worst element used {worstRatio:G3} of its tolerance");
    }
}
