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
/// <remarks>
/// It is formed as w ⊙ (u − Σⱼ uⱼ·wⱼ) with u = v − c, c the entry of v at the heaviest weight: the same in exact
/// arithmetic, since the weights sum to 1 (and their tangents to 0, so c, held constant, changes no derivative either).
/// Without the shift a saturated row (one weight 1 − δ) rounds vₘ − vₘ·wₘ ≈ vₘ·δ with an error of about ε·|vₘ|, a
/// relative error of ε/δ: attention rows whose top two scores were 20 apart (δ ≈ 10⁻⁹) made reverse-over-reverse
/// Hessian-vector products 5.5·10⁻⁸ off in double, and forward-over-reverse 4.5·10⁻⁹ (against a 60-digit reference),
/// where both now agree with it to 10⁻¹³.
/// </remarks>
internal static class SoftmaxJacobian
{
    /// <summary>
    /// result = scale·((u − Σⱼ uⱼ·wⱼ) ⊙ w) with u = v − c (c = <see cref="HeaviestEntry{T}"/>), rounded in that order,
    /// after one dot product; <paramref name="result"/> may be <paramref name="v"/> itself.
    /// </summary>
    public static void Row<T>(ReadOnlySpan<T> weights, ReadOnlySpan<T> v, T scale, Span<T> result)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Subtract(v, HeaviestEntry(weights, v), result);
        T dot = TensorPrimitives.Dot(result, weights);
        if (Vector512.IsHardwareAccelerated)
        {
            Row<T, Simd512<T>>(weights, result, dot, scale, result);
        }
        else
        {
            Row<T, Simd256<T>>(weights, result, dot, scale, result);
        }
    }

    /// <summary>
    /// <see cref="Row{T}"/> over a row's first <paramref name="count"/> entries (its weights are 0 after them, as in a
    /// causal attention row), 0 after them: c, then one sweep for the dot product and one for the result, each with the
    /// last partial vector as one more (<see cref="PrefixTail{T, TSimd}"/>). The same formula, its sums in another
    /// order; <paramref name="result"/> may be <paramref name="v"/> itself.
    /// </summary>
    public static void PrefixRow<T>(ReadOnlySpan<T> weights, ReadOnlySpan<T> v, int count, T scale, Span<T> result)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (weights.Length != v.Length || result.Length != v.Length)
        {
            throw new ArgumentException($"Softmax Jacobian row: weights of {weights.Length}, a vector of {v.Length} and a result of {result.Length} entries.");
        }
        T heaviest = HeaviestEntry(weights[..count], v);
        if (Vector512.IsHardwareAccelerated)
        {
            PrefixRow<T, Simd512<T>>(weights, v, count, heaviest, scale, result);
        }
        else
        {
            PrefixRow<T, Simd256<T>>(weights, v, count, heaviest, scale, result);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PrefixRow<T, TSimd>(ReadOnlySpan<T> weights, ReadOnlySpan<T> v, int count, T heaviest, T scale, Span<T> result)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSimd : struct, ISimd<TSimd, T>
    {
        ref T w = ref MemoryMarshal.GetReference(weights);
        ref T x = ref MemoryMarshal.GetReference(v);
        ref T target = ref MemoryMarshal.GetReference(result);
        var tail = new PrefixTail<T, TSimd>(count, v.Length);
        var (c, factor, sum) = (TSimd.Create(heaviest), TSimd.Create(scale), TSimd.Zero);
        var (tailU, tailW) = tail.Any ? (tail.Load(v) - c, tail.Load(weights)) : (TSimd.Zero, TSimd.Zero);
        for (int i = 0; i < tail.Whole; i += TSimd.Count)
        {
            sum += (TSimd.Load(ref x, (nuint)i) - c) * TSimd.Load(ref w, (nuint)i);
        }
        var dot = TSimd.Create(TSimd.Sum(sum + ((tailU * tailW) & tail.Kept)));
        for (int i = 0; i < tail.Whole; i += TSimd.Count)
        {
            TSimd.Store((TSimd.Load(ref x, (nuint)i) - c - dot) * TSimd.Load(ref w, (nuint)i) * factor, ref target, (nuint)i);
        }
        tail.StoreAndClearRest((tailU - dot) * tailW * factor, result);
    }

    /// <summary>c: the entry of <paramref name="v"/> at the largest of <paramref name="weights"/> (the first, on ties); 0 for an empty row.</summary>
    public static T HeaviestEntry<T>(ReadOnlySpan<T> weights, ReadOnlySpan<T> v)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        weights.IsEmpty ? T.Zero : v[TensorPrimitives.IndexOfMax(weights)];

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
