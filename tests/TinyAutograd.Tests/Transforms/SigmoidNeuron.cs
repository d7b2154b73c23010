namespace TinyAutograd.Tests.Transforms;

/// <summary>
/// The lectures' worked example (SEEDS.md §2): one sigmoid neuron f(x) = σ(wx + b) on the data (0.5, 0.2) and
/// (2.5, 0.9), with loss L(w, b) = Σ ½(f(xᵢ) − yᵢ)², and its derivatives worked out by hand.
/// </summary>
internal static class SigmoidNeuron
{
    public static readonly double[] X = [0.5, 2.5];
    public static readonly double[] Y = [0.2, 0.9];

    /// <summary>L(w, b) with the library, for scalar w and b.</summary>
    public static Tensor<double> Loss(Tensor<double> w, Tensor<double> b)
    {
        var x = Tensor.FromArray(X, 2);
        var y = Tensor.FromArray(Y, 2);
        var residual = (x * w + b).Sigmoid() - y;
        return (0.5 * residual.Square()).Sum();
    }

    /// <summary>
    /// The Hessian by hand. With s = σ(z), s' = s(1 − s), s'' = s'(1 − 2s) and r = s − y:
    /// ∂L/∂z = r·s', ∂²L/∂z² = s'² + r·s'', and z = wx + b, so
    /// [L_ww, L_wb; L_bw, L_bb] = Σ (s'² + r·s'')·[x², x; x, 1].
    /// </summary>
    public static double[,] HandHessian(double w, double b)
    {
        var hessian = new double[2, 2];
        for (int i = 0; i < X.Length; i++)
        {
            double s = 1 / (1 + Math.Exp(-(w * X[i] + b)));
            double slope = s * (1 - s);
            double curvature = slope * (1 - 2 * s);
            double second = slope * slope + (s - Y[i]) * curvature;
            hessian[0, 0] += second * X[i] * X[i];
            hessian[0, 1] += second * X[i];
            hessian[1, 0] += second * X[i];
            hessian[1, 1] += second;
        }
        return hessian;
    }
}
