using System.Numerics;
using System.Numerics.Tensors;
using TinyAutograd.Kernels;

namespace TinyAutograd.Optim;

/// <summary>
/// Gradient clipping, the remedy for "cliffs" in the loss (Pascanu, Mikolov &amp; Bengio 2013): where the loss is very steep, one unclipped gradient step can
/// throw the parameters far out of the basin. Call between <c>Backward</c> and <c>Step</c>.
/// </summary>
/// <remarks>
/// Clipping replaces each affected parameter's <c>Grad</c> with a clipped copy instead of writing into it, so a gradient
/// tensor the caller shares elsewhere (or one recorded for a second derivative) is never changed behind its owner's
/// back. Parameters without a gradient are ignored.
/// </remarks>
public static class GradientClipping
{
    /// <summary>The global gradient norm √(Σ_p ‖g_p‖²) over all parameters that have a gradient.</summary>
    public static double GlobalNorm<T>(IEnumerable<Tensor<T>> parameters)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        double sum = 0;
        foreach (var parameter in parameters)
        {
            if (parameter.Grad is { } gradient)
            {
                sum += double.CreateTruncating(TensorPrimitives.SumOfSquares(gradient.Data));
            }
        }
        return Math.Sqrt(sum);
    }

    /// <summary>
    /// Rescales all gradients together so that their global norm is at most <paramref name="maxNorm"/>:
    /// if ‖g‖ &gt; c then g ← g · c/‖g‖ (the direction is kept). Returns ‖g‖ before clipping.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxNorm"/> is not finite and positive.</exception>
    /// <exception cref="ArithmeticException">The gradient norm is NaN or infinite: clipping cannot repair that.</exception>
    public static double ClipByGlobalNorm<T>(IEnumerable<Tensor<T>> parameters, double maxNorm)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm > 0) || !double.IsFinite(maxNorm))
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, $"ClipByGlobalNorm: maxNorm is {maxNorm}; expected a finite value > 0.");
        }
        var list = parameters as IReadOnlyCollection<Tensor<T>> ?? [.. parameters];
        double norm = GlobalNorm(list);
        if (!double.IsFinite(norm))
        {
            throw new ArithmeticException($"ClipByGlobalNorm: the gradient norm is {norm}; a gradient holds NaN or ∞, which rescaling cannot repair.");
        }
        if (norm > maxNorm)
        {
            var scale = T.CreateTruncating(maxNorm / norm);
            Replace(list, (source, destination) => TensorPrimitives.Multiply(source, scale, destination));
        }
        return norm;
    }

    /// <summary>Clips every gradient element into [−<paramref name="limit"/>, <paramref name="limit"/>] (the direction may change).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is not finite and positive.</exception>
    public static void ClipByValue<T>(IEnumerable<Tensor<T>> parameters, double limit)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(limit > 0) || !double.IsFinite(limit))
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, $"ClipByValue: limit is {limit}; expected a finite value > 0.");
        }
        var high = T.CreateTruncating(limit);
        Replace(parameters, (source, destination) => TensorPrimitives.Clamp(source, -high, high, destination));
    }

    private delegate void Transform<T>(ReadOnlySpan<T> source, Span<T> destination);

    private static void Replace<T>(IEnumerable<Tensor<T>> parameters, Transform<T> transform)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var parameter in parameters)
        {
            if (parameter.Grad is { } gradient)
            {
                var clipped = Tensor<T>.Uninitialized(gradient.Shape);
                ReadOnlySpan<T> values = gradient.Data;
                // In calls TensorPrimitives keeps in the caches, for the optimizer step that reads the clipped gradient.
                foreach (var (start, length) in CachedCalls.Ranges<T>(gradient.Length))
                {
                    transform(values.Slice(start, length), clipped.Storage.AsSpan(start, length));
                }
                parameter.Grad = clipped;
            }
        }
    }
}
