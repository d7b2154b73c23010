using System.Numerics;
using TinyAutograd.Kernels;

namespace TinyAutograd.Autodiff;

/// <summary>An activation's backward g·φ′ in one pass over memory, alone or added to a gradient accumulated so far.</summary>
internal static class FusedActivationGradient
{
    /// <summary>A new, unrecorded tensor holding rule(g, saved).</summary>
    public static Tensor<T> Compute<T, TRule>(Tensor<T> g, Tensor<T> saved)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TRule : IActivationBackwardRule<T>
    {
        var result = Tensor<T>.Uninitialized(saved.Shape);
        FusedKernels.ActivationBackward<T, TRule>(g.Data, saved.Data, [], result.Storage);
        return result;
    }

    /// <summary>accumulated + rule(g, saved), written into <paramref name="accumulated"/> when <paramref name="inPlace"/>, else into a new tensor.</summary>
    public static Tensor<T> Accumulate<T, TRule>(Tensor<T> g, Tensor<T> saved, Tensor<T> accumulated, bool inPlace)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TRule : IActivationBackwardRule<T>
    {
        var result = GradientAccumulation.Destination(accumulated, inPlace);
        FusedKernels.ActivationBackward<T, TRule>(g.Data, saved.Data, accumulated.Data, result.Storage);
        return result;
    }
}
