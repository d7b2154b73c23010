namespace TinyAutograd.Benchmarks.Workloads;

/// <summary>
/// The lectures' toy: one sigmoid neuron f(x) = σ(wx + b) fitted to two points by 1000 epochs of gradient descent
/// (η = 1) on L = ½Σ(f(x) − y)², starting from w = −2, b = 2.
/// </summary>
public static class SigmoidNeuronToy
{
    private static readonly double[] s_x = [0.5, 2.5];
    private static readonly double[] s_y = [0.2, 0.9];

    /// <summary>The number of epochs.</summary>
    public const int Epochs = 1000;

    private const double LearningRate = 1.0;

    /// <summary>Fits with float32 tensors, 0-d w and b, gradients from <see cref="AutoDiff.Gradients{T}"/>, in-place updates.</summary>
    /// <returns>The final w, b and loss.</returns>
    public static (double W, double B, double Loss) FitWithAutodiff()
    {
        var x = Tensor.FromArray(s_x.Select(v => (float)v).ToArray(), s_x.Length);
        var y = Tensor.FromArray(s_y.Select(v => (float)v).ToArray(), s_y.Length);
        var w = Tensor.Scalar(-2f).RequireGrad();
        var b = Tensor.Scalar(2f).RequireGrad();
        Tensor<float>[] parameters = [w, b];
        for (int epoch = 0; epoch < Epochs; epoch++)
        {
            var gradients = AutoDiff.Gradients(LossOf(w, b, x, y), parameters);
            using (GradMode.Disable())
            {
                w.GetSpanForWrite()[0] -= (float)LearningRate * gradients[0].ToScalar();
                b.GetSpanForWrite()[0] -= (float)LearningRate * gradients[1].ToScalar();
            }
        }
        using (GradMode.Disable())
        {
            return (w.ToScalar(), b.ToScalar(), LossOf(w, b, x, y).ToScalar());
        }
    }

    /// <summary>The same fit in plain float64 arithmetic with the hand-derived gradients of the lectures.</summary>
    public static (double W, double B, double Loss) FitByHand()
    {
        double w = -2.0, b = 2.0;
        for (int epoch = 0; epoch < Epochs; epoch++)
        {
            double dw = 0, db = 0;
            for (int i = 0; i < s_x.Length; i++)
            {
                double f = Logistic(w * s_x[i] + b);
                double delta = (f - s_y[i]) * f * (1 - f);
                db += delta;
                dw += delta * s_x[i];
            }
            w -= LearningRate * dw;
            b -= LearningRate * db;
        }
        double loss = 0;
        for (int i = 0; i < s_x.Length; i++)
        {
            double residual = Logistic(w * s_x[i] + b) - s_y[i];
            loss += 0.5 * residual * residual;
        }
        return (w, b, loss);
    }

    private static Tensor<float> LossOf(Tensor<float> w, Tensor<float> b, Tensor<float> x, Tensor<float> y) =>
        (0.5 * ((w * x + b).Sigmoid() - y).Square()).Sum();

    private static double Logistic(double z) => 1.0 / (1.0 + Math.Exp(-z));
}
