using System.Numerics;
using TinyAutograd.Kernels;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>A delegate that fills a destination span from a source span of the same length.</summary>
    internal delegate void SpanMap(ReadOnlySpan<T> source, Span<T> destination);

    /// <summary>Applies an elementwise kernel to this tensor's values, giving an unrecorded result of the same shape.</summary>
    internal Tensor<T> Map(SpanMap kernel)
    {
        var result = Uninitialized(Shape);
        kernel(Storage, result.Storage);
        return result;
    }

    /// <summary>Applies a binary operator under NumPy broadcasting, giving an unrecorded result.</summary>
    internal static Tensor<T> Broadcasting<TOperator>(Tensor<T> left, Tensor<T> right, string operation)
        where TOperator : IBinaryOperator<T>
    {
        var shape = Shape.Broadcast(left.Shape, right.Shape, operation);
        var result = Uninitialized(shape);
        BroadcastKernel.Apply<T, TOperator>(left.Storage, left.Shape.Dimensions, right.Storage, right.Shape.Dimensions, result.Storage, shape.Dimensions);
        return result;
    }
}
