using System.Globalization;
using System.Text.Json;

namespace TinyAutograd.Profiling;

/// <summary>
/// Writes a <see cref="ProfileReport"/> in Chrome's trace-event format: one complete event ("ph": "X", with "ts" and
/// "dur" in microseconds) per timed interval, and "thread_name" metadata naming each track.
/// </summary>
/// <remarks>
/// Each thread gets up to four tracks (trace "tid"s): forward ops, backward rules, tangents and regions, numbered
/// 4·t + 1 to 4·t + 4 for the thread's index t (in order of thread id), so that Perfetto and chrome://tracing draw the forward and
/// the backward pass of one thread one above the other.
/// </remarks>
internal static class ChromeTrace
{
    private const int TracksPerThread = 4;

    public static void Write(ProfileReport report, Stream stream)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false });
        json.WriteStartObject();
        json.WriteString("displayTimeUnit", "ms");
        json.WriteStartArray("traceEvents");
        var threads = report.Events.Select(e => e.ThreadId).Distinct().Order().ToList();
        foreach (var (thread, kind) in report.Events.Select(e => (e.ThreadId, e.Kind)).Distinct().Order())
        {
            json.WriteStartObject();
            json.WriteString("name", "thread_name");
            json.WriteString("ph", "M");
            json.WriteNumber("pid", 1);
            json.WriteNumber("tid", Track(threads, thread, kind));
            json.WriteStartObject("args");
            json.WriteString("name", string.Create(CultureInfo.InvariantCulture, $"thread {thread} {TrackName(kind)}"));
            json.WriteEndObject();
            json.WriteEndObject();
        }
        foreach (var e in report.Events)
        {
            json.WriteStartObject();
            json.WriteString("name", e.Name);
            json.WriteString("cat", TrackName(e.Kind));
            json.WriteString("ph", "X");
            json.WriteNumber("ts", Math.Round(e.StartSeconds * 1e6, 3));
            json.WriteNumber("dur", Math.Round(e.DurationSeconds * 1e6, 3));
            json.WriteNumber("pid", 1);
            json.WriteNumber("tid", Track(threads, e.ThreadId, e.Kind));
            json.WriteStartObject("args");
            if (e.Region.Length > 0)
            {
                json.WriteString("region", e.Region);
            }
            if (e.ElementType.Length > 0)
            {
                json.WriteString("type", e.ElementType);
            }
            if (e.InputShapes.Count > 0)
            {
                json.WriteString("input_shapes", string.Join(" ", e.InputShapes));
            }
            if (e.Cost is { } cost)
            {
                json.WriteNumber("flops", cost.Flops);
                json.WriteNumber("bytes", cost.Bytes);
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static int Track(List<int> threads, int thread, ProfileEventKind kind) => TracksPerThread * threads.IndexOf(thread) + (int)kind + 1;

    private static string TrackName(ProfileEventKind kind) => kind switch
    {
        ProfileEventKind.Forward => "forward",
        ProfileEventKind.Backward => "backward",
        ProfileEventKind.Jvp => "jvp",
        _ => "regions",
    };
}
