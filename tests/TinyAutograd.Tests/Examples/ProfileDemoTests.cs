using System.Text.Json;
using TinyAutograd.Tests.Profiling;

namespace TinyAutograd.Tests.Examples;

/// <summary>The <c>profile</c> sub-command: its JSON, its trace file and its roofline picture.</summary>
[Collection(nameof(ProfilerCollection))]
public sealed class ProfileDemoTests
{
    [Fact]
    public void ProfilesTheMlpStepAndWritesTheTraceAndTheRoofline()
    {
        const int batch = 8, hidden = 16;
        var (json, directory) = ExampleRun.Json("profile", "--steps", "2", "--warmup", "1", "--batch-size", "8", "--hidden", "16");

        ExampleRun.HasKeys(json, "ops", "step_seconds", "ops_seconds", "peak_gflops", "bandwidth_gbps", "trace_path", "pictures");
        ExampleRun.HasValidPictures(json, directory);
        var ops = json.GetProperty("ops").EnumerateArray().ToDictionary(op => op.GetProperty("name").GetString()!);
        Assert.All(ops.Values, op => ExampleRun.HasKeys(op, "name", "calls", "forward_seconds", "backward_seconds", "flops", "bytes", "gflops", "gbps", "percent_of_peak"));
        // Three linear layers per step: a product [batch, in]·[out, in]ᵀ plus the bias each. Backward, the cost model
        // charges each input that needs a gradient the forward cost (the weight always, the input for the two layers
        // whose input needs one) and the bias one addition per output.
        long biasAdditions = (long)batch * (hidden + hidden + 10);
        long forward = (2L * batch * (784 * hidden + hidden * hidden + hidden * 10)) + biasAdditions;
        long inputs = (2L * batch * (hidden * hidden + hidden * 10)) + ((long)batch * (hidden + 10));
        long backward = forward + inputs + biasAdditions;
        Assert.Equal(3, ops["Linear"].GetProperty("calls").GetInt32());
        Assert.Equal(forward + backward, ops["Linear"].GetProperty("flops").GetInt64());
        Assert.Contains("CrossEntropy", ops.Keys);
        double stepSeconds = json.GetProperty("step_seconds").GetDouble(), opsSeconds = json.GetProperty("ops_seconds").GetDouble();
        Assert.InRange(opsSeconds, 0, stepSeconds);
        Assert.True(json.GetProperty("peak_gflops").GetDouble() > 0);
        using var trace = JsonDocument.Parse(File.ReadAllBytes(json.GetProperty("trace_path").GetString()!));
        Assert.NotEmpty(trace.RootElement.GetProperty("traceEvents").EnumerateArray());
    }
}
