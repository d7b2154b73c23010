using TinyAutograd.Nn;

namespace TinyAutograd.Tests.Transforms;

/// <summary>
/// The second-order goal's memory half: a forward-over-reverse Hessian-vector product needs at most twice the tensor
/// memory of a plain gradient (<see cref="TensorMemory.Measure"/>), on a small tanh network with a cross-entropy loss,
/// whether buffers are left to the garbage collector or held by a <see cref="TensorArena"/> until the call ends.
/// </summary>
public sealed class HessianVectorProductMemoryTests
{
    private const int BatchSize = 16, Inputs = 64, Hidden = 32, Classes = 4;

    private readonly Tensor<float> _inputs = Tensor.Normal<float>([BatchSize, Inputs], seed: 1);
    private readonly int[] _labels = [.. Enumerable.Range(0, BatchSize).Select(i => i % Classes)];
    private readonly Sequential<float> _model = new(Layer(Inputs, Hidden, 0.125, seed: 2), new Tanh<float>(), Layer(Hidden, Classes, 0.18, seed: 3));
    private readonly Tensor<float>[] _parameters;

    public HessianVectorProductMemoryTests() => _parameters = [.. _model.Parameters()];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TheForwardOverReverseProductNeedsAtMostTwiceTheGradientsPeak(bool inArena)
    {
        var directions = _parameters.Select((p, i) => Tensor.Normal<float>(p.Shape.ToArray(), seed: 10 + (ulong)i)).ToArray();

        var gradient = Measure(() => AutoDiff.ValueAndGradients(Loss, _parameters), inArena);
        var product = Measure(() => AutoDiff.HessianVectorProduct(Loss, _parameters, directions), inArena);

        long lowerBound = _parameters.Sum(p => (long)p.Length * sizeof(float));
        Assert.InRange(gradient.PeakBytes, lowerBound, long.MaxValue);
        Assert.True(product.PeakBytes <= 2 * gradient.PeakBytes,
            $"the Hessian-vector product's peak is {product.PeakBytes} bytes, the gradient's {gradient.PeakBytes} ({(double)product.PeakBytes / gradient.PeakBytes:F2}×)");
    }

    /// <summary>A 64-32-4 tanh network's mean cross-entropy as a function of (W₁, b₁, W₂, b₂), weights stored [out, in].</summary>
    private Tensor<float> Loss(Tensor<float>[] p) =>
        _model.WithParameters(p, () => TinyAutograd.Loss.CrossEntropy(_model.Forward(_inputs), _labels));

    /// <summary>A linear layer with weights from N(0, std²) and zero biases.</summary>
    private static Linear<float> Layer(int inputs, int outputs, double std, ulong seed)
    {
        var layer = new Linear<float>(inputs, outputs, new RandomSource(seed));
        Init.Normal(layer.Weight, 0, std, new RandomSource(seed));
        Init.Constant(layer.Bias!, 0);
        return layer;
    }

    private static TensorMemoryUsage Measure(Action action, bool inArena) => TensorMemory.Measure(() =>
    {
        using (inArena ? TensorArena.Begin() : null)
        {
            action();
        }
    });
}
