using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TinyAutograd.Kernels.Simd;

namespace TinyAutograd.Kernels;

/// <summary>
/// The softmax's Jacobian applied to one row: for weights w = softmax(s) and a vector v over the same entries,
/// J·v = w ⊙ (v − Σⱼ vⱼ·wⱼ) (J is symmetric, so this is both the gradient and the tangent map), optionally scaled.
/// </summary>
internal static class SoftmaxJacobian
{
    /// <summary>
    /// result = scale·((v − Σⱼ vⱼ·wⱼ) ⊙ w), rounded in that order, after one dot product; <paramref name="result"/> may be
    /// <paramref name="v"/> itself.
    /// </summary>
    public static void Row<T>(ReadOnlySpan<T> weights, ReadOnlySpan<T> v, T scale, Span<T> result)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T dot = TensorPrimitives.Dot(v, weights);
        if (Vector512.IsHardwareAccelerated)
        {
            Row<T, Simd512<T>>(weights, v, dot, scale, result);
        }
        else
        {
            Row<T, Simd256<T>>(weights, v, dot, scale, result);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Row<T, TSimd>(ReadOnlySpan<T> weights, ReadOnlySpan<T> v, T dot, T scale, Span<T> result)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSimd : struct, ISimd<TSimd, T>
    {
        var (total, factor) = (TSimd.Create(dot), TSimd.Create(scale));
        ref T w = ref MemoryMarshal.GetReference(weights);
        ref T x = ref MemoryMarshal.GetReference(v);
        ref T target = ref MemoryMarshal.GetReference(result);
        int lanes = TSimd.Count, i = 0;
        for (; i <= v.Length - lanes; i += lanes)
        {
            TSimd.Store((TSimd.Load(ref x, (nuint)i) - total) * TSimd.Load(ref w, (nuint)i) * factor, ref target, (nuint)i);
        }
        for (; i < v.Length; i++)
        {
            result[i] = (v[i] - dot) * weights[i] * scale;
        }
    }
}
