using System.Numerics;
using System.Numerics.Tensors;
using TinyAutograd.Kernels;

namespace TinyAutograd.Optim;

/// <summary>Span arithmetic shared by several update rules, each written once.</summary>
internal static class UpdateKernels
{
    /// <summary>The decaying average a ← ρ a + (1 − ρ) x, in place.</summary>
    public static void DecayingAverage<T>(Span<T> average, ReadOnlySpan<T> values, double rho)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Multiply(average, T.CreateTruncating(rho), average);
        TensorPrimitives.MultiplyAdd(values, T.CreateTruncating(1 - rho), average, average);
    }

    /// <summary>The element-wise square x ⊙ x into <paramref name="destination"/>.</summary>
    public static void Square<T>(ReadOnlySpan<T> values, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        TensorPrimitives.Multiply(values, values, destination);

    /// <summary>
    /// AdaGrad's and RMSProp's whole update, range by range (<see cref="CachedCalls.Ranges{T}"/>): r ← r + g ⊙ g when
    /// <paramref name="rho"/> is null (AdaGrad), else r ← ρ r + (1 − ρ) g ⊙ g (RMSProp); then
    /// <see cref="ScaledGradientStep{T}"/>. <paramref name="scratch"/> holds at least one range.
    /// </summary>
    public static void SquaredGradientUpdate<T>(Span<T> parameter, ReadOnlySpan<T> gradient, Span<T> squares, double? rho, double eta, double delta, Span<T> scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var (start, length) in CachedCalls.Ranges<T>(parameter.Length))
        {
            var g = gradient.Slice(start, length);
            var r = squares.Slice(start, length);
            var work = scratch[..length];
            Square(g, work);
            if (rho is { } decay)
            {
                DecayingAverage<T>(r, work, decay);
            }
            else
            {
                TensorPrimitives.Add(r, work, r);
            }
            ScaledGradientStep(parameter.Slice(start, length), g, r, eta, delta, work);
        }
    }

    /// <summary>
    /// The step of AdaGrad and RMSProp: θ ← θ − η/(δ + √r) ⊙ g, with δ added after the square root (as in Duchi et al. 2011 and PyTorch).
    /// </summary>
    private static void ScaledGradientStep<T>(Span<T> parameter, ReadOnlySpan<T> gradient, ReadOnlySpan<T> squares, double eta, double delta, Span<T> scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Sqrt(squares, scratch);
        TensorPrimitives.Add(scratch, T.CreateTruncating(delta), scratch);
        TensorPrimitives.Divide(gradient, scratch, scratch);
        TensorPrimitives.MultiplyAdd(scratch, T.CreateTruncating(-eta), parameter, parameter);
    }
}
