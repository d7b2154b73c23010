using System.Numerics;

namespace TinyAutograd.Checks;

/// <summary>
/// A derivation to verify for a scalar function of one tensor: f, its hand-derived gradient and, optionally, its
/// hand-derived Hessian or Hessian-vector product, each a function of x alone. Checking compares each hand value with
/// autodiff (finite differences check autodiff), at given points or at seeded random ones; the report names the worst
/// element, where its value was made, and any systematic pattern in the mistakes. For several inputs use
/// <see cref="MultiInputDerivation{T}"/>.
/// </summary>
/// <remarks>
/// A hand value passes when it is within atol + rtol·|autodiff| of autodiff, and autodiff in turn agrees with finite
/// differences (see <see cref="CheckOptions"/>). The Hessian of an x of shape S is taken over x's elements in row-major
/// order (last axis fastest): shape [n, n] with n = |S|, or S ++ S, element (a, b) = ∂²f/∂x[a]∂x[b].
/// </remarks>
/// <example>
/// f(W) = Σ W² for W of shape [3, 2], with ∇f = 2W and ∇²f = 2I over W's six elements:
/// <code>
/// using TinyAutograd;
/// using TinyAutograd.Checks;
///
/// Tensor&lt;double&gt; Loss(Tensor&lt;double&gt; w) =&gt; w.Square().Sum();
/// Tensor&lt;double&gt; HandGradient(Tensor&lt;double&gt; w) =&gt; 2.0 * w;
/// Tensor&lt;double&gt; HandHessian(Tensor&lt;double&gt; w) =&gt; Tensor.FromArray([.. Enumerable.Range(0, 36).Select(i =&gt; i % 7 == 0 ? 2.0 : 0.0)], 6, 6);
///
/// var derivation = new Derivation&lt;double&gt;(Loss, HandGradient, "W") { Hessian = HandHessian };
/// Console.WriteLine(derivation.CheckAtRandomPoints(new Shape(3, 2)));
/// </code>
/// </example>
/// <typeparam name="T">The element type; checks refuse float32 unless <see cref="CheckOptions.AllowSinglePrecision"/>.</typeparam>
public sealed class Derivation<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Func<Tensor<T>, Tensor<T>> _function;
    private readonly Func<Tensor<T>, Tensor<T>> _gradient;
    private readonly string _inputName;

    /// <summary>A derivation for a scalar function of one tensor.</summary>
    /// <param name="function">f(x), returning a single element.</param>
    /// <param name="gradient">The hand-derived gradient ∇f(x), of x's shape.</param>
    /// <param name="inputName">The input's name for the report.</param>
    public Derivation(Func<Tensor<T>, Tensor<T>> function, Func<Tensor<T>, Tensor<T>> gradient, string inputName = "x")
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(gradient);
        ArgumentException.ThrowIfNullOrWhiteSpace(inputName);
        _function = function;
        _gradient = gradient;
        _inputName = inputName;
    }

    /// <summary>The hand-derived Hessian ∇²f(x) over x's elements in row-major order: shape [n, n] with n the number of
    /// elements of x, or x.Shape ++ x.Shape.</summary>
    public Func<Tensor<T>, Tensor<T>>? Hessian { get; init; }

    /// <summary>The hand-derived Hessian-vector product (x, v) ↦ ∇²f(x)·v, of x's shape. It is checked with a seeded
    /// standard normal v at each point.</summary>
    public Func<Tensor<T>, Tensor<T>, Tensor<T>>? HessianVectorProduct { get; init; }

    /// <summary>Checks the derivation at each of the given points.</summary>
    /// <exception cref="ArgumentException">The points differ in shape, a hand function returns the wrong shape, the inputs
    /// are float32 without <see cref="CheckOptions.AllowSinglePrecision"/>, or the options are unusable.</exception>
    /// <exception cref="ArithmeticException">A hand function produced NaN or infinity; the message names the op and the
    /// source line (the hand functions run under <see cref="AnomalyMode"/>).</exception>
    public CheckReport CheckAt(IEnumerable<Tensor<T>> points, CheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(points);
        var list = points.ToList();
        Argument.ThrowIfAnyNull(list, "Derivation.CheckAt", nameof(points));
        return Checker().CheckAt(list.Select(point => new[] { point }), options);
    }

    /// <summary>Checks the derivation at one point.</summary>
    /// <exception cref="ArgumentException">As for <see cref="CheckAt(IEnumerable{Tensor{T}}, CheckOptions?)"/>.</exception>
    public CheckReport CheckAt(Tensor<T> point, CheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(point);
        return CheckAt([point], options);
    }

    /// <summary>Checks the derivation at <paramref name="count"/> points of the given shape drawn uniformly from
    /// [low, high) per element, from the seed <see cref="CheckOptions.Seed"/>.</summary>
    /// <exception cref="ArgumentException">As for <see cref="CheckAt(IEnumerable{Tensor{T}}, CheckOptions?)"/>, or
    /// <paramref name="count"/> is not positive.</exception>
    public CheckReport CheckAtRandomPoints(Shape shape, int count = 5, double low = -1, double high = 1, CheckOptions? options = null) =>
        Checker().CheckAtRandomPoints([shape], count, low, high, options);

    private DerivationChecker<T> Checker()
    {
        var hessian = Hessian;
        var product = HessianVectorProduct;
        return new(
            xs => _function(xs[0]),
            xs => [_gradient(xs[0])],
            hessian is null ? null : xs => hessian(xs[0]),
            product is null ? null : (xs, vs) => [product(xs[0], vs[0])],
            [_inputName]);
    }
}
