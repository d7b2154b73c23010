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
    private readonly Tensor<float>[] _parameters =
    [
        Tensor.Normal<float>([Hidden, Inputs], std: 0.125, seed: 2),
        Tensor.Zeros<float>(Hidden),
        Tensor.Normal<float>([Classes, Hidden], std: 0.18, seed: 3),
        Tensor.Zeros<float>(Classes),
    ];

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
    private Tensor<float> Loss(Tensor<float>[] p)
    {
        var hidden = (Tensor.MatMul(_inputs, p[0], transposeRight: true) + p[1]).Tanh();
        return TinyAutograd.Loss.CrossEntropy(Tensor.MatMul(hidden, p[2], transposeRight: true) + p[3], _labels);
    }

    private static TensorMemoryUsage Measure(Action action, bool inArena) => TensorMemory.Measure(() =>
    {
        using (inArena ? TensorArena.Begin() : null)
        {
            action();
        }
    });
}
