using TinyAutograd.Optim;

namespace TinyAutograd.Examples.Models;

/// <summary>
/// A regression problem for comparing ways of feeding data to an optimizer: N points y = 1.5x − 0.5 + ε with
/// x uniform on [−2, 2] and noise ε ~ N(0, 0.5²), fitted by a line ŷ = wx + b with loss L = mean ½(ŷ − y)².
/// </summary>
internal sealed class NoisyLine
{
    private const double Slope = 1.5, Intercept = -0.5, NoiseStd = 0.5;

    public NoisyLine(int count, ulong seed)
    {
        var random = new RandomSource(seed);
        var xs = new double[count];
        var ys = new double[count];
        for (int i = 0; i < count; i++)
        {
            xs[i] = -2 + 4 * random.NextDouble();
            ys[i] = Slope * xs[i] + Intercept + NoiseStd * random.NextNormal();
        }
        Inputs = Tensor.FromArray(xs, count, 1);
        Targets = Tensor.FromArray(ys, count, 1);
        MinimumLoss = Loss(FitExactly());
    }

    /// <summary>The inputs x as an [N, 1] tensor.</summary>
    public Tensor<double> Inputs { get; }

    /// <summary>The targets y as an [N, 1] tensor.</summary>
    public Tensor<double> Targets { get; }

    public int Count => Inputs.Shape[0];

    /// <summary>The least loss any line reaches on all N points, found by Newton-CG (the loss is quadratic, so it converges in a few steps).</summary>
    public double MinimumLoss { get; }

    /// <summary>Fresh parameters (w, b) = (0, 0) as one [2] tensor that requires grad.</summary>
    public static Tensor<double> InitialParameters() => Tensor.Zeros<double>(2).RequireGrad();

    /// <summary>L = mean over the batch of ½(wx + b − y)², for θ = (w, b).</summary>
    public static Tensor<double> Loss(Tensor<double> theta, Tensor<double> inputs, Tensor<double> targets)
    {
        var prediction = inputs * theta.Slice(0, 0, 1) + theta.Slice(0, 1, 1);
        return 0.5 * TinyAutograd.Loss.SquaredError(prediction, targets);
    }

    /// <summary>The loss on all N points, without recording.</summary>
    public double Loss(Tensor<double> theta)
    {
        using var noRecording = GradMode.Disable();
        return Loss(theta, Inputs, Targets).ToScalar();
    }

    private Tensor<double> FitExactly()
    {
        var theta = InitialParameters();
        var newton = new NewtonCG<double>([theta]);
        for (int step = 0; step < 5; step++)
        {
            newton.Step(() =>
            {
                newton.ZeroGrad();
                var loss = Loss(theta, Inputs, Targets);
                loss.Backward();
                return loss;
            });
        }
        return theta;
    }
}
