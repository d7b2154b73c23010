using System.Numerics;
using System.Runtime.InteropServices;
using TinyAutograd.Kernels.Elementwise;
using TinyAutograd.Kernels.Simd;

namespace TinyAutograd.Tests.Kernels;

/// <summary>
/// The vector functions give the same bits at both register widths: the kernels run 512-bit registers on machines with
/// AVX-512 and 256-bit ones elsewhere, so a result must not depend on which. (On a machine without AVX-512 the 512-bit
/// side runs as pairs of 256-bit operations; its lanes still round as the hardware instructions do.)
/// </summary>
public sealed class SimdWidthTests
{
    /// <summary>Values across every function's branches and edges: ±0, ±∞, NaN, tiny and huge magnitudes, erf's cut points.</summary>
    private static T[] Inputs<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = new List<double>
        {
            0, -0.0, double.PositiveInfinity, double.NegativeInfinity, double.NaN, 1e-30, -1e-30, 1e-8, -0.999999, -1, -2,
            0.84375, 1.25, 1 / 0.35, 6, -6, 30, -30, 88.7, -87.3, -103.9, 104, 700, -745, 1e300,
        };
        var random = new Random(7);
        for (int i = 0; i < 509; i++)
        {
            values.Add((random.NextDouble() * 2 - 1) * Math.Pow(10, random.Next(-6, 3)));
        }
        return values.Select(T.CreateTruncating).ToArray();
    }

    /// <summary>Runs <paramref name="function"/> over the inputs one register at a time (the last one zero-padded).</summary>
    private static T[] Apply<T, TSimd>(T[] x, Func<TSimd, TSimd> function)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSimd : struct, ISimd<TSimd, T>
    {
        int lanes = TSimd.Count;
        var padded = new T[(x.Length + lanes - 1) / lanes * lanes];
        x.CopyTo(padded, 0);
        var result = new T[padded.Length];
        for (int i = 0; i < padded.Length; i += lanes)
        {
            TSimd.Store(function(TSimd.Load(ref padded[0], (nuint)i)), ref result[0], (nuint)i);
        }
        return result[..x.Length];
    }

    private static void AssertSameBits<T>(string name, Func<Simd512<T>, Simd512<T>> wide, Func<Simd256<T>, Simd256<T>> narrow)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = Inputs<T>();
        var (a, b) = (Apply<T, Simd512<T>>(x, wide), Apply<T, Simd256<T>>(x, narrow));
        var (wideBits, narrowBits) = (MemoryMarshal.AsBytes(a.AsSpan()).ToArray(), MemoryMarshal.AsBytes(b.AsSpan()).ToArray());
        int size = wideBits.Length / a.Length;
        for (int i = 0; i < x.Length; i++)
        {
            Assert.True(wideBits.AsSpan(i * size, size).SequenceEqual(narrowBits.AsSpan(i * size, size)),
                $"{name}<{typeof(T).Name}>({x[i]}): 512-bit {a[i]}, 256-bit {b[i]}.");
        }
    }

    private static void AssertAllFunctions<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        AssertSameBits<T>("Exp", VectorMath.Exp<T, Simd512<T>>, VectorMath.Exp<T, Simd256<T>>);
        AssertSameBits<T>("Sigmoid", VectorMath.Sigmoid<T, Simd512<T>>, VectorMath.Sigmoid<T, Simd256<T>>);
        AssertSameBits<T>("Log1p", VectorMath.Log1p<T, Simd512<T>>, VectorMath.Log1p<T, Simd256<T>>);
        AssertSameBits<T>("Expm1", VectorMath.Expm1<T, Simd512<T>>, VectorMath.Expm1<T, Simd256<T>>);
        AssertSameBits<T>("Erf", ErrorFunction.Erf<T, Simd512<T>>, ErrorFunction.Erf<T, Simd256<T>>);
        AssertSameBits<T>("NormalCdf", NormalDistribution.Cdf<T, Simd512<T>>, NormalDistribution.Cdf<T, Simd256<T>>);
        AssertSameBits<T>("Sin", Simd512<T>.FrameworkSin, Simd256<T>.FrameworkSin);
        AssertSameBits<T>("Cos", Simd512<T>.FrameworkCos, Simd256<T>.FrameworkCos);
        AssertSameBits<T>("Sqrt", Simd512<T>.Sqrt, Simd256<T>.Sqrt);
    }

    [Fact]
    public void Float_functions_give_the_same_bits_at_both_widths() => AssertAllFunctions<float>();

    [Fact]
    public void Double_functions_give_the_same_bits_at_both_widths() => AssertAllFunctions<double>();
}
