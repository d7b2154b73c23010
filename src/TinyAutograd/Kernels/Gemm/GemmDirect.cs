using System.Numerics;
using System.Runtime.CompilerServices;

namespace TinyAutograd.Kernels;

/// <summary>
/// Unpacked triple loop for products too small to repay packing (a few hundred multiply-adds):
/// <c>C[i,j] = Σ_p op(A)[i,p]·op(B)[p,j]</c>, each dot product summed in increasing p, then stored or added to C.
/// </summary>
internal static unsafe class GemmDirect
{
    /// <summary>Largest m·n·k handled here rather than by the blocked driver.</summary>
    public const long MaxWork = 256;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T>(in GemmProblem<T> problem)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = problem.M, n = problem.N, k = problem.K;
        nint aStep = problem.TransposeA ? m : 1;
        nint bStep = problem.TransposeB ? 1 : n;
        for (int i = 0; i < m; i++)
        {
            T* cRow = problem.C + ((nint)i * n);
            T* aRow = problem.AAt(i, 0);
            for (int j = 0; j < n; j++)
            {
                T* aIt = aRow;
                T* bIt = problem.BAt(0, j);
                T sum = T.Zero;
                for (int p = 0; p < k; p++)
                {
                    sum += *aIt * *bIt;
                    aIt += aStep;
                    bIt += bStep;
                }

                cRow[j] = problem.Accumulate ? cRow[j] + sum : sum;
            }
        }
    }
}
