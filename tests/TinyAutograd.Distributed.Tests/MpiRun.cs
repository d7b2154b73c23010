using System.Diagnostics;

namespace TinyAutograd.Distributed.Tests;

/// <summary>Launches the worker program under <c>mpirun -np N --allow-run-as-root --oversubscribe</c> and collects what it printed.</summary>
internal static class MpiRun
{
    /// <summary>Longer than any scenario takes; a run still going then has hung, which is itself a failure.</summary>
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(90);

    /// <summary>The program's exit code, standard output, both output streams together, and wall-clock time.</summary>
    public sealed record Result(int ExitCode, string StandardOutput, string Output, TimeSpan Elapsed);

    /// <summary>Runs the worker program's scenario given by <paramref name="arguments"/> on <paramref name="ranks"/> ranks.</summary>
    public static Result Worker(int ranks, params string[] arguments) => Program(ranks, "TinyAutograd.Distributed.Worker.dll", arguments);

    /// <summary>Runs <paramref name="program"/> (an assembly beside the tests) with <paramref name="arguments"/> on <paramref name="ranks"/> ranks.</summary>
    public static Result Program(int ranks, string program, params string[] arguments)
    {
        string worker = Path.Combine(AppContext.BaseDirectory, program);
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo("mpirun")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // A terminal type, as in an interactive shell: the ranks' standard output is a pseudo-terminal under
            // mpirun, and a program that treats it as one writes escape sequences there.
            Environment = { ["TERM"] = "xterm" },
        };
        foreach (var argument in (string[])["-np", ranks.ToString(System.Globalization.CultureInfo.InvariantCulture), "--allow-run-as-root", "--oversubscribe", dotnet, worker, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(s_limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail($"mpirun {string.Join(' ', arguments)} did not finish within {s_limit.TotalSeconds} s; output so far: {output.Result}{error.Result}");
        }
        process.WaitForExit();
        return new Result(process.ExitCode, output.Result, output.Result + error.Result, clock.Elapsed);
    }

    /// <summary>A fresh temporary folder.</summary>
    public static string TemporaryDirectory()
    {
        string directory = Path.Combine(Path.GetTempPath(), "tinyautograd-mpi-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return directory;
    }
}
