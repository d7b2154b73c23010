using TinyAutograd.Optim;
using static TinyAutograd.Tests.Optim.TestProblems;

namespace TinyAutograd.Tests.Optim;

public sealed class GradientClippingTests
{
    [Fact]
    public void ClipByGlobalNorm_ScalesAllGradientsTogether_AndReturnsTheNormBefore()
    {
        var (a, b) = WithGradients([3.0, 4.0], [12.0]);
        double norm = GradientClipping.ClipByGlobalNorm([a, b], 6.5);
        Assert.Equal(13, norm, 14);
        Assert.Equal([1.5, 2.0], a.Grad!.ToArray());
        Assert.Equal([6.0], b.Grad!.ToArray());
        Assert.Equal(6.5, GradientClipping.GlobalNorm([a, b]), 14);
    }

    [Fact]
    public void ClipByGlobalNorm_BelowTheLimit_LeavesGradientsUntouched()
    {
        var (a, b) = WithGradients([3.0, 4.0], [12.0]);
        var before = a.Grad;
        Assert.Equal(13, GradientClipping.ClipByGlobalNorm([a, b], 20), 14);
        Assert.Same(before, a.Grad);
        Assert.Equal([3.0, 4.0], a.Grad!.ToArray());
    }

    [Fact]
    public void ClipByGlobalNorm_ScalesAGradientSharedByTwoParametersOnlyOnce_AndLeavesTheSharedTensorAlone()
    {
        var a = Parameter<double>([0.0, 0.0]);
        var b = Parameter<double>([0.0, 0.0]);
        var shared = Tensor.FromArray([3.0, 4.0]);
        a.Grad = shared;
        b.Grad = shared;
        Assert.Equal(Math.Sqrt(50), GradientClipping.ClipByGlobalNorm([a, b], 1), 14);
        double scale = 1 / Math.Sqrt(50);
        Assert.Equal([3 * scale, 4 * scale], a.Grad!.ToArray());
        Assert.Equal([3 * scale, 4 * scale], b.Grad!.ToArray());
        Assert.Equal([3.0, 4.0], shared.ToArray());
    }

    [Fact]
    public void ClippingALargeGradient_ReachesEveryElementOnce()
    {
        // 200,704 floats: clipped in several calls, each element must still be scaled (or clamped) exactly once.
        var values = Enumerable.Range(0, 784 * 256).Select(i => (float)((i % 13) - 6)).ToArray();
        var scaled = Tensor.Zeros<float>(784, 256).RequireGrad();
        var clamped = Tensor.Zeros<float>(784, 256).RequireGrad();
        scaled.Grad = Tensor.FromArray((float[])values.Clone(), 784, 256);
        clamped.Grad = Tensor.FromArray((float[])values.Clone(), 784, 256);

        double norm = GradientClipping.ClipByGlobalNorm([scaled], 2);
        GradientClipping.ClipByValue([clamped], 2.5);

        Assert.Equal(Math.Sqrt(values.Sum(v => (double)v * v)), norm, 9);
        float scale = (float)(2 / norm);
        var clippedByNorm = scaled.Grad!.ToArray();
        var clippedByValue = clamped.Grad!.ToArray();
        for (int i = 0; i < values.Length; i++)
        {
            Assert.Equal(values[i] * scale, clippedByNorm[i]);
            Assert.Equal(Math.Clamp(values[i], -2.5f, 2.5f), clippedByValue[i]);
        }
    }

    [Fact]
    public void ClipByValue_ClampsEachElement()
    {
        var (a, b) = WithGradients([3.0, -0.5], [-12.0]);
        var none = Parameter<double>([1.0]);
        GradientClipping.ClipByValue([a, b, none], 1);
        Assert.Equal([1.0, -0.5], a.Grad!.ToArray());
        Assert.Equal([-1.0], b.Grad!.ToArray());
        Assert.Null(none.Grad);
    }

    [Fact]
    public void Clipping_RejectsBadLimitsAndNonFiniteGradients()
    {
        var (a, _) = WithGradients([double.PositiveInfinity, 1.0], [1.0]);
        Assert.Throws<ArithmeticException>(() => GradientClipping.ClipByGlobalNorm([a], 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipByGlobalNorm([a], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipByValue([a], double.NaN));
    }

    private static (Tensor<double> A, Tensor<double> B) WithGradients(double[] first, double[] second)
    {
        var a = Parameter<double>(new double[first.Length]);
        var b = Parameter<double>(new double[second.Length]);
        a.Grad = Tensor.FromArray(first);
        b.Grad = Tensor.FromArray(second);
        return (a, b);
    }
}
