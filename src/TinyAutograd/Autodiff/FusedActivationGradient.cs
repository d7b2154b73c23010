using System.Numerics;
using TinyAutograd.Kernels;

namespace TinyAutograd.Autodiff;

/// <summary>An activation's backward g·φ′ in one pass over memory, as a new tensor.</summary>
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
}
