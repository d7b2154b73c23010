using System.CommandLine;
using Spectre.Console;
using TinyAutograd.Examples.Charts;
using TinyAutograd.Examples.Cli;
using TinyAutograd.Examples.Models;
using TinyAutograd.Optim;
using TinyAutograd.Profiling;

namespace TinyAutograd.Examples.Demos;

/// <summary>
/// Where a training step's time goes: the MLP step (zero the gradients, cross-entropy, backward, Adam) runs a few times
/// to warm up, then under the profiler; prints the per-op table, writes the Chrome trace and the roofline picture.
/// </summary>
internal static class ProfileDemo
{
    public const string Name = "profile";

    public static Command Command(ConsoleStreams streams)
    {
        var command = new Command(Name, "Profiles the MLP training step per op (forward, backward, FLOPs, bytes, % of the roofline); writes a Chrome trace and a roofline picture.");
        var common = new CommonOptions(command);
        var steps = command.AddOption("--steps", "Training steps profiled.", 20, 1);
        var warmup = command.AddOption("--warmup", "Steps run before profiling, so that the JIT has compiled the hot code at its final tier.", 30, 0);
        var batchSize = command.AddOption("--batch-size", "Examples per batch.", 128, 1);
        var hidden = command.AddOption("--hidden", "Width of the two hidden layers (784-hidden-hidden-10).", 256, 1);
        command.SetAction(parse =>
        {
            var context = common.Read(parse, streams);
            context.Finish(Run(context, parse.GetValue(steps), parse.GetValue(warmup), parse.GetValue(batchSize), parse.GetValue(hidden)));
        });
        return command;
    }

    public static ProfileResult Run(RunContext context, int steps = 20, int warmup = 30, int batchSize = 128, int hidden = 256)
    {
        int[] sizes = [784, hidden, hidden, 10];
        context.Heading("Profiling a training step", $"MLP {string.Join("-", sizes)}, float32, batch {batchSize}, Adam; {warmup} warm-up steps, then {steps} profiled");
        var model = new Mlp(sizes, context.Seed);
        var optimizer = new Adam<float>(model.Parameters(), new AdamOptions { LearningRate = 1e-3 });
        var inputs = Tensor.Normal<float>([batchSize, sizes[0]], seed: context.Seed + 1);
        var random = new Random((int)(context.Seed % int.MaxValue));
        int[] labels = [.. Enumerable.Range(0, batchSize).Select(_ => random.Next(sizes[^1]))];

        void Step()
        {
            using var arena = TensorArena.Begin();
            optimizer.ZeroGrad();
            Tensor<float> loss;
            using (Profiler.Region("forward"))
            {
                loss = Loss.CrossEntropy(model.Forward(inputs), labels);
            }
            using (Profiler.Region("backward"))
            {
                loss.Backward();
            }
            using (Profiler.Region("optimizer"))
            {
                optimizer.Step();
            }
        }

        // The machine probe runs once per process, on the first start: before the warm-up, so that the garbage its
        // buffers leave is collected before the profiled steps.
        _ = MachineLimits.Measured;
        for (int i = 0; i < warmup; i++)
        {
            Step();
        }
        var profiler = Profiler.Start();
        for (int i = 0; i < steps; i++)
        {
            using var region = Profiler.Region("step");
            Step();
        }
        var report = profiler.Stop();

        var step = report.Regions.Single(region => region.Path == "step");
        double stepSeconds = step.Seconds / steps, opsSeconds = step.OpsSeconds / steps;
        context.Terminal.Write(Table(report, steps));
        context.Say($"Step {Format.Fixed(stepSeconds * 1e3, 3)} ms; ops {Format.Fixed(opsSeconds * 1e3, 3)} ms ({Format.Percent(opsSeconds / stepSeconds)}); " +
                    $"outside ops (the backward pass's walk, the arena, the loop) {Format.Fixed((stepSeconds - opsSeconds) * 1e3, 3)} ms.");
        context.Say("Per step: " + string.Join("; ", report.Regions.Where(region => region.Path.StartsWith("step/", StringComparison.Ordinal)).Select(region =>
            $"{region.Path[5..]} {Format.Fixed(region.Seconds / steps * 1e3, 3)} ms (ops {Format.Fixed(region.OpsSeconds / steps * 1e3, 3)} ms)")) + ".");
        var machine = report.Machine;
        context.Say($"Machine: {machine.Cores} cores, {machine.VectorBits}-bit FMA: peak {Format.Fixed(machine.Float32Gflops, 1)} GFLOP/s float32, " +
                    $"{Format.Fixed(machine.Float64Gflops, 1)} GFLOP/s float64; bandwidth {Format.Fixed(machine.BandwidthGigabytesPerSecond, 1)} GB/s.");

        Directory.CreateDirectory(context.OutputDirectory);
        string tracePath = Path.GetFullPath(Path.Combine(context.OutputDirectory, "profile-trace.json"));
        report.WriteChromeTrace(tracePath);
        string[] pictures = [context.Save(RooflineChart.Create("MLP training step: ops under the roofline", report.Ops, machine), "profile-roofline", 900, 560)];
        context.Say($"Chrome trace (open in https://ui.perfetto.dev or chrome://tracing): {tracePath}");
        context.Pictures(pictures);
        var ops = report.Ops.Select(op => new OpRecord(op.Name, op.Calls / steps, op.ForwardSeconds / steps, op.BackwardSeconds / steps,
            op.Flops / steps, op.Bytes / steps, op.Gflops, op.GigabytesPerSecond, op.PercentOfPeak)).ToArray();
        return new ProfileResult(ops, stepSeconds, opsSeconds, machine.Float32Gflops, machine.BandwidthGigabytesPerSecond, tracePath, steps, warmup, pictures);
    }

    /// <summary>The per-op table, times per step in milliseconds, sorted by total time.</summary>
    private static Table Table(ProfileReport report, int steps)
    {
        var table = new Table().Title($"Per op, per step (mean of {steps})");
        table.AddColumn("op");
        foreach (var heading in new[] { "calls", "fwd ms", "bwd ms", "% step", "GFLOP/s", "GB/s", "bound", "% roof" })
        {
            table.AddColumn(new TableColumn(heading).RightAligned());
        }
        var step = report.Regions.Single(region => region.Path == "step");
        foreach (var op in report.Ops)
        {
            table.AddRow(
                Markup.Escape(op.Name),
                Format.Integer(op.Calls / steps),
                Format.Fixed(op.ForwardSeconds / steps * 1e3, 3),
                Format.Fixed(op.BackwardSeconds / steps * 1e3, 3),
                Format.Fixed(100 * op.TotalSeconds / step.Seconds, 1),
                op.Gflops is { } gflops ? Format.Fixed(gflops, 1) : "-",
                op.GigabytesPerSecond is { } gbps ? Format.Fixed(gbps, 1) : "-",
                op.Bound?.ToString().ToLowerInvariant() ?? "-",
                op.PercentOfPeak is { } percent ? Format.Fixed(percent, 1) : "-");
        }
        table.AddRow("[grey]outside ops[/]", "", "", "", Format.Fixed(100 * (step.Seconds - step.OpsSeconds) / step.Seconds, 1), "", "", "", "");
        return table;
    }
}

/// <summary>One op's figures per step.</summary>
internal sealed record OpRecord(string Name, int Calls, double ForwardSeconds, double BackwardSeconds, long? Flops, long? Bytes, double? Gflops, double? Gbps, double? PercentOfPeak);

internal sealed record ProfileResult(IReadOnlyList<OpRecord> Ops, double StepSeconds, double OpsSeconds, double PeakGflops, double BandwidthGbps, string TracePath,
    int Steps, int Warmup, IReadOnlyList<string> Pictures) : IDemoResult
{
    public string Headline() => $"step {Format.Fixed(StepSeconds * 1e3, 2)} ms, ops {Format.Percent(OpsSeconds / StepSeconds)} of it";
}
