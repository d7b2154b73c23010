using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Autodiff;

/// <summary>
/// createGraph: derivatives of derivatives of simple functions against hand-derived formulas, through both the
/// PyTorch habit (Backward with createGraph, then differentiate .Grad) and AutoDiff.Gradients.
/// </summary>
public sealed class HigherOrderTests
{
    private static readonly double[] Points = [-1.3, -0.4, 0.7, 1.9];

    /// <summary>d²/dx² of Σ f(x) elementwise, by two nested AutoDiff.Gradients calls.</summary>
    private static double[] SecondDerivative(Func<Tensor<double>, Tensor<double>> f, double[] at)
    {
        var x = Tensor.FromArray(at).RequireGrad();
        var first = AutoDiff.Gradients(f(x).Sum(), [x], createGraph: true)[0];
        return AutoDiff.Gradients(first.Sum(), [x])[0].ToArray();
    }

    [Fact]
    public void SecondDerivativesMatchHandDerivedFormulas()
    {
        var positive = Points.Select(Math.Abs).ToArray();
        // (x³)'' = 6x
        Close(SecondDerivative(x => x * x * x, Points), Points.Select(x => 6 * x));
        // (tanh x)'' = −2 tanh x (1 − tanh² x)
        Close(SecondDerivative(x => x.Tanh(), Points), Points.Select(x => -2 * Math.Tanh(x) * (1 - Math.Tanh(x) * Math.Tanh(x))));
        // σ'' = σ(1 − σ)(1 − 2σ)
        Close(SecondDerivative(x => x.Sigmoid(), Points), Points.Select(x => Sigmoid(x) * (1 - Sigmoid(x)) * (1 - 2 * Sigmoid(x))));
        // (eˣ ln x)'' = eˣ ln x + 2eˣ/x − eˣ/x²
        Close(SecondDerivative(x => x.Exp() * x.Log(), positive), positive.Select(x => Math.Exp(x) * (Math.Log(x) + 2 / x - 1 / (x * x))));
        // (1/x)'' = 2/x³
        Close(SecondDerivative(x => x.Reciprocal(), Points), Points.Select(x => 2 / (x * x * x)));
        // (√x)'' = −¼ x^(−3/2)
        Close(SecondDerivative(x => x.Sqrt(), positive), positive.Select(x => -0.25 * Math.Pow(x, -1.5)));
    }

    [Fact]
    public void BackwardWithCreateGraphLetsGradBeDifferentiatedAgain()
    {
        var x = Tensor.FromArray(Points).RequireGrad();
        x.Pow(4.0).Sum().Backward(createGraph: true);
        var firstDerivative = x.Grad!;
        Assert.True(firstDerivative.RequiresGrad);
        Close(firstDerivative.ToArray(), Points.Select(v => 4 * Math.Pow(v, 3)));
        x.Grad = null;
        firstDerivative.Sum().Backward(createGraph: true);
        var secondDerivative = x.Grad!;
        Close(secondDerivative.ToArray(), Points.Select(v => 12 * v * v));
        x.Grad = null;
        secondDerivative.Sum().Backward();
        // (x⁴)''' = 24x
        Close(x.Grad!.ToArray(), Points.Select(v => 24 * v));
    }

    [Fact]
    public void MixedPartialDerivativeMatchesTheFormula()
    {
        // f(x, y) = x²y³: ∂f/∂x = 2xy³, ∂²f/∂y∂x = 6xy².
        var x = Tensor.Scalar(1.5).RequireGrad();
        var y = Tensor.Scalar(-0.5).RequireGrad();
        var f = x.Square() * y.Pow(3.0);
        var dfdx = AutoDiff.Gradients(f, [x], createGraph: true)[0];
        Assert.Equal(2 * 1.5 * -0.125, dfdx.ToScalar(), 1e-15);
        var mixed = AutoDiff.Gradients(dfdx, [x, y]);
        Assert.Equal(2 * -0.125, mixed[0].ToScalar(), 1e-15);
        Assert.Equal(6 * 1.5 * 0.25, mixed[1].ToScalar(), 1e-15);
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    /// <summary>Hand formulas and autodiff agree to rounding: 1e-13 relative to max(1, |value|).</summary>
    private static void Close(double[] actual, IEnumerable<double> expected)
    {
        var values = expected.ToArray();
        ElementwiseComparison.Require("derivative", actual, values, Tolerance.RelativeToLargest(1e-13, values));
    }
}
