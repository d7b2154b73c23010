using System.Numerics;
using System.Numerics.Tensors;

namespace TinyAutograd.Autodiff;

/// <summary>
/// The gradient terms of sums, differences, products and scalar arithmetic, for <see cref="PointwiseNode{T}"/>: each is
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

    /// <summary>destination = addend + g·c, or addend + g / c when <paramref name="divide"/>.</summary>
    public static void Scaled<T>(ReadOnlySpan<T> g, T scalar, bool divide, ReadOnlySpan<T> addend, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!divide)
        {
            if (addend.IsEmpty)
            {
                TensorPrimitives.Multiply(g, scalar, destination);
            }
            else
            {
                TensorPrimitives.MultiplyAdd(g, scalar, addend, destination);
            }
            return;
        }
        if (addend.IsEmpty)
        {
            TensorPrimitives.Divide(g, scalar, destination);
            return;
        }
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var divisor = new Vector<T>(scalar);
            for (; i <= destination.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                (new Vector<T>(addend[i..]) + (new Vector<T>(g[i..]) / divisor)).CopyTo(destination[i..]);
            }
        }
        for (; i < destination.Length; i++)
        {
            destination[i] = addend[i] + (g[i] / scalar);
        }
    }
}
