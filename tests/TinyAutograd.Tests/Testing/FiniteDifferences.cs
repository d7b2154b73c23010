namespace TinyAutograd.Tests.Testing;

/// <summary>
/// Derivatives by central finite differences in double precision, refined by one Richardson extrapolation step.
/// </summary>
/// <remarks>
/// <para>
/// The central difference D(h) = (g(h) − g(−h)) / 2h has error c₂h² + c₄h⁴ + …; combining two steps as
/// (4·D(h) − D(2h)) / 3 cancels the h² term, leaving O(h⁴) truncation error (this is the five-point stencil).
/// With h = 10⁻³·max(1, |x|) the truncation error is about 10⁻¹²·|g⁽⁵⁾| and the rounding error about
/// 10⁻¹⁶·|g| / h ≈ 10⁻¹³·|g|, so gradients are good to roughly 10⁻¹⁰ relative for smooth functions of O(1) inputs.
/// </para>
/// <para>
/// The function is evaluated at x ± h and x ± 2h, so inputs must stay at least 2h away from kinks (|x| at 0 for abs and
/// relu, ties for max) and inside the function's domain; the value generators in <see cref="Values"/> guarantee that.
/// </para>
/// </remarks>
public static class FiniteDifferences
{
    /// <summary>The step relative to an element's magnitude: h = RelativeStep·max(1, |x|).</summary>
    public const double RelativeStep = 1e-3;

    /// <summary>The step used along a direction v of unit-order entries: g(t) = f(x + t·v).</summary>
    public const double DirectionalStep = 1e-3;

    /// <summary>d/dt g(t) at t = 0 for a vector-valued g, elementwise, by Richardson-extrapolated central differences with step <paramref name="h"/>.</summary>
    public static double[] Derivative(Func<double, double[]> g, double h)
    {
        var plus1 = g(h);
        var minus1 = g(-h);
        var plus2 = g(2 * h);
        var minus2 = g(-2 * h);
        var derivative = new double[plus1.Length];
        for (int i = 0; i < derivative.Length; i++)
        {
            double d1 = (plus1[i] - minus1[i]) / (2 * h);
            double d2 = (plus2[i] - minus2[i]) / (4 * h);
            derivative[i] = (4 * d1 - d2) / 3;
        }
        return derivative;
    }

    /// <summary>d/dt g(t) at t = 0 for a scalar g.</summary>
    public static double Derivative(Func<double, double> g, double h) => Derivative(t => [g(t)], h)[0];

    /// <summary>
    /// ∂f/∂xᵢⱼ for every element j of every input i of a scalar function of several arrays, perturbing one element at
    /// a time with h = <see cref="RelativeStep"/>·max(1, |xᵢⱼ|).
    /// </summary>
    public static double[][] Gradient(Func<double[][], double> f, double[][] inputs)
    {
        var point = inputs.Select(input => (double[])input.Clone()).ToArray();
        var gradient = new double[inputs.Length][];
        for (int i = 0; i < inputs.Length; i++)
        {
            gradient[i] = new double[inputs[i].Length];
            for (int j = 0; j < inputs[i].Length; j++)
            {
                double origin = inputs[i][j];
                double h = RelativeStep * Math.Max(1, Math.Abs(origin));
                gradient[i][j] = Derivative(t =>
                {
                    point[i][j] = origin + t;
                    double value = f(point);
                    point[i][j] = origin;
                    return value;
                }, h);
            }
        }
        return gradient;
    }

    /// <summary>
    /// The directional derivative d/dt F(x + t·v) at t = 0 of a function of several arrays, elementwise over its
    /// (flattened) output, with step <see cref="DirectionalStep"/>.
    /// </summary>
    public static double[] Directional(Func<double[][], double[]> f, double[][] x, double[][] v) =>
        Derivative(t => f(Shift(x, v, t)), DirectionalStep);

    /// <summary>x + t·v, input by input.</summary>
    public static double[][] Shift(double[][] x, double[][] v, double t)
    {
        var shifted = new double[x.Length][];
        for (int i = 0; i < x.Length; i++)
        {
            shifted[i] = new double[x[i].Length];
            for (int j = 0; j < x[i].Length; j++)
            {
                shifted[i][j] = x[i][j] + t * v[i][j];
            }
        }
        return shifted;
    }
}
