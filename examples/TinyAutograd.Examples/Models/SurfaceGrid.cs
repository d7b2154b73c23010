namespace TinyAutograd.Examples.Models;

/// <summary>
/// A function of two variables sampled on a rectangular grid: <c>Values[j, i]</c> is the value at
/// (<c>Xs[i]</c>, <c>Ys[j]</c>), both coordinate lists increasing.
/// </summary>
internal sealed class SurfaceGrid
{
    public SurfaceGrid(IReadOnlyList<double> xs, IReadOnlyList<double> ys, double[,] values)
    {
        if (xs.Count < 2 || ys.Count < 2 || values.GetLength(0) != ys.Count || values.GetLength(1) != xs.Count)
        {
            throw new ArgumentException(
                $"SurfaceGrid: expected at least 2×2 samples and values of shape [{ys.Count}, {xs.Count}]; got [{values.GetLength(0)}, {values.GetLength(1)}].",
                nameof(values));
        }
        Xs = xs;
        Ys = ys;
        Values = values;
    }

    public IReadOnlyList<double> Xs { get; }

    public IReadOnlyList<double> Ys { get; }

    public double[,] Values { get; }

    /// <summary>The number of samples.</summary>
    public int Count => Xs.Count * Ys.Count;

    /// <summary>The sample with the lowest value.</summary>
    public (double X, double Y, double Value) Lowest()
    {
        var best = (X: double.NaN, Y: double.NaN, Value: double.PositiveInfinity);
        for (int j = 0; j < Ys.Count; j++)
        {
            for (int i = 0; i < Xs.Count; i++)
            {
                if (Values[j, i] < best.Value)
                {
                    best = (Xs[i], Ys[j], Values[j, i]);
                }
            }
        }
        return best;
    }
}
