using System.Globalization;

namespace TinyAutograd.Examples.Cli;

/// <summary>Number formatting for the terminal, always in the invariant culture.</summary>
internal static class Format
{
    /// <summary>A number with <paramref name="digits"/> significant digits, in scientific notation when very small or large.</summary>
    public static string Number(double value, int digits = 4)
    {
        if (!double.IsFinite(value))
        {
            return value.ToString(CultureInfo.InvariantCulture);
        }
        double magnitude = Math.Abs(value);
        return magnitude != 0 && (magnitude < 1e-3 || magnitude >= 1e6)
            ? value.ToString("0.###e+0", CultureInfo.InvariantCulture)
            : value.ToString("G" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    /// <summary>A number with a fixed count of decimals.</summary>
    public static string Fixed(double value, int decimals) =>
        value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>A fraction as a percentage with one decimal.</summary>
    public static string Percent(double fraction) => Fixed(100 * fraction, 1) + "%";

    /// <summary>A count with its noun, singular or plural: <c>1 epoch</c>, <c>20 epochs</c>.</summary>
    public static string Count(long count, string noun) => Integer(count) + " " + (count == 1 ? noun : noun + "s");

    /// <summary>An integer.</summary>
    public static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);
}
