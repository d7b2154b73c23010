using System.Numerics;

namespace TinyAutograd.Kernels;

/// <summary>Row-major C = op(A)·op(B) (temporary naive version).</summary>
public static class Gemm
{
    /// <summary>Threads used for large products.</summary>
    public static int MaxThreads { get; set; } = Environment.ProcessorCount;

    /// <summary>C = op(A)·op(B), or C += op(A)·op(B) when accumulating.</summary>
    public static void Multiply<T>(ReadOnlySpan<T> a, bool transposeA, ReadOnlySpan<T> b, bool transposeB, Span<T> c, int m, int n, int k, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                T sum = T.Zero;
                for (int p = 0; p < k; p++)
                {
                    sum += (transposeA ? a[p * m + i] : a[i * k + p]) * (transposeB ? b[j * k + p] : b[p * n + j]);
                }
                c[i * n + j] = accumulate ? c[i * n + j] + sum : sum;
            }
        }
    }
}
