using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TinyAutograd.Kernels.Simd;

namespace TinyAutograd.Kernels;

/// <summary>
/// The row sweeps of the layer normalization node (<c>LayerNormalizeNode</c>), in registers of the machine's native
/// width: per row of n elements, forward z = (x − μ)/s, s = √(Σ(x − μ)²/n + ε), y = z·w + b; backward
/// ∂L/∂x = (v − mean(v) − z·mean(v ⊙ z))/s with v = g ⊙ w (or g without the affine step), the affine parameters'
/// gradients summed row after row.
/// </summary>
/// <remarks>
/// Two passes forward (the sum, then the centered values and their squares) plus one for z and y; two backward. Rows
/// of a transformer's width (128) are short enough that one library call per step and row cost as much as the
/// arithmetic: LayerNorm(128) on [2048, 128] forward and backward made 13 calls per row.
/// </remarks>
internal static class LayerNormRows
{
    /// <summary>z, s per row and, when <paramref name="weight"/> is not empty, y = z·w + b (the product rounded, then the sum).</summary>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, int length, T epsilon, Span<T> z, Span<T> deviations, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Vector512.IsHardwareAccelerated)
        {
            Forward<T, Simd512<T>>(x, weight, bias, length, epsilon, z, deviations, y);
        }
        else
        {
            Forward<T, Simd256<T>>(x, weight, bias, length, epsilon, z, deviations, y);
        }
    }

    /// <summary>
    /// ∂L/∂x per row into <paramref name="input"/>; with a weight, also ∂L/∂w += g ⊙ z and ∂L/∂b += g (both zero on
    /// entry).
    /// </summary>
    public static void Backward<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> weight, ReadOnlySpan<T> z, ReadOnlySpan<T> deviations, Span<T> input, Span<T> weightGradient, Span<T> biasGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Vector512.IsHardwareAccelerated)
        {
            Backward<T, Simd512<T>>(g, weight, z, deviations, input, weightGradient, biasGradient);
        }
        else
        {
            Backward<T, Simd256<T>>(g, weight, z, deviations, input, weightGradient, biasGradient);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Forward<T, TSimd>(ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, int length, T epsilon, Span<T> z, Span<T> deviations, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSimd : struct, ISimd<TSimd, T>
    {
        T count = T.CreateTruncating(length);
        int lanes = TSimd.Count, whole = length - (length % lanes);
        bool affine = !weight.IsEmpty;
        ref T w = ref MemoryMarshal.GetReference(weight);
        ref T b = ref MemoryMarshal.GetReference(bias);
        for (int row = 0; row < deviations.Length; row++)
        {
            ref T xRow = ref MemoryMarshal.GetReference(x.Slice(row * length, length));
            var zRow = z.Slice(row * length, length);
            ref T zStart = ref MemoryMarshal.GetReference(zRow);
            var sum = TSimd.Zero;
            for (int i = 0; i < whole; i += lanes)
            {
                sum += TSimd.Load(ref xRow, (nuint)i);
            }
            T total = TSimd.Sum(sum);
            for (int i = whole; i < length; i++)
            {
                total += Unsafe.Add(ref xRow, i);
            }
            T mean = total / count;
            var (meanLanes, squares) = (TSimd.Create(mean), TSimd.Zero);
            for (int i = 0; i < whole; i += lanes)
            {
                var centered = TSimd.Load(ref xRow, (nuint)i) - meanLanes;
                TSimd.Store(centered, ref zStart, (nuint)i);
                squares = TSimd.FusedMultiplyAdd(centered, centered, squares);
            }
            T squareSum = TSimd.Sum(squares);
            for (int i = whole; i < length; i++)
            {
                T centered = Unsafe.Add(ref xRow, i) - mean;
                zRow[i] = centered;
                squareSum += centered * centered;
            }
            T deviation = T.Sqrt(squareSum / count + epsilon);
            deviations[row] = deviation;
            var deviationLanes = TSimd.Create(deviation);
            ref T yRow = ref affine ? ref MemoryMarshal.GetReference(y.Slice(row * length, length)) : ref zStart;
            for (int i = 0; i < whole; i += lanes)
            {
                var normalized = TSimd.Load(ref zStart, (nuint)i) / deviationLanes;
                TSimd.Store(normalized, ref zStart, (nuint)i);
                if (affine)
                {
                    TSimd.Store(normalized * TSimd.Load(ref w, (nuint)i) + TSimd.Load(ref b, (nuint)i), ref yRow, (nuint)i);
                }
            }
            for (int i = whole; i < length; i++)
            {
                T normalized = zRow[i] / deviation;
                zRow[i] = normalized;
                if (affine)
                {
                    Unsafe.Add(ref yRow, i) = normalized * weight[i] + bias[i];
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Backward<T, TSimd>(ReadOnlySpan<T> g, ReadOnlySpan<T> weight, ReadOnlySpan<T> z, ReadOnlySpan<T> deviations, Span<T> input, Span<T> weightGradient, Span<T> biasGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSimd : struct, ISimd<TSimd, T>
    {
        int length = deviations.IsEmpty ? 0 : g.Length / deviations.Length;
        T count = T.CreateTruncating(length);
        int lanes = TSimd.Count, whole = length - (length % lanes);
        bool affine = !weight.IsEmpty;
        ref T w = ref MemoryMarshal.GetReference(weight);
        ref T dw = ref MemoryMarshal.GetReference(weightGradient);
        ref T db = ref MemoryMarshal.GetReference(biasGradient);
        for (int row = 0; row < deviations.Length; row++)
        {
            ref T gRow = ref MemoryMarshal.GetReference(g.Slice(row * length, length));
            ref T zRow = ref MemoryMarshal.GetReference(z.Slice(row * length, length));
            var target = input.Slice(row * length, length);
            ref T targetStart = ref MemoryMarshal.GetReference(target);
            // v = g ⊙ w is formed in the target (or read from g), with Σv and Σv⊙z.
            ref T v = ref affine ? ref targetStart : ref gRow;
            var (sum, dot) = (TSimd.Zero, TSimd.Zero);
            for (int i = 0; i < whole; i += lanes)
            {
                var gradient = TSimd.Load(ref gRow, (nuint)i);
                var normalized = TSimd.Load(ref zRow, (nuint)i);
                var vLanes = gradient;
                if (affine)
                {
                    TSimd.Store(TSimd.FusedMultiplyAdd(gradient, normalized, TSimd.Load(ref dw, (nuint)i)), ref dw, (nuint)i);
                    TSimd.Store(TSimd.Load(ref db, (nuint)i) + gradient, ref db, (nuint)i);
                    vLanes = gradient * TSimd.Load(ref w, (nuint)i);
                    TSimd.Store(vLanes, ref v, (nuint)i);
                }
                sum += vLanes;
                dot = TSimd.FusedMultiplyAdd(vLanes, normalized, dot);
            }
            var (vSum, vDot) = (TSimd.Sum(sum), TSimd.Sum(dot));
            for (int i = whole; i < length; i++)
            {
                T gradient = Unsafe.Add(ref gRow, i), normalized = Unsafe.Add(ref zRow, i), vValue = gradient;
                if (affine)
                {
                    Unsafe.Add(ref dw, i) = T.FusedMultiplyAdd(gradient, normalized, Unsafe.Add(ref dw, i));
                    Unsafe.Add(ref db, i) += gradient;
                    vValue = gradient * Unsafe.Add(ref w, i);
                    Unsafe.Add(ref v, i) = vValue;
                }
                vSum += vValue;
                vDot = T.FusedMultiplyAdd(vValue, normalized, vDot);
            }
            T mean = vSum / count, projection = -(vDot / count), deviation = deviations[row];
            var (meanLanes, projectionLanes, deviationLanes) = (TSimd.Create(mean), TSimd.Create(projection), TSimd.Create(deviation));
            for (int i = 0; i < whole; i += lanes)
            {
                var centered = TSimd.Load(ref v, (nuint)i) - meanLanes;
                TSimd.Store(TSimd.FusedMultiplyAdd(TSimd.Load(ref zRow, (nuint)i), projectionLanes, centered) / deviationLanes, ref targetStart, (nuint)i);
            }
            for (int i = whole; i < length; i++)
            {
                target[i] = T.FusedMultiplyAdd(Unsafe.Add(ref zRow, i), projection, Unsafe.Add(ref v, i) - mean) / deviation;
            }
        }
    }
}
