namespace TinyAutograd.Examples.Plotting;

/// <summary>
/// A function of two variables sampled on a rectangular grid, and its iso-lines by marching squares.
/// <c>Values[j, i]</c> is the value at (<c>Xs[i]</c>, <c>Ys[j]</c>).
/// </summary>
internal sealed class ContourGrid
{
    public ContourGrid(IReadOnlyList<double> xs, IReadOnlyList<double> ys, double[,] values)
    {
        if (xs.Count < 2 || ys.Count < 2 || values.GetLength(0) != ys.Count || values.GetLength(1) != xs.Count)
        {
            throw new ArgumentException(
                $"ContourGrid: expected at least 2×2 samples and values of shape [{ys.Count}, {xs.Count}]; got [{values.GetLength(0)}, {values.GetLength(1)}].",
                nameof(values));
        }
        Xs = xs;
        Ys = ys;
        Values = values;
    }

    public IReadOnlyList<double> Xs { get; }

    public IReadOnlyList<double> Ys { get; }

    public double[,] Values { get; }

    /// <summary>
    /// <paramref name="count"/> levels at evenly spaced quantiles of the sampled values, so that the lines spread
    /// evenly over the map whatever the function's range (plateaus and steep walls alike).
    /// </summary>
    public IReadOnlyList<double> QuantileLevels(int count)
    {
        var sorted = Values.Cast<double>().Where(double.IsFinite).Order().ToArray();
        if (sorted.Length == 0)
        {
            return [];
        }
        return Enumerable.Range(0, count)
            .Select(k => sorted[(int)((k + 0.5) / count * (sorted.Length - 1))])
            .Distinct()
            .ToArray();
    }

    /// <summary>The line segments where the sampled function crosses <paramref name="level"/>.</summary>
    /// <remarks>
    /// Each grid cell's edges are cut where the linear interpolation between their corners equals the level. A cell
    /// cut on all four edges (a saddle) is resolved by the mean of its corners: the corners on the other side of the
    /// level from that mean are cut off.
    /// </remarks>
    public IEnumerable<((double X, double Y) From, (double X, double Y) To)> Segments(double level)
    {
        var crossings = new (double X, double Y)[4];
        var corner = new double[4];
        var position = new (double X, double Y)[4];
        var edgeOf = new int[4];
        for (int j = 0; j + 1 < Ys.Count; j++)
        {
            for (int i = 0; i + 1 < Xs.Count; i++)
            {
                // Corners counter-clockwise: 0 (i, j), 1 (i+1, j), 2 (i+1, j+1), 3 (i, j+1); edge e joins corner e and e+1.
                (corner[0], corner[1], corner[2], corner[3]) = (Values[j, i], Values[j, i + 1], Values[j + 1, i + 1], Values[j + 1, i]);
                (position[0], position[1], position[2], position[3]) = ((Xs[i], Ys[j]), (Xs[i + 1], Ys[j]), (Xs[i + 1], Ys[j + 1]), (Xs[i], Ys[j + 1]));
                if (!(double.IsFinite(corner[0]) && double.IsFinite(corner[1]) && double.IsFinite(corner[2]) && double.IsFinite(corner[3])))
                {
                    continue;
                }
                int count = 0;
                for (int edge = 0; edge < 4; edge++)
                {
                    int next = (edge + 1) % 4;
                    bool aboveHere = corner[edge] >= level, aboveNext = corner[next] >= level;
                    if (aboveHere != aboveNext)
                    {
                        double t = (level - corner[edge]) / (corner[next] - corner[edge]);
                        crossings[edge] = (position[edge].X + t * (position[next].X - position[edge].X), position[edge].Y + t * (position[next].Y - position[edge].Y));
                        edgeOf[count++] = edge;
                    }
                }
                if (count == 2)
                {
                    yield return (crossings[edgeOf[0]], crossings[edgeOf[1]]);
                }
                else if (count == 4)
                {
                    bool centreAbove = (corner[0] + corner[1] + corner[2] + corner[3]) / 4 >= level;
                    for (int c = 0; c < 4; c++)
                    {
                        if (corner[c] >= level != centreAbove)
                        {
                            yield return (crossings[(c + 3) % 4], crossings[c]);
                        }
                    }
                }
            }
        }
    }
}
