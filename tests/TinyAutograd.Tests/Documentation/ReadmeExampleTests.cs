using TinyAutograd;
using Xunit;

namespace TinyAutograd.Tests.Documentation;

/// <summary>The README's first example, kept compiling and checked against the lecture's hand-derived formulas.</summary>
public sealed class ReadmeExampleTests
{
    private static readonly Tensor<double> X = Tensor.FromArray([0.5, 2.5]);
    private static readonly Tensor<double> Y = Tensor.FromArray([0.2, 0.9]);

    private static Tensor<double> Loss(Tensor<double> w, Tensor<double> b) => ((w * X + b).Sigmoid() - Y).Square().Sum() * 0.5;

    [Fact]
    public void BackwardAndTransformsAgreeWithTheHandDerivedGradient()
    {
        var w = Tensor.Scalar(-2.0).RequireGrad();
        var b = Tensor.Scalar(2.0).RequireGrad();
        Loss(w, b).Backward();
        var (_, grads) = AutoDiff.ValueAndGradients(p => Loss(p[0], p[1]), [Tensor.Scalar(-2.0), Tensor.Scalar(2.0)]);

        double dw = 0, db = 0;
        foreach (var (x, y) in new[] { (0.5, 0.2), (2.5, 0.9) })
        {
            double f = 1 / (1 + Math.Exp(-(-2.0 * x + 2.0)));
            dw += (f - y) * f * (1 - f) * x;
            db += (f - y) * f * (1 - f);
        }
        Assert.Equal(dw, w.Grad!.ToScalar(), 1e-15);
        Assert.Equal(db, b.Grad!.ToScalar(), 1e-15);
        Assert.Equal(dw, grads[0].ToScalar(), 1e-15);
        Assert.Equal(db, grads[1].ToScalar(), 1e-15);
    }
}
