using System.Numerics;

namespace TinyAutograd.Nn;

/// <summary>
/// Initializers that overwrite a tensor in place with values from an explicit generator (PyTorch's <c>nn.init</c>):
/// the same generator state gives the same values on every machine.
/// </summary>
/// <remarks>
/// <para>
/// For a weight of shape [out, in, k₁, …], fan-in = in·k₁·… and fan-out = out·k₁·…. Kaiming (He et al., 2015,
/// "Delving Deep into Rectifiers"): std = gain/√fan, uniform bound √3·std. Xavier (Glorot and Bengio, 2010):
/// std = gain·√(2/(fan-in + fan-out)), uniform bound √3·std. Orthogonal (Saxe et al., 2014): the Q factor of a
/// Gaussian matrix with the signs of R's diagonal folded in, times the gain.
/// </para>
/// <para>
/// Each method writes through <see cref="Tensor{T}.GetSpanForWrite"/> with recording off and returns the tensor.
/// </para>
/// </remarks>
public static class Init
{
    /// <summary>The recommended gain for <paramref name="nonlinearity"/> (see <see cref="Nonlinearity"/>).</summary>
    /// <param name="nonlinearity">The function after the layer.</param>
    /// <param name="negativeSlope">The leaky ReLU's slope a (used only for <see cref="Nonlinearity.LeakyRelu"/>).</param>
    public static double Gain(Nonlinearity nonlinearity, double negativeSlope = 0.01) => nonlinearity switch
    {
        Nonlinearity.Linear or Nonlinearity.Sigmoid => 1,
        Nonlinearity.Tanh => 5.0 / 3,
        Nonlinearity.Relu => Math.Sqrt(2),
        Nonlinearity.LeakyRelu => Math.Sqrt(2 / (1 + negativeSlope * negativeSlope)),
        Nonlinearity.Selu => 0.75,
        _ => throw new ArgumentOutOfRangeException(nameof(nonlinearity), nonlinearity, "Init.Gain: not a known nonlinearity."),
    };

    /// <summary>The fan-in and fan-out of a weight of shape [out, in, k₁, …].</summary>
    /// <exception cref="ArgumentException">The shape has fewer than two axes.</exception>
    public static (int FanIn, int FanOut) Fans(Shape shape)
    {
        if (shape.Rank < 2)
        {
            throw new ArgumentException($"Init: fan-in and fan-out need a weight of at least two axes [out, in, …]; got shape {shape}.", nameof(shape));
        }
        int receptive = 1;
        for (int axis = 2; axis < shape.Rank; axis++)
        {
            receptive *= shape[axis];
        }
        return (shape[1] * receptive, shape[0] * receptive);
    }

    /// <summary>Values uniform in [low, high).</summary>
    public static Tensor<T> Uniform<T>(Tensor<T> tensor, double low, double high, RandomSource random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(random);
        if (!(low <= high) || !double.IsFinite(low) || !double.IsFinite(high))
        {
            throw new ArgumentException($"Init.Uniform: the bounds [{low}, {high}) must be finite with low ≤ high.", nameof(low));
        }
        return Fill(tensor, () => low + (high - low) * random.NextDouble());
    }

    /// <summary>Values from the normal distribution N(mean, std²).</summary>
    public static Tensor<T> Normal<T>(Tensor<T> tensor, double mean, double std, RandomSource random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(random);
        if (!(std >= 0) || !double.IsFinite(std) || !double.IsFinite(mean))
        {
            throw new ArgumentException($"Init.Normal: mean {mean} and standard deviation {std} must be finite, the deviation non-negative.", nameof(std));
        }
        return Fill(tensor, () => mean + std * random.NextNormal());
    }

    /// <summary>Every element equal to <paramref name="value"/>.</summary>
    public static Tensor<T> Constant<T>(Tensor<T> tensor, double value)
        where T : unmanaged, IFloatingPointIeee754<T> => Fill(tensor, () => value);

    /// <summary>Kaiming (He) uniform: U(−b, b) with b = gain·√(3/fan), gain from <paramref name="nonlinearity"/> and <paramref name="a"/>.</summary>
    /// <param name="tensor">A weight of shape [out, in, …].</param>
    /// <param name="random">The generator.</param>
    /// <param name="a">The leaky ReLU's negative slope (PyTorch's Linear default passes √5).</param>
    /// <param name="mode">Which fan to scale by.</param>
    /// <param name="nonlinearity">The function after the layer.</param>
    public static Tensor<T> KaimingUniform<T>(Tensor<T> tensor, RandomSource random, double a = 0, FanMode mode = FanMode.FanIn, Nonlinearity nonlinearity = Nonlinearity.LeakyRelu)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(random);
        double bound = Math.Sqrt(3) * KaimingStd(tensor, a, mode, nonlinearity);
        return Uniform(tensor, -bound, bound, random);
    }

    /// <summary>Kaiming (He) normal: N(0, std²) with std = gain/√fan.</summary>
    /// <param name="tensor">A weight of shape [out, in, …].</param>
    /// <param name="random">The generator.</param>
    /// <param name="a">The leaky ReLU's negative slope.</param>
    /// <param name="mode">Which fan to scale by.</param>
    /// <param name="nonlinearity">The function after the layer.</param>
    public static Tensor<T> KaimingNormal<T>(Tensor<T> tensor, RandomSource random, double a = 0, FanMode mode = FanMode.FanIn, Nonlinearity nonlinearity = Nonlinearity.LeakyRelu)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(random);
        return Normal(tensor, 0, KaimingStd(tensor, a, mode, nonlinearity), random);
    }

    /// <summary>Xavier (Glorot) uniform: U(−b, b) with b = gain·√(6/(fan-in + fan-out)).</summary>
    public static Tensor<T> XavierUniform<T>(Tensor<T> tensor, RandomSource random, double gain = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(random);
        double bound = Math.Sqrt(3) * XavierStd(tensor, gain);
        return Uniform(tensor, -bound, bound, random);
    }

    /// <summary>Xavier (Glorot) normal: N(0, std²) with std = gain·√(2/(fan-in + fan-out)).</summary>
    public static Tensor<T> XavierNormal<T>(Tensor<T> tensor, RandomSource random, double gain = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(random);
        return Normal(tensor, 0, XavierStd(tensor, gain), random);
    }

    /// <summary>
    /// A (semi-)orthogonal matrix times <paramref name="gain"/>: viewed as [rows = size(0), columns = the rest], the
    /// rows are orthonormal when rows ≤ columns, else the columns are.
    /// </summary>
    /// <remarks>
    /// A Gaussian matrix (transposed to be tall) is orthonormalized column by column by modified Gram–Schmidt, applied
    /// twice for accuracy: this is the Q of its QR factorization with R's diagonal made positive, the sign correction
    /// that makes Q uniformly (Haar) distributed.
    /// </remarks>
    /// <exception cref="ArgumentException">The tensor has fewer than two axes.</exception>
    public static Tensor<T> Orthogonal<T>(Tensor<T> tensor, RandomSource random, double gain = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(random);
        if (tensor.Rank < 2)
        {
            throw new ArgumentException($"Init.Orthogonal: needs a tensor of at least two axes; got shape {tensor.Shape}.", nameof(tensor));
        }
        int rows = tensor.Shape[0], columns = tensor.Length / Math.Max(rows, 1);
        int tall = Math.Max(rows, columns), wide = Math.Min(rows, columns);
        var q = new double[tall, wide];
        for (int i = 0; i < tall; i++)
        {
            for (int j = 0; j < wide; j++)
            {
                q[i, j] = random.NextNormal();
            }
        }
        Orthonormalize(q);
        Orthonormalize(q);
        var values = new double[tensor.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                values[r * columns + c] = gain * (rows >= columns ? q[r, c] : q[c, r]);
            }
        }
        int next = 0;
        return Fill(tensor, () => values[next++]);
    }

    /// <summary>Modified Gram–Schmidt on the columns of a tall matrix, in place.</summary>
    private static void Orthonormalize(double[,] q)
    {
        int rows = q.GetLength(0), columns = q.GetLength(1);
        for (int j = 0; j < columns; j++)
        {
            for (int k = 0; k < j; k++)
            {
                double dot = 0;
                for (int i = 0; i < rows; i++)
                {
                    dot += q[i, k] * q[i, j];
                }
                for (int i = 0; i < rows; i++)
                {
                    q[i, j] -= dot * q[i, k];
                }
            }
            double norm = 0;
            for (int i = 0; i < rows; i++)
            {
                norm += q[i, j] * q[i, j];
            }
            norm = Math.Sqrt(norm);
            for (int i = 0; i < rows; i++)
            {
                q[i, j] /= norm;
            }
        }
    }

    private static double KaimingStd<T>(Tensor<T> tensor, double a, FanMode mode, Nonlinearity nonlinearity)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var (fanIn, fanOut) = Fans(tensor.Shape);
        int fan = mode == FanMode.FanIn ? fanIn : fanOut;
        if (fan == 0)
        {
            throw new ArgumentException($"Init.Kaiming: the {mode} of shape {tensor.Shape} is 0.", nameof(tensor));
        }
        return Gain(nonlinearity, a) / Math.Sqrt(fan);
    }

    private static double XavierStd<T>(Tensor<T> tensor, double gain)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var (fanIn, fanOut) = Fans(tensor.Shape);
        if (fanIn + fanOut == 0)
        {
            throw new ArgumentException($"Init.Xavier: fan-in + fan-out of shape {tensor.Shape} is 0.", nameof(tensor));
        }
        return gain * Math.Sqrt(2.0 / (fanIn + fanOut));
    }

    private static Tensor<T> Fill<T>(Tensor<T> tensor, Func<double> next)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using (GradMode.Disable())
        {
            var values = tensor.GetSpanForWrite();
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = T.CreateTruncating(next());
            }
        }
        return tensor;
    }
}
