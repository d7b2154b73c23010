using System.Numerics;
using System.Numerics.Tensors;

namespace TinyAutograd.Autodiff;

/// <summary>
/// The gradient terms of the sums, differences and products, for <see cref="IPointwiseGradient{T}"/>: each is
/// destination = addend + term, or the term alone when the addend is empty, with the term rounded before the sum.
/// </summary>
internal static class PointwiseGradientTerms
{
    /// <summary>destination = addend + g.</summary>
    public static void Plus<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> addend, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (addend.IsEmpty)
        {
            g.CopyTo(destination);
        }
        else
        {
            TensorPrimitives.Add(addend, g, destination);
        }
    }

    /// <summary>destination = addend − g.</summary>
    public static void Minus<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> addend, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (addend.IsEmpty)
        {
            TensorPrimitives.Negate(g, destination);
        }
        else
        {
            TensorPrimitives.Subtract(addend, g, destination);
        }
    }

    /// <summary>destination = addend + g·factor.</summary>
    public static void Times<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> factor, ReadOnlySpan<T> addend, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (addend.IsEmpty)
        {
            TensorPrimitives.Multiply(g, factor, destination);
        }
        else
        {
            TensorPrimitives.MultiplyAdd(g, factor, addend, destination);
        }
    }
}
