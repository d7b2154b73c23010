namespace TinyAutograd.Examples.Models;

/// <summary>
/// The classic worked example: one sigmoid neuron f(x) = σ(wx + b) fitted to the two points (0.5, 0.2) and
/// (2.5, 0.9) by the loss L(w, b) = Σᵢ ½(f(xᵢ) − yᵢ)².
/// </summary>
internal static class SigmoidNeuron
{
    /// <summary>The inputs xᵢ.</summary>
    public static IReadOnlyList<double> Xs { get; } = [0.5, 2.5];

    /// <summary>The targets yᵢ.</summary>
    public static IReadOnlyList<double> Ys { get; } = [0.2, 0.9];

    /// <summary>f(x) = σ(wx + b) for every x in <paramref name="x"/>; w and b broadcast against x.</summary>
    public static Tensor<double> Predict(Tensor<double> w, Tensor<double> b, Tensor<double> x) => (w * x + b).Sigmoid();

    /// <summary>
    /// L(w, b) = Σᵢ ½(σ(wxᵢ + b) − yᵢ)² for every (w, b) pair: <paramref name="w"/> and <paramref name="b"/> have the same
    /// shape [n] (n = 1 while training, n = grid size for a contour map), and so has the result.
    /// </summary>
    public static Tensor<double> Loss(Tensor<double> w, Tensor<double> b)
    {
        var x = Tensor.FromArray(Xs.ToArray(), 1, Xs.Count);
        var y = Tensor.FromArray(Ys.ToArray(), 1, Ys.Count);
        var f = Predict(w.Reshape(-1, 1), b.Reshape(-1, 1), x);
        return 0.5 * (f - y).Square().Sum(1);
    }

    /// <summary>L at the single point (w, b), as a scalar tensor.</summary>
    public static Tensor<double> Loss(double w, double b) => Loss(Tensor.FromArray([w], 1), Tensor.FromArray([b], 1)).Sum();

    /// <summary>
    /// The gradient derived by hand: ∂L/∂w = Σ (f − y)·f·(1 − f)·x and ∂L/∂b = Σ (f − y)·f·(1 − f),
    /// written with tensor operations so that it can be checked against the library.
    /// </summary>
    /// <param name="w">w as a [1] tensor.</param>
    /// <param name="b">b as a [1] tensor.</param>
    /// <param name="includeInputFactor">False drops the factor x from ∂L/∂w: the classic slip the derivation check catches.</param>
    /// <returns>[∂L/∂w, ∂L/∂b], each a [1] tensor.</returns>
    public static Tensor<double>[] HandGradient(Tensor<double> w, Tensor<double> b, bool includeInputFactor = true)
    {
        var x = Tensor.FromArray(Xs.ToArray(), Xs.Count);
        var y = Tensor.FromArray(Ys.ToArray(), Ys.Count);
        var f = Predict(w, b, x);
        var delta = (f - y) * f * (1.0 - f);
        var dw = includeInputFactor ? (delta * x).Sum() : delta.Sum();
        return [dw.Reshape(1), delta.Sum().Reshape(1)];
    }
}
