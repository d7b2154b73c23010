namespace TinyAutograd.Examples.Models;

/// <summary>
/// A user-written operation: the Swish activation y = x·σ(x), which the library does not have. It shows the three
/// parts of a <see cref="CustomOperation{T}"/>: the value, the reverse-mode rule and the forward-mode rule.
/// </summary>
/// <remarks>
/// dy/dx = σ(x) + x·σ(x)(1 − σ(x)) = σ(x) + y(1 − σ(x)). Both rules are written with tensor operations, so the
/// library can differentiate them again (second derivatives, Hessian-vector products).
/// </remarks>
internal sealed class Swish() : CustomOperation<double>("Swish")
{
    /// <summary>The value only, computed element by element over the raw numbers (recording is off here).</summary>
    protected override Tensor<double> Forward(IReadOnlyList<Tensor<double>> inputs)
    {
        var x = inputs[0].Data;
        var y = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = x[i] / (1 + Math.Exp(-x[i]));
        }
        return Tensor.FromArray(y, inputs[0].Shape.ToArray());
    }

    /// <summary>∂L/∂x = ∂L/∂y · (σ(x) + y(1 − σ(x))).</summary>
    protected override Tensor<double> Backward(int index, IReadOnlyList<Tensor<double>> inputs, Tensor<double> output, Tensor<double> outputGradient) =>
        outputGradient * Slope(inputs[0], output);

    /// <summary>ẏ = (σ(x) + y(1 − σ(x))) · ẋ.</summary>
    protected override Tensor<double> Jvp(int index, IReadOnlyList<Tensor<double>> inputs, Tensor<double> output, Tensor<double> inputTangent) =>
        inputTangent * Slope(inputs[0], output);

    private static Tensor<double> Slope(Tensor<double> x, Tensor<double> y)
    {
        var s = x.Sigmoid();
        return s + y * (1.0 - s);
    }
}
