namespace TinyAutograd.Tests.Checks;

/// <summary>
/// Hand-made ops with deliberately flawed derivatives, built the way custom gradients usually are (a detached value
/// plus a surrogate term that carries the gradient): the checks must catch them.
/// </summary>
internal static class FlawedOps
{
    /// <summary>x², whose gradient comes out as x instead of 2x: the product rule was forgotten.</summary>
    public static Tensor<double> SquareWithHalfGradient(Tensor<double> x) => x * x.Detach();

    /// <summary>x³/3 with the right gradient x² but a zero second derivative (instead of 2x): the derivative is
    /// attached as a constant, so it cannot be differentiated again.</summary>
    public static Tensor<double> CubeThirdWithFrozenDerivative(Tensor<double> x)
    {
        var frozen = x.Detach();
        return (frozen.Pow(3.0) / 3.0).Detach() + (x - frozen) * frozen.Square();
    }
}
