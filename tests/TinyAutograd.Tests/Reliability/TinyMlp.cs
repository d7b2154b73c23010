using TinyAutograd.Nn;

namespace TinyAutograd.Tests.Reliability;

/// <summary>
/// A two-layer perceptron (tanh hidden layer) on a fixed regression task, trained by plain gradient descent written
/// here, for the determinism and thread-isolation tests. Everything it does is a function of its seed.
/// </summary>
internal sealed class TinyMlp
{
    private const int Inputs = 24, Hidden = 32, Outputs = 3, Examples = 40;

    private readonly Sequential<double> _network;
    private readonly Tensor<double> _x;
    private readonly Tensor<double> _y;

    public TinyMlp(ulong seed)
    {
        var random = new RandomSource(seed);
        _network = new Sequential<double>(Layer(Inputs, Hidden, random), new Tanh<double>(), Layer(Hidden, Outputs, random));
        Parameters = [.. _network.Parameters()];
        _x = random.Uniform<double>([Examples, Inputs], -1, 1);
        using (GradMode.Disable())
        {
            _y = (_x.Slice(1, 0, Outputs) * 3.0).Tanh();
        }
    }

    /// <summary>W₁, b₁, W₂, b₂.</summary>
    public Tensor<double>[] Parameters { get; }

    /// <summary>The mean squared error of the network on the task.</summary>
    public Tensor<double> Loss()
    {
        return TinyAutograd.Loss.SquaredError(_network.Forward(_x), _y);
    }

    /// <summary>A linear layer with weights from N(0, 1/in) and biases from N(0, 0.1²).</summary>
    private static Linear<double> Layer(int inputs, int outputs, RandomSource random)
    {
        var layer = new Linear<double>(inputs, outputs, random);
        Init.Normal(layer.Weight, 0, 1 / Math.Sqrt(inputs), random);
        Init.Normal(layer.Bias!, 0, 0.1, random);
        return layer;
    }

    /// <summary>One step of gradient descent: p ← p − η·∂L/∂p, written in place in a no-grad scope.</summary>
    public double Step(double learningRate)
    {
        foreach (var parameter in Parameters)
        {
            parameter.Grad = null;
        }
        var loss = Loss();
        loss.Backward();
        using (GradMode.Disable())
        {
            foreach (var parameter in Parameters)
            {
                var values = parameter.GetSpanForWrite();
                var gradient = parameter.Grad!.Data;
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] -= learningRate * gradient[i];
                }
            }
        }
        return loss.ToScalar();
    }

    /// <summary>Trains for <paramref name="steps"/> steps and returns the bits of every parameter, then of every loss.</summary>
    public static long[] TrainedBits(ulong seed, int steps, bool inArena = false)
    {
        var model = new TinyMlp(seed);
        var losses = new double[steps];
        for (int step = 0; step < steps; step++)
        {
            using var arena = inArena ? TensorArena.Begin() : null;
            losses[step] = model.Step(0.1);
        }
        return [.. model.Parameters.SelectMany(p => p.ToArray()).Concat(losses).Select(BitConverter.DoubleToInt64Bits)];
    }
}
