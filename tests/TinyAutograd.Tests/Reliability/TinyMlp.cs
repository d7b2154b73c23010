namespace TinyAutograd.Tests.Reliability;

/// <summary>
/// A two-layer perceptron (tanh hidden layer) on a fixed regression task, trained by plain gradient descent written
/// here, for the determinism and thread-isolation tests. Everything it does is a function of its seed.
/// </summary>
internal sealed class TinyMlp
{
    private const int Inputs = 24, Hidden = 32, Outputs = 3, Examples = 40;

    private readonly Tensor<double> _x;
    private readonly Tensor<double> _y;

    public TinyMlp(ulong seed)
    {
        var random = new RandomSource(seed);
        Parameters =
        [
            random.Normal<double>([Hidden, Inputs], 0, 1 / Math.Sqrt(Inputs)).RequireGrad(),
            random.Normal<double>([Hidden], 0, 0.1).RequireGrad(),
            random.Normal<double>([Outputs, Hidden], 0, 1 / Math.Sqrt(Hidden)).RequireGrad(),
            random.Normal<double>([Outputs], 0, 0.1).RequireGrad(),
        ];
        _x = random.Uniform<double>([Examples, Inputs], -1, 1);
        using (GradMode.Disable())
        {
            _y = (_x.Slice(1, 0, Outputs) * 3.0).Tanh();
        }
    }

    public Tensor<double>[] Parameters { get; }

    /// <summary>The mean squared error of the network on the task.</summary>
    public Tensor<double> Loss()
    {
        var hidden = (Tensor.MatMul(_x, Parameters[0], transposeRight: true) + Parameters[1]).Tanh();
        var prediction = Tensor.MatMul(hidden, Parameters[2], transposeRight: true) + Parameters[3];
        return TinyAutograd.Loss.SquaredError(prediction, _y);
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
