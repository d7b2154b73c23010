using System.Text.Json.Nodes;

namespace TinyAutograd.Benchmarks.Peer;

/// <summary>Builds a workload record in the peer's field order: name, then extra fields, then the timing fields.</summary>
internal static class PeerRecord
{
    public static JsonObject Create(string name, JsonObject timing, params (string Key, JsonNode? Value)[] fields)
    {
        var record = new JsonObject { ["name"] = name };
        foreach (var (key, value) in fields)
        {
            record[key] = value;
        }
        foreach (var (key, value) in timing.ToArray())
        {
            timing.Remove(key);
            record[key] = value;
        }
        return record;
    }

    /// <summary>The median seconds of a timing record.</summary>
    public static double Seconds(JsonObject timing) => (double)timing["median_seconds"]!;
}
