using System.Globalization;

namespace TinyAutograd.Examples.Plotting;

/// <summary>
/// One axis of a plot: its label, linear or logarithmic scale, and an optional fixed range. Without a fixed range
/// it covers the data, rounded out to tick marks.
/// </summary>
internal sealed class Axis
{
    public Axis(string label) => Label = label;

    public string Label { get; set; }

    /// <summary>Whether values are placed by their base-10 logarithm (non-positive values are then left out).</summary>
    public bool Logarithmic { get; set; }

    /// <summary>A fixed lower end, or null to follow the data.</summary>
    public double? Minimum { get; set; }

    /// <summary>A fixed upper end, or null to follow the data.</summary>
    public double? Maximum { get; set; }

    /// <summary>Whether <paramref name="value"/> can be placed on this axis.</summary>
    public bool Accepts(double value) => double.IsFinite(value) && (!Logarithmic || value > 0);

    /// <summary>The scale from data to pixels, given the data's extent and the pixel span.</summary>
    public AxisScale Resolve(double dataLow, double dataHigh, double pixelLow, double pixelHigh)
    {
        if (!(dataLow <= dataHigh))
        {
            (dataLow, dataHigh) = Logarithmic ? (1, 10) : (0, 1);
        }
        double low = Minimum ?? dataLow, high = Maximum ?? dataHigh;
        if (Logarithmic)
        {
            double lowExponent = Math.Log10(low), highExponent = Math.Log10(high);
            if (Minimum is null)
            {
                lowExponent = Math.Floor(lowExponent + 1e-9);
            }
            if (Maximum is null)
            {
                highExponent = Math.Ceiling(highExponent - 1e-9);
            }
            if (highExponent - lowExponent < 1e-9)
            {
                lowExponent -= 0.5;
                highExponent += 0.5;
            }
            return new AxisScale(lowExponent, highExponent, true, pixelLow, pixelHigh, LogTicks(lowExponent, highExponent));
        }
        if (high - low < 1e-12 * Math.Max(1, Math.Abs(high)))
        {
            double pad = Math.Max(Math.Abs(low) * 0.1, 0.5);
            low -= pad;
            high += pad;
        }
        double step = NiceStep((high - low) / 6);
        if (Minimum is null)
        {
            low = Math.Floor(low / step + 1e-9) * step;
        }
        if (Maximum is null)
        {
            high = Math.Ceiling(high / step - 1e-9) * step;
        }
        return new AxisScale(low, high, false, pixelLow, pixelHigh, LinearTicks(low, high, step));
    }

    /// <summary>The step among 1, 2, 2.5 and 5 times a power of ten closest above <paramref name="rough"/>.</summary>
    public static double NiceStep(double rough)
    {
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        foreach (double factor in (ReadOnlySpan<double>)[1, 2, 2.5, 5, 10])
        {
            if (factor * magnitude >= rough * (1 - 1e-9))
            {
                return factor * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static List<Tick> LinearTicks(double low, double high, double step)
    {
        int decimals = Decimals(step);
        var ticks = new List<Tick>();
        for (double k = Math.Ceiling(low / step - 1e-9); k * step <= high + step * 1e-9; k++)
        {
            double value = k * step;
            if (Math.Abs(value) < step * 1e-9)
            {
                value = 0;
            }
            ticks.Add(new Tick(value, value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)));
        }
        return ticks;
    }

    private static List<Tick> LogTicks(double lowExponent, double highExponent)
    {
        var ticks = new List<Tick>();
        bool fewDecades = highExponent - lowExponent <= 2.5;
        ReadOnlySpan<double> mantissas = fewDecades ? [1, 2, 5] : [1];
        int decadeStep = Math.Max(1, (int)Math.Ceiling((highExponent - lowExponent) / 10));
        bool powers = lowExponent < -3 - 1e-9 || highExponent > 4 + 1e-9;
        for (int exponent = (int)Math.Floor(lowExponent); exponent <= (int)Math.Ceiling(highExponent); exponent++)
        {
            if (!fewDecades && exponent % decadeStep != 0)
            {
                continue;
            }
            foreach (double mantissa in mantissas)
            {
                double logValue = exponent + Math.Log10(mantissa);
                if (logValue >= lowExponent - 1e-9 && logValue <= highExponent + 1e-9)
                {
                    ticks.Add(new Tick(Math.Pow(10, logValue), LogLabel(mantissa, exponent, powers)));
                }
            }
        }
        return ticks;
    }

    private static string LogLabel(double mantissa, int exponent, bool powers)
    {
        if (!powers)
        {
            return (mantissa * Math.Pow(10, exponent)).ToString("0.###", CultureInfo.InvariantCulture);
        }
        string power = "10" + Superscript(exponent);
        return mantissa == 1 ? power : mantissa.ToString(CultureInfo.InvariantCulture) + "·" + power;
    }

    private static string Superscript(int exponent)
    {
        const string digits = "⁰¹²³⁴⁵⁶⁷⁸⁹";
        var text = Math.Abs(exponent).ToString(CultureInfo.InvariantCulture);
        return (exponent < 0 ? "⁻" : "") + string.Concat(text.Select(c => digits[c - '0']));
    }

    private static int Decimals(double step)
    {
        for (int decimals = 0; decimals < 10; decimals++)
        {
            double scaled = step * Math.Pow(10, decimals);
            if (Math.Abs(scaled - Math.Round(scaled)) < 1e-6 * Math.Max(1, scaled))
            {
                return decimals;
            }
        }
        return 10;
    }
}
