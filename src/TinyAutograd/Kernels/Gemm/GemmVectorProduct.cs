using System.Numerics;
using System.Runtime.CompilerServices;

namespace TinyAutograd.Kernels;

/// <summary>
/// Matrix-vector shapes (m = 1 or n = 1), where packing and 12-row tiles would waste most of the work. With n = 1,
/// <c>c[i] (+)= Σ_p op(A)[i,p]·b[p]</c>; with m = 1, <c>c[j] (+)= Σ_p a[p]·op(B)[p,j]</c> (the vector operand is
/// contiguous either way). Each output is a SIMD dot product over a contiguous row when the matrix is stored that
/// way, otherwise the matrix is streamed row by row into C with vector multiply-adds.
/// </summary>
internal static unsafe class GemmVectorProduct
{
    /// <summary>Whether this path handles an m×n product of <typeparamref name="T"/>: float or double, with m = 1 or n = 1.</summary>
    public static bool Handles<T>(int m, int n)
        where T : unmanaged
        => (m == 1 || n == 1)
            && (typeof(T) == typeof(float) || typeof(T) == typeof(double))
            && Vector.IsHardwareAccelerated;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T>(in GemmProblem<T> problem)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int k = problem.K;
        if (problem.N == 1)
        {
            // c (length m) = op(A) · b, b = op(B)[:, 0] contiguous.
            int m = problem.M;
            if (!problem.TransposeA)
            {
                DotRows(problem.A, k, problem.B, problem.C, m, k, problem.Accumulate);
            }
            else
            {
                StreamRows(problem.A, m, problem.B, problem.C, m, k, problem.Accumulate);
            }
        }
        else
        {
            // c (length n) = a · op(B), a = op(A)[0, :] contiguous.
            int n = problem.N;
            if (problem.TransposeB)
            {
                DotRows(problem.B, k, problem.A, problem.C, n, k, problem.Accumulate);
            }
            else
            {
                StreamRows(problem.B, n, problem.A, problem.C, n, k, problem.Accumulate);
            }
        }
    }

    /// <summary><c>c[r] (+)= Σ_p rows[r·ld + p]·x[p]</c> for r &lt; count.</summary>
    private static void DotRows<T>(T* rows, nint ld, T* x, T* c, int count, int k, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < count; r++)
        {
            T sum = Dot(rows + (r * ld), x, k);
            c[r] = accumulate ? c[r] + sum : sum;
        }
    }

    /// <summary><c>c[j] (+)= Σ_p x[p]·rows[p·ld + j]</c> for j &lt; count, one matrix row per step.</summary>
    private static void StreamRows<T>(T* rows, nint ld, T* x, T* c, int count, int k, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!accumulate)
        {
            new Span<T>(c, count).Clear();
        }

        int width = Vector<T>.Count;
        for (int p = 0; p < k; p++)
        {
            T* row = rows + (p * ld);
            T scale = x[p];
            var scaleVector = new Vector<T>(scale);
            int j = 0;
            for (; j + width <= count; j += width)
            {
                Vector.Store(Vector.Load(c + j) + (scaleVector * Vector.Load(row + j)), c + j);
            }

            for (; j < count; j++)
            {
                c[j] += scale * row[j];
            }
        }
    }

    /// <summary>Dot product of two contiguous vectors with four independent vector accumulators.</summary>
    private static T Dot<T>(T* x, T* y, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Vector<T>.Count;
        Vector<T> s0 = Vector<T>.Zero, s1 = Vector<T>.Zero, s2 = Vector<T>.Zero, s3 = Vector<T>.Zero;
        int p = 0;
        for (; p + (4 * width) <= k; p += 4 * width)
        {
            s0 += Vector.Load(x + p) * Vector.Load(y + p);
            s1 += Vector.Load(x + p + width) * Vector.Load(y + p + width);
            s2 += Vector.Load(x + p + (2 * width)) * Vector.Load(y + p + (2 * width));
            s3 += Vector.Load(x + p + (3 * width)) * Vector.Load(y + p + (3 * width));
        }

        for (; p + width <= k; p += width)
        {
            s0 += Vector.Load(x + p) * Vector.Load(y + p);
        }

        T sum = Vector.Sum((s0 + s1) + (s2 + s3));
        for (; p < k; p++)
        {
            sum += x[p] * y[p];
        }

        return sum;
    }
}
