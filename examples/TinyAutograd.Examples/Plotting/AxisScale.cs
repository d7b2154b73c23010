namespace TinyAutograd.Examples.Plotting;

/// <summary>A tick mark: where it sits (in data units) and its label.</summary>
internal readonly record struct Tick(double Value, string Label);

/// <summary>A resolved axis: maps data values to pixels and knows its ticks.</summary>
internal sealed class AxisScale(double low, double high, bool logarithmic, double pixelLow, double pixelHigh, IReadOnlyList<Tick> ticks)
{
    public IReadOnlyList<Tick> Ticks { get; } = ticks;

    /// <summary>The lower end in data units.</summary>
    public double Low => logarithmic ? Math.Pow(10, low) : low;

    /// <summary>The upper end in data units.</summary>
    public double High => logarithmic ? Math.Pow(10, high) : high;

    /// <summary>The pixel coordinate of <paramref name="value"/>, or NaN if the scale cannot place it.</summary>
    public double Map(double value)
    {
        double position = logarithmic ? (value > 0 ? Math.Log10(value) : double.NaN) : value;
        return pixelLow + (position - low) / (high - low) * (pixelHigh - pixelLow);
    }
}
