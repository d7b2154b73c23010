using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>The variance of all elements with Bessel's correction (divisor n − 1), as a 0-d tensor.</summary>
    /// <remarks>See <see cref="Var(int[], bool, int, string?, int)"/>.</remarks>
    /// <exception cref="ArgumentException">The tensor is empty.</exception>
    public Tensor<T> Var([CallerFilePath] string? file = null, [CallerLineNumber] int line = 0) => Var([], false, 1, file, line);

    /// <summary>The variance along the given axes (none listed means all), with divisor max(0, n − <paramref name="correction"/>).</summary>
    /// <remarks>
    /// y = Σ (x − x̄)² / max(0, n − c) over each slice of n elements, x̄ its mean and c the correction (PyTorch's
    /// semantics: 1 is Bessel's unbiased estimate, 0 the population variance). ∂L/∂xᵢ = 2·g·(xᵢ − x̄) / max(0, n − c)
    /// (the mean's own gradient cancels, as Σ (x − x̄) = 0); it is a composite of Mean, Square and Sum, so it has second
    /// derivatives too. When n ≤ c the divisor is 0, as in PyTorch: a single element with the default correction gives
    /// 0/0 = NaN, and so does its gradient (PyTorch also warns; this library does not); a slice of unequal elements
    /// gives +∞.
    /// </remarks>
    /// <exception cref="ArgumentException">A reduced slice is empty, or an axis is listed twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An axis is out of range, or the correction is negative.</exception>
    public Tensor<T> Var(int[] axes, bool keepDims = false, int correction = 1, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(axes);
        using var composite = OpCall.Enter(OpCall.At("Var", file, line));
        return Variance(axes, keepDims, correction, "Var");
    }

    /// <summary>The variance along one axis, with divisor max(0, n − <paramref name="correction"/>).</summary>
    public Tensor<T> Var(int axis, bool keepDims = false, int correction = 1, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0) =>
        Var([axis], keepDims, correction, file, line);

    /// <summary>The standard deviation of all elements with Bessel's correction, as a 0-d tensor.</summary>
    /// <remarks>See <see cref="Std(int[], bool, int, string?, int)"/>.</remarks>
    /// <exception cref="ArgumentException">The tensor is empty.</exception>
    public Tensor<T> Std([CallerFilePath] string? file = null, [CallerLineNumber] int line = 0) => Std([], false, 1, file, line);

    /// <summary>The standard deviation along the given axes (none listed means all): the square root of <see cref="Var(int[], bool, int, string?, int)"/>.</summary>
    /// <remarks>
    /// y = √(Σ (x − x̄)² / max(0, n − c)); ∂L/∂xᵢ = g·(xᵢ − x̄) / (y·max(0, n − c)). NaN or +∞ when n ≤ c (see Var); at a slice of equal
    /// elements y = 0 and the gradient is 0/0 = NaN (the square root has no derivative at 0).
    /// </remarks>
    /// <exception cref="ArgumentException">A reduced slice is empty, or an axis is listed twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An axis is out of range, or the correction is negative.</exception>
    public Tensor<T> Std(int[] axes, bool keepDims = false, int correction = 1, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(axes);
        using var composite = OpCall.Enter(OpCall.At("Std", file, line));
        return Variance(axes, keepDims, correction, "Std").Sqrt();
    }

    /// <summary>The standard deviation along one axis.</summary>
    public Tensor<T> Std(int axis, bool keepDims = false, int correction = 1, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0) =>
        Std([axis], keepDims, correction, file, line);

    private Tensor<T> Variance(int[] axes, bool keepDims, int correction, string operation)
    {
        if (correction < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(correction),
                $"{operation}: correction {correction} is negative; expected 0 (population variance), 1 (Bessel's correction) or more.");
        }
        var reduction = AxisReduction.Of(Shape, axes, keepDims, operation);
        reduction.RequireNonEmpty(operation);
        var deviation = this - Mean(axes, keepDims: true);
        return deviation.Square().Sum(axes, keepDims) / (double)Math.Max(0, reduction.Count - correction);
    }
}
