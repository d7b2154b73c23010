using System.Globalization;
using System.Text.Json.Nodes;

namespace TinyAutograd.Benchmarks.Peer;

/// <summary>Writes one JSON object per line on standard output, like torch_peer.py.</summary>
internal static class JsonLines
{
    public static void Emit(JsonObject record)
    {
        Console.Out.WriteLine(record.ToJsonString());
        Console.Out.Flush();
    }

    /// <summary>Rounds to <paramref name="digits"/> significant digits (the peer's <c>rnd</c>).</summary>
    public static double Round(double value, int digits = 4) =>
        double.Parse(value.ToString("G" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
