using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace TinyAutograd.Kernels;

/// <summary>
/// An elementwise binary operation over spans, in the three forms a broadcast loop needs: span∘span, span∘scalar and
/// scalar∘span. Implementations are empty structs, so the loops that use them are specialized and inlined per op.
/// </summary>
internal interface IBinaryOperator<T>
    where T : unmanaged
{
    /// <summary>Whether <see cref="Apply(Vector512{T}, Vector512{T})"/> exists, so large outputs can be streamed (<see cref="VectorLoops"/>).</summary>
    static virtual bool HasVectorForm => false;

    /// <summary>The operation on 512-bit vectors, rounding each lane as the span forms do.</summary>
    static virtual Vector512<T> Apply(Vector512<T> x, Vector512<T> y) => throw new NotSupportedException("This operator has no vector form.");

    static abstract void Apply(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination);

    static abstract void Apply(ReadOnlySpan<T> x, T y, Span<T> destination);

    static abstract void Apply(T x, ReadOnlySpan<T> y, Span<T> destination);
}

/// <summary>x + y.</summary>
internal readonly struct AddOperator<T> : IBinaryOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool HasVectorForm => true;

    public static Vector512<T> Apply(Vector512<T> x, Vector512<T> y) => x + y;

    public static void Apply(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Add(x, y, destination);

    public static void Apply(ReadOnlySpan<T> x, T y, Span<T> destination) => TensorPrimitives.Add(x, y, destination);

    public static void Apply(T x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Add(y, x, destination);
}

/// <summary>x − y.</summary>
internal readonly struct SubtractOperator<T> : IBinaryOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool HasVectorForm => true;

    public static Vector512<T> Apply(Vector512<T> x, Vector512<T> y) => x - y;

    public static void Apply(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Subtract(x, y, destination);

    public static void Apply(ReadOnlySpan<T> x, T y, Span<T> destination) => TensorPrimitives.Subtract(x, y, destination);

    public static void Apply(T x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Subtract(x, y, destination);
}

/// <summary>x · y.</summary>
internal readonly struct MultiplyOperator<T> : IBinaryOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool HasVectorForm => true;

    public static Vector512<T> Apply(Vector512<T> x, Vector512<T> y) => x * y;

    public static void Apply(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Multiply(x, y, destination);

    public static void Apply(ReadOnlySpan<T> x, T y, Span<T> destination) => TensorPrimitives.Multiply(x, y, destination);

    public static void Apply(T x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Multiply(y, x, destination);
}

/// <summary>x / y.</summary>
internal readonly struct DivideOperator<T> : IBinaryOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool HasVectorForm => true;

    public static Vector512<T> Apply(Vector512<T> x, Vector512<T> y) => x / y;

    public static void Apply(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Divide(x, y, destination);

    public static void Apply(ReadOnlySpan<T> x, T y, Span<T> destination) => TensorPrimitives.Divide(x, y, destination);

    public static void Apply(T x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Divide(x, y, destination);
}

/// <summary>xʸ.</summary>
internal readonly struct PowOperator<T> : IBinaryOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static void Apply(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Pow(x, y, destination);

    public static void Apply(ReadOnlySpan<T> x, T y, Span<T> destination) => TensorPrimitives.Pow(x, y, destination);

    public static void Apply(T x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Pow(x, y, destination);
}

/// <summary>max(x, y), NaN if either is NaN.</summary>
internal readonly struct MaximumOperator<T> : IBinaryOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static void Apply(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Max(x, y, destination);

    public static void Apply(ReadOnlySpan<T> x, T y, Span<T> destination) => TensorPrimitives.Max(x, y, destination);

    public static void Apply(T x, ReadOnlySpan<T> y, Span<T> destination) => TensorPrimitives.Max(y, x, destination);
}

/// <summary>1 where x &gt; y, ½ where x = y, 0 elsewhere: the share of ∂max(x, y) that goes to x.</summary>
internal readonly struct MaximumShareOperator<T> : IBinaryOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static void Apply(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = Share(x[i], y[i]);
        }
    }

    public static void Apply(ReadOnlySpan<T> x, T y, Span<T> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = Share(x[i], y);
        }
    }

    public static void Apply(T x, ReadOnlySpan<T> y, Span<T> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = Share(x, y[i]);
        }
    }

    private static T Share(T x, T y) => x > y ? T.One : x == y ? T.CreateTruncating(0.5) : T.Zero;
}

/// <summary>1 where x = y, 0 elsewhere.</summary>
internal readonly struct EqualOperator<T> : IBinaryOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static void Apply(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = x[i] == y[i] ? T.One : T.Zero;
        }
    }

    public static void Apply(ReadOnlySpan<T> x, T y, Span<T> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = x[i] == y ? T.One : T.Zero;
        }
    }

    public static void Apply(T x, ReadOnlySpan<T> y, Span<T> destination) => Apply(y, x, destination);
}

/// <summary>1 where x &gt; y, 0 elsewhere (0 where either is NaN).</summary>
internal readonly struct GreaterThanOperator<T> : IBinaryOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static void Apply(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = x[i] > y[i] ? T.One : T.Zero;
        }
    }

    public static void Apply(ReadOnlySpan<T> x, T y, Span<T> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = x[i] > y ? T.One : T.Zero;
        }
    }

    public static void Apply(T x, ReadOnlySpan<T> y, Span<T> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = x > y[i] ? T.One : T.Zero;
        }
    }
}
