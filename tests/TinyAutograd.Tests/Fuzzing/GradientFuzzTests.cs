using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Xunit.Abstractions;

namespace TinyAutograd.Tests.Fuzzing;

/// <summary>
/// Random-program fuzzing of every derivative the library computes: reverse mode, forward mode and both
/// Hessian-vector products, on random expression graphs over the whole op set (see <see cref="FuzzProgramGenerator"/>
/// and <see cref="FuzzCheck"/>).
/// </summary>
/// <remarks>
/// The normal suite checks <see cref="DefaultPrograms"/> programs. A longer run is one command:
/// <c>TINYAUTOGRAD_FUZZ_PROGRAMS=100000 dotnet test tests/TinyAutograd.Tests -c Release --filter FullyQualifiedName~Fuzzing --logger "console;verbosity=detailed"</c>.
/// A failure prints the program (every number in round-trip form) and FsCheck's replay seed.
/// </remarks>
public sealed class GradientFuzzTests(ITestOutputHelper output)
{
    /// <summary>The environment variable that sets how many programs to check.</summary>
    public const string ProgramsVariable = "TINYAUTOGRAD_FUZZ_PROGRAMS";

    private const int DefaultPrograms = 150;
    private const int MaxOperations = 6;

    [Fact]
    public void RandomProgramsHaveCorrectGradientsJacobianAndHessianVectorProducts()
    {
        int programs = int.TryParse(Environment.GetEnvironmentVariable(ProgramsVariable), NumberStyles.None, CultureInfo.InvariantCulture, out int requested) && requested > 0
            ? requested
            : DefaultPrograms;
        var statistics = new FuzzStatistics();
        var property = Prop.ForAll(Arb.From(FuzzProgramGenerator.Programs(MaxOperations)), (FuzzProgram program) =>
        {
            string? discarded = FuzzCheck.Verify(program, statistics);
            statistics.Count(discarded);
            return Prop.When(discarded is null, () => { });
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(programs).WithMaxRejected(programs), property);

        output.WriteLine(statistics.ToString());
        output.WriteLine(statistics.WorstPrograms());
        Assert.Equal(programs, statistics.Checked);
    }
}
