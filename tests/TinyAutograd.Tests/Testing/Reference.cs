namespace TinyAutograd.Tests.Testing;

/// <summary>
/// Naive reference implementations, one element at a time in double, written from the definitions (NumPy broadcasting,
/// reductions over a set of axes) and independent of the library's kernels.
/// </summary>
public static class Reference
{
    /// <summary>The NumPy broadcast of two shapes, from the rule: align right, sizes equal or one of them 1.</summary>
    public static Shape BroadcastShape(Shape a, Shape b)
    {
        int rank = Math.Max(a.Rank, b.Rank);
        var dims = new int[rank];
        for (int i = 1; i <= rank; i++)
        {
            int da = i <= a.Rank ? a.Dimensions[^i] : 1;
            int db = i <= b.Rank ? b.Dimensions[^i] : 1;
            if (da != db && da != 1 && db != 1)
            {
                throw new ArgumentException($"Reference: {a} and {b} do not broadcast.");
            }
            dims[rank - i] = da == 1 ? db : da;
        }
        return new Shape(dims);
    }

    /// <summary>z[i] = op(a[i'], b[i'']) over the broadcast shape.</summary>
    public static Tensor<double> Broadcast(Tensor<double> a, Tensor<double> b, Func<double, double, double> op) =>
        NdIndex.Build(BroadcastShape(a.Shape, b.Shape), index => op(NdIndex.AtBroadcast(a, index), NdIndex.AtBroadcast(b, index)));

    /// <summary>
    /// Combines the elements of each slice over <paramref name="axes"/> (null or empty: all axes; negative axes count
    /// from the end) with <paramref name="combine"/>, keeping reduced axes as size 1 when <paramref name="keepDims"/>.
    /// </summary>
    public static Tensor<double> Reduce(Tensor<double> x, int[]? axes, bool keepDims, Func<IReadOnlyList<double>, double> combine)
    {
        int rank = x.Rank;
        var reduced = new bool[rank];
        foreach (int axis in axes is null || axes.Length == 0 ? Enumerable.Range(0, rank) : axes)
        {
            reduced[axis < 0 ? axis + rank : axis] = true;
        }
        var kept = x.Shape.ToArray().Select((size, axis) => reduced[axis] ? 1 : size).ToArray();
        var slices = new List<double>[new Shape(kept).Length];
        for (int i = 0; i < slices.Length; i++)
        {
            slices[i] = [];
        }
        foreach (var index in NdIndex.All(x.Shape))
        {
            var target = index.Select((coordinate, axis) => reduced[axis] ? 0 : coordinate).ToArray();
            slices[NdIndex.Flatten(new Shape(kept), target)].Add(NdIndex.At(x, index));
        }
        var values = slices.Select(slice => combine(slice)).ToArray();
        var shape = keepDims ? kept : kept.Where((_, axis) => !reduced[axis]).ToArray();
        return NdIndex.TensorOf(new Shape(shape), values);
    }

    /// <summary>
    /// erf(x) from the series (2/√π)·e^(−x²)·Σₙ (2x²)ⁿ·x / (1·3·…·(2n + 1)) (Abramowitz and Stegun 7.1.6), whose terms all
    /// have x's sign: no cancellation. x² is split exactly (hi + lo, with a fused multiply-add) so that e^(−x²) does not
    /// inherit x²'s rounding, an error of x²·2⁻⁵³; what remains is the rounding of ~2x² terms, a few ulps for |x| &lt; 6.
    /// ±1 from |x| = 6 on (erf is 1 there to double precision).
    /// </summary>
    public static double Erf(double x)
    {
        if (Math.Abs(x) >= 6)
        {
            return Math.Sign(x);
        }
        double term = x, sum = x;
        for (int n = 1; Math.Abs(term) > 1e-18 * Math.Abs(sum); n++)
        {
            term *= 2 * x * x / (2 * n + 1);
            sum += term;
        }
        double square = x * x;
        double error = Math.FusedMultiplyAdd(x, x, -square);
        return 2 / Math.Sqrt(Math.PI) * (Math.Exp(-square) * (1 - error)) * sum;
    }

    /// <summary>
    /// Φ(x), the standard normal distribution function: ½(1 + erf(x/√2)) with <see cref="Erf"/> from x = −½ up (Φ is at
    /// least 0.3 there, so the sum loses at most a couple of ulps); below, Φ(x) = φ(u)/(u + 1/(u + 2/(u + 3/(u + …)))) with
    /// u = −x, the continued fraction of Mills' ratio (Abramowitz and Stegun 26.2.14), summed from 4000 terms down (to
    /// an ulp at u = ½, against Φ to 30 digits), and φ(u) = e^(−u²/2)/√(2π) with u² split exactly.
    /// </summary>
    public static double NormalCdf(double x)
    {
        if (x >= -0.5 || double.IsNaN(x))
        {
            return 0.5 * (1 + Erf(x / Math.Sqrt(2)));
        }
        double u = -x, fraction = u;
        for (int n = 4000; n >= 1; n--)
        {
            fraction = u + n / fraction;
        }
        double square = u * u;
        double error = Math.FusedMultiplyAdd(u, u, -square);
        return Math.Exp(-square / 2) * (1 - error / 2) / Math.Sqrt(2 * Math.PI) / fraction;
    }
}
