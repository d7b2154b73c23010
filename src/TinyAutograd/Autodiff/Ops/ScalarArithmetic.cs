using System.Numerics;
using System.Numerics.Tensors;
using TinyAutograd.Autodiff;
using TinyAutograd.Kernels;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>Adds a scalar to every element.</summary>
    /// <remarks>y = x + c; ∂L/∂x = ∂L/∂y.</remarks>
    public static Tensor<T> operator +(Tensor<T> x, double scalar)
    {
        ArgumentNullException.ThrowIfNull(x);
        return AddScalarNode<T>.Apply(x, Constant(scalar));
    }

    /// <summary>Adds a scalar to every element.</summary>
    public static Tensor<T> operator +(double scalar, Tensor<T> x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return AddScalarNode<T>.Apply(x, Constant(scalar));
    }

    /// <summary>Subtracts a scalar from every element (exactly x + (−c)).</summary>
    public static Tensor<T> operator -(Tensor<T> x, double scalar)
    {
        ArgumentNullException.ThrowIfNull(x);
        return AddScalarNode<T>.Apply(x, -Constant(scalar));
    }

    /// <summary>Subtracts every element from a scalar (exactly (−x) + c).</summary>
    public static Tensor<T> operator -(double scalar, Tensor<T> x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return AddScalarNode<T>.Apply(-x, Constant(scalar));
    }

    /// <summary>Multiplies every element by a scalar.</summary>
    /// <remarks>y = c·x; ∂L/∂x = c·∂L/∂y.</remarks>
    public static Tensor<T> operator *(Tensor<T> x, double scalar)
    {
        ArgumentNullException.ThrowIfNull(x);
        return ScaleNode<T>.Apply(x, Constant(scalar), divide: false);
    }

    /// <summary>Multiplies every element by a scalar.</summary>
    public static Tensor<T> operator *(double scalar, Tensor<T> x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return ScaleNode<T>.Apply(x, Constant(scalar), divide: false);
    }

    /// <summary>Divides every element by a scalar (a true division, not a multiplication by 1/c).</summary>
    /// <remarks>y = x / c; ∂L/∂x = ∂L/∂y / c.</remarks>
    public static Tensor<T> operator /(Tensor<T> x, double scalar)
    {
        ArgumentNullException.ThrowIfNull(x);
        return ScaleNode<T>.Apply(x, Constant(scalar), divide: true);
    }
}

/// <summary>y = x + c for a constant c.</summary>
internal sealed class AddScalarNode<T> : PointwiseNode<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private AddScalarNode(Tensor<T> x)
        : base("AddScalar", x)
    {
    }

    public static Tensor<T> Apply(Tensor<T> x, T scalar)
    {
        var result = Tensor<T>.Uninitialized(x.Shape);
        TensorPrimitives.Add(x.Data, scalar, result.Storage);
        return Graph.Tracks(x) ? Graph.Record(new AddScalarNode<T>(x), result) : result;
    }

    public override Tensor<T> InputGradient(int index, Tensor<T> outputGradient) => outputGradient;

    public override void AddInputGradient(int index, int start, ReadOnlySpan<T> g, ReadOnlySpan<T> addend, Span<T> destination) =>
        PointwiseGradientTerms.Plus(g, addend, destination);

    public override Tensor<T> OutputTangent(int index, Tensor<T> inputTangent) => inputTangent;
}

/// <summary>y = x·c or y = x / c for a constant c.</summary>
internal sealed class ScaleNode<T> : PointwiseNode<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _scalar;
    private readonly bool _divide;

    private ScaleNode(Tensor<T> x, T scalar, bool divide)
        : base(divide ? "DivideScalar" : "MultiplyScalar", x)
    {
        _scalar = scalar;
        _divide = divide;
    }

    public static Tensor<T> Apply(Tensor<T> x, T scalar, bool divide)
    {
        var result = Tensor<T>.Uninitialized(x.Shape);
        if (divide)
        {
            TensorPrimitives.Divide(x.Data, scalar, result.Storage);
        }
        else
        {
            TensorPrimitives.Multiply(x.Data, scalar, result.Storage);
        }
        return Graph.Tracks(x) ? Graph.Record(new ScaleNode<T>(x, scalar, divide), result) : result;
    }

    public override Tensor<T> InputGradient(int index, Tensor<T> outputGradient) => Apply(outputGradient, _scalar, _divide);

    public override void AddInputGradient(int index, int start, ReadOnlySpan<T> g, ReadOnlySpan<T> addend, Span<T> destination) =>
        PointwiseGradientTerms.Scaled(g, _scalar, _divide, addend, destination);

    public override Tensor<T> OutputTangent(int index, Tensor<T> inputTangent) => Apply(inputTangent, _scalar, _divide);
}
