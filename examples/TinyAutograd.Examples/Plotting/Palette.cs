using System.Globalization;

namespace TinyAutograd.Examples.Plotting;

/// <summary>Colours: distinct ones for series, and a light-to-dark ramp for contour levels.</summary>
internal static class Palette
{
    /// <summary>Ten well-separated colours (the familiar "category 10" set), used in order.</summary>
    public static IReadOnlyList<string> Series { get; } =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"];

    /// <summary>The series colour number <paramref name="index"/> (wrapping around).</summary>
    public static string Pick(int index) => Series[index % Series.Count];

    /// <summary>A grey ramp for <paramref name="t"/> in [0, 1]: dark for low values, pale for high ones.</summary>
    public static string Ramp(double t)
    {
        t = Math.Clamp(t, 0, 1);
        (double r, double g, double b) dark = (0x30, 0x30, 0x30), pale = (0xd0, 0xd0, 0xd0);
        int Mix(double from, double to) => (int)Math.Round(from + (to - from) * t);
        return string.Create(CultureInfo.InvariantCulture, $"#{Mix(dark.r, pale.r):x2}{Mix(dark.g, pale.g):x2}{Mix(dark.b, pale.b):x2}");
    }
}
