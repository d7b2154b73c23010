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
/// A failure prints the program (every number in round-trip form) and FsCheck's replay seed; setting
/// <c>TINYAUTOGRAD_FUZZ_REPLAY</c> to its three numbers ("Replay directly at failing step with (seed, gamma, size)",
/// comma-separated) with one program runs that program again.
/// </remarks>
public sealed class GradientFuzzTests(ITestOutputHelper output)
{
    /// <summary>The environment variable that sets how many programs to check.</summary>
    public const string ProgramsVariable = "TINYAUTOGRAD_FUZZ_PROGRAMS";

    /// <summary>The environment variable that replays one failing step: FsCheck's "seed,gamma,size" from its message.</summary>
    public const string ReplayVariable = "TINYAUTOGRAD_FUZZ_REPLAY";

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

        var config = Config.QuickThrowOnFailure.WithMaxTest(programs).WithMaxRejected(programs);
        if (Environment.GetEnvironmentVariable(ReplayVariable) is { Length: > 0 } replay)
        {
            var parts = replay.Split(',');
            config = config.WithReplay(
                ulong.Parse(parts[0], CultureInfo.InvariantCulture), ulong.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture));
        }
        Check.One(config, property);

        output.WriteLine(statistics.ToString());
        output.WriteLine(statistics.WorstPrograms());
        Assert.Equal(programs, statistics.Checked);
    }
}
