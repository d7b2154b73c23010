using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>The product of all elements, as a 0-d tensor.</summary>
    /// <remarks>See <see cref="Prod(int[], bool, string?, int)"/> for the gradient and zeros.</remarks>
    public Tensor<T> Prod([CallerFilePath] string? file = null, [CallerLineNumber] int line = 0) => Prod([], false, file, line);

    /// <summary>Multiplies along the given axes (negative axes count from the end; none listed means all). The product of no elements is 1.</summary>
    /// <remarks>
    /// <para>
    /// y = Πᵢ xᵢ over each slice; ∂L/∂xᵢ = ∂L/∂y · Π_{j≠i} xⱼ, and ∂²y/∂xᵢ∂xⱼ = Π_{k∉{i,j}} xₖ for i ≠ j (0 for i = j),
    /// exact at zeros: with one zero only that element has a gradient, and with two or more zeros every gradient is 0
    /// while the second derivative between two zero elements is the product of the others.
    /// </para>
    /// <para>
    /// The product is formed as a balanced tree of elementwise products (the first half of a slice times the second,
    /// until one element is left), so every derivative, of any order, is the product rule of
    /// <see cref="op_Multiply(Tensor{T}, Tensor{T})"/> and never divides by x: the y/xᵢ shortcut fails at zeros, and
    /// special-casing one zero still gets the double backward wrong with two (pytorch/pytorch#106789). JAX forms the
    /// derivatives of its <c>reduce_prod</c> the same way. The tree multiplies in another order than a left-to-right loop,
    /// so the value may differ from one by a few ulps.
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">An axis is out of range.</exception>
    /// <exception cref="ArgumentException">An axis is listed twice.</exception>
    public Tensor<T> Prod(int[] axes, bool keepDims = false, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(axes);
        using var composite = OpCall.Enter(OpCall.At("Prod", file, line));
        var reduction = AxisReduction.Of(Shape, axes, keepDims, "Prod");
        var product = this;
        foreach (int axis in reduction.Axes)
        {
            product = ProductAlong(product, axis);
        }
        // Nothing multiplied (all reduced axes have size 1): still a new tensor, as every reduction gives.
        return (ReferenceEquals(product, this) ? this * 1.0 : product).Reshape(reduction.Output);
    }

    /// <summary>Multiplies along one axis.</summary>
    public Tensor<T> Prod(int axis, bool keepDims = false, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0) => Prod([axis], keepDims, file, line);

    /// <summary>The product along <paramref name="axis"/>, kept with size 1: halves multiplied pairwise until one element is left.</summary>
    private static Tensor<T> ProductAlong(Tensor<T> x, int axis)
    {
        int size = x.Shape[axis];
        if (size == 0)
        {
            return x.Sum(axis, keepDims: true) + 1.0;
        }
        while (size > 1)
        {
            int half = size / 2;
            var pairs = x.Slice(axis, 0, half) * x.Slice(axis, half, half);
            x = size % 2 == 0 ? pairs : Concatenate(axis, pairs, x.Slice(axis, size - 1, 1));
            size = x.Shape[axis];
        }
        return x;
    }
}
