using System.Numerics;
using System.Numerics.Tensors;
using TinyAutograd.Differentiation.Elementwise;
using TinyAutograd.Kernels.Elementwise;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Adds a scalar to every element.</summary>
    /// <remarks>y = x + c; ∂L/∂x = ∂L/∂y.</remarks>
    public static Tensor<T> operator +(Tensor<T> x, double scalar) => ElementwiseNode<T, AddScalarRule<T>>.Apply(x, new(Constant(scalar)));

    /// <summary>Adds a scalar to every element.</summary>
    public static Tensor<T> operator +(double scalar, Tensor<T> x) => ElementwiseNode<T, AddScalarRule<T>>.Apply(x, new(Constant(scalar)));

    /// <summary>Subtracts a scalar from every element (exactly x + (−c)).</summary>
    public static Tensor<T> operator -(Tensor<T> x, double scalar) => ElementwiseNode<T, AddScalarRule<T>>.Apply(x, new(-Constant(scalar)));

    /// <summary>Subtracts every element from a scalar (exactly (−x) + c).</summary>
    public static Tensor<T> operator -(double scalar, Tensor<T> x) => ElementwiseNode<T, AddScalarRule<T>>.Apply(-x, new(Constant(scalar)));

    /// <summary>Multiplies every element by a scalar.</summary>
    /// <remarks>y = c·x; ∂L/∂x = c·∂L/∂y.</remarks>
    public static Tensor<T> operator *(Tensor<T> x, double scalar) => ElementwiseNode<T, ScaleRule<T>>.Apply(x, new(Constant(scalar), divide: false));

    /// <summary>Multiplies every element by a scalar.</summary>
    public static Tensor<T> operator *(double scalar, Tensor<T> x) => ElementwiseNode<T, ScaleRule<T>>.Apply(x, new(Constant(scalar), divide: false));

    /// <summary>Divides every element by a scalar (a true division, not a multiplication by 1/c).</summary>
    /// <remarks>y = x / c; ∂L/∂x = ∂L/∂y / c.</remarks>
    public static Tensor<T> operator /(Tensor<T> x, double scalar) => ElementwiseNode<T, ScaleRule<T>>.Apply(x, new(Constant(scalar), divide: true));
}

/// <summary>y = x + c for a constant c; g·f′ = g.</summary>
internal readonly struct AddScalarRule<T>(T scalar) : IElementwiseRule<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public string Name => "AddScalar";

    public Saved Uses => Saved.None;

    public void Forward(ReadOnlySpan<T> x, Span<T> y) => TensorPrimitives.Add(x, scalar, y);

    public TValue Gradient<TValue>(TValue g, TValue x, TValue y)
        where TValue : struct, IElementValue<TValue> => g;
}

/// <summary>y = x·c or y = x / c for a constant c (a true division); g·f′ = g·c or g / c.</summary>
internal readonly struct ScaleRule<T>(T scalar, bool divide) : IElementwiseRule<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public string Name => divide ? "DivideScalar" : "MultiplyScalar";

    public Saved Uses => Saved.None;

    public void Forward(ReadOnlySpan<T> x, Span<T> y)
    {
        if (divide)
        {
            TensorPrimitives.Divide(x, scalar, y);
        }
        else
        {
            TensorPrimitives.Multiply(x, scalar, y);
        }
    }

    public TValue Gradient<TValue>(TValue g, TValue x, TValue y)
        where TValue : struct, IElementValue<TValue>
    {
        var c = TValue.Constant(double.CreateTruncating(scalar));
        return divide ? g / c : g * c;
    }
}
