using System.Numerics;

namespace TinyAutograd.Checks;

/// <summary>
/// A derivation to verify for a scalar function of several tensors: f, its hand-derived gradient (one tensor per input)
/// and, optionally, its hand-derived Hessian or Hessian-vector product. Checking compares each hand value with autodiff
/// (finite differences check autodiff), at given points or at seeded random ones; the report names the worst element,
/// where its value was made, and any systematic pattern in the mistakes. For one input, <see cref="Derivation{T}"/>
/// takes functions of a single tensor.
/// </summary>
/// <remarks>
/// A hand value passes when it is within atol + rtol·|autodiff| of autodiff, and autodiff in turn agrees with finite
/// differences (see <see cref="CheckOptions"/>). The Hessian is over all inputs' elements, each input flattened
/// row-major, concatenated in input order.
/// </remarks>
/// <typeparam name="T">The element type; checks refuse float32 unless <see cref="CheckOptions.AllowSinglePrecision"/>.</typeparam>
public sealed class MultiInputDerivation<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Func<Tensor<T>[], Tensor<T>> _function;
    private readonly Func<Tensor<T>[], Tensor<T>[]> _gradient;
    private readonly string[] _inputNames;

    /// <summary>A derivation for a scalar function of several tensors.</summary>
    /// <param name="function">f(x₁, …, xₙ), returning a single element.</param>
    /// <param name="gradient">The hand-derived gradient: one tensor per input, each of its input's shape.</param>
    /// <param name="inputNames">The inputs' names for the report (e.g. <c>"w", "b"</c>); by default each point
    /// tensor's <see cref="Tensor{T}.Name"/>, else x0, x1, ….</param>
    public MultiInputDerivation(Func<Tensor<T>[], Tensor<T>> function, Func<Tensor<T>[], Tensor<T>[]> gradient, params string[] inputNames)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(gradient);
        Argument.ThrowIfAnyNull(inputNames, "MultiInputDerivation");
        _function = function;
        _gradient = gradient;
        _inputNames = inputNames;
    }

    /// <summary>
    /// The hand-derived Hessian over all inputs flattened row-major and concatenated in order (for inputs w and b: rows
    /// and columns w, b), of shape [n, n] with n the total number of elements.
    /// </summary>
    public Func<Tensor<T>[], Tensor<T>>? Hessian { get; init; }

    /// <summary>The hand-derived Hessian-vector product (x, v) ↦ ∇²f(x)·v, given and returned per input. It is checked
    /// with a seeded standard normal v at each point.</summary>
    public Func<Tensor<T>[], Tensor<T>[], Tensor<T>[]>? HessianVectorProduct { get; init; }

    /// <summary>Checks the derivation at each of the given points (each point gives one tensor per input).</summary>
    /// <exception cref="ArgumentException">A point does not fit f, the number of input names differs from the number of
    /// inputs, a hand function returns the wrong number or shapes of tensors, the inputs are float32 without
    /// <see cref="CheckOptions.AllowSinglePrecision"/>, or the options are unusable.</exception>
    /// <exception cref="ArithmeticException">A hand function produced NaN or infinity; the message names the op and
    /// the source line (the hand functions run under <see cref="AnomalyMode"/>).</exception>
    public CheckReport CheckAt(IEnumerable<Tensor<T>[]> points, CheckOptions? options = null) => Checker().CheckAt(points, options);

    /// <summary>Checks the derivation at one point (one tensor per input).</summary>
    /// <exception cref="ArgumentException">As for <see cref="CheckAt(IEnumerable{Tensor{T}[]}, CheckOptions?)"/>.</exception>
    public CheckReport CheckAt(Tensor<T>[] point, CheckOptions? options = null)
    {
        Argument.ThrowIfAnyNull(point, "MultiInputDerivation.CheckAt");
        return CheckAt([point], options);
    }

    /// <summary>
    /// Checks the derivation at <paramref name="count"/> points drawn uniformly from [low, high) per element, with the
    /// given input shapes, from the seed <see cref="CheckOptions.Seed"/>.
    /// </summary>
    /// <exception cref="ArgumentException">As for <see cref="CheckAt(IEnumerable{Tensor{T}[]}, CheckOptions?)"/>, or
    /// <paramref name="count"/> is not positive.</exception>
    public CheckReport CheckAtRandomPoints(Shape[] shapes, int count = 5, double low = -1, double high = 1, CheckOptions? options = null) =>
        Checker().CheckAtRandomPoints(shapes, count, low, high, options);

    private DerivationChecker<T> Checker() => new(_function, _gradient, Hessian, HessianVectorProduct, _inputNames);
}
