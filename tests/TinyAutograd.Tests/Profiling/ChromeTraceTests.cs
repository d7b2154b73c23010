using System.Text.Json;
using TinyAutograd.Profiling;

namespace TinyAutograd.Tests.Profiling;

/// <summary>The Chrome trace parses as trace-event JSON, every event complete, forward and backward on tracks of their own.</summary>
[Collection(nameof(ProfilerCollection))]
public sealed class ChromeTraceTests
{
    [Fact]
    public void TheTraceHoldsOneCompleteEventPerIntervalOnNamedTracks()
    {
        var w = Tensor.Normal<float>([8, 8], seed: 1).RequireGrad();
        var report = Profiler.Profile(() =>
        {
            using var region = Profiler.Region("step");
            Loss.CrossEntropy(w.MatMul(w).Tanh(), [1, 2, 3, 4, 5, 6, 7, 0]).Backward();
        });
        using var stream = new MemoryStream();

        report.WriteChromeTrace(stream);

        using var trace = JsonDocument.Parse(stream.ToArray());
        var events = trace.RootElement.GetProperty("traceEvents").EnumerateArray().ToArray();
        var complete = events.Where(e => e.GetProperty("ph").GetString() == "X").ToArray();
        var named = events.Where(e => e.GetProperty("ph").GetString() == "M")
            .ToDictionary(e => e.GetProperty("tid").GetInt32(), e => e.GetProperty("args").GetProperty("name").GetString()!);
        Assert.Equal(report.Events.Count, complete.Length);
        Assert.All(events, e => Assert.Contains(e.GetProperty("ph").GetString(), new[] { "X", "M" }));
        foreach (var e in complete)
        {
            Assert.False(string.IsNullOrEmpty(e.GetProperty("name").GetString()));
            Assert.True(e.GetProperty("ts").GetDouble() >= 0);
            Assert.True(e.GetProperty("dur").GetDouble() >= 0);
            Assert.Equal(1, e.GetProperty("pid").GetInt32());
            Assert.True(named.ContainsKey(e.GetProperty("tid").GetInt32()), $"track {e.GetProperty("tid")} has no thread_name");
        }
        int TrackOf(string category) => complete.First(e => e.GetProperty("cat").GetString() == category).GetProperty("tid").GetInt32();
        Assert.NotEqual(TrackOf("forward"), TrackOf("backward"));
        Assert.EndsWith(" forward", named[TrackOf("forward")], StringComparison.Ordinal);
        Assert.EndsWith(" backward", named[TrackOf("backward")], StringComparison.Ordinal);
        Assert.EndsWith(" regions", named[TrackOf("regions")], StringComparison.Ordinal);
        var matmul = complete.First(e => e.GetProperty("name").GetString() == "MatMul" && e.GetProperty("cat").GetString() == "forward");
        Assert.Equal(2L * 8 * 8 * 8, matmul.GetProperty("args").GetProperty("flops").GetInt64());
        Assert.Equal("[8, 8] [8, 8]", matmul.GetProperty("args").GetProperty("input_shapes").GetString());
    }
}
