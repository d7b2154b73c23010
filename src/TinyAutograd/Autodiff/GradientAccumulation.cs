using System.Numerics;
using System.Numerics.Tensors;
using TinyAutograd.Kernels;

namespace TinyAutograd.Autodiff;

/// <summary>
/// Adding one more contribution to a gradient accumulated during a backward pass in a single pass over memory, for the
/// ops whose rule is a plain sum, difference or product (no broadcasting to undo). Each result is rounded exactly as
/// the unfused rule followed by the sum would be: the product first, then the addition.
/// </summary>
internal static class GradientAccumulation
{
    /// <summary><paramref name="accumulated"/> itself when <paramref name="inPlace"/>, else a new tensor of its shape.</summary>
    public static Tensor<T> Destination<T>(Tensor<T> accumulated, bool inPlace)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        inPlace ? accumulated : Tensor<T>.Uninitialized(accumulated.Shape);

    /// <summary>accumulated + g·factor, or null when a shape differs (broadcasting to undo).</summary>
    public static Tensor<T>? AddProduct<T>(Tensor<T> accumulated, Tensor<T> g, Tensor<T> factor, bool inPlace)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (g.Shape != accumulated.Shape || factor.Shape != accumulated.Shape)
        {
            return null;
        }
        var result = Destination(accumulated, inPlace);
        if (!inPlace && VectorLoops.Streams<T>(result.Length))
        {
            VectorLoops.MultiplyAdd(g.Data, factor.Data, accumulated.Data, result.Storage);
        }
        else
        {
            TensorPrimitives.MultiplyAdd(g.Data, factor.Data, accumulated.Data, result.Storage);
        }
        return result;
    }

    /// <summary>accumulated + g (or accumulated − g when <paramref name="subtract"/>), or null when the shapes differ.</summary>
    public static Tensor<T>? Add<T>(Tensor<T> accumulated, Tensor<T> g, bool subtract, bool inPlace)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (g.Shape != accumulated.Shape)
        {
            return null;
        }
        var result = Destination(accumulated, inPlace);
        if (subtract)
        {
            TensorPrimitives.Subtract(accumulated.Data, g.Data, result.Storage);
        }
        else
        {
            TensorPrimitives.Add(accumulated.Data, g.Data, result.Storage);
        }
        return result;
    }
}
