using System.Numerics;
using System.Runtime.CompilerServices;

namespace TinyAutograd.Kernels;

/// <summary>
/// GotoBLAS/BLIS blocked product over a rectangular region of C. Loop nest, outermost first, as in BLIS:
/// column blocks of <c>Nc</c> → depth blocks of <c>Kc</c> (pack op(B) block) → row blocks of <c>Mc</c> (pack op(A)
/// block) → B micro-panels of <c>Nr</c> columns → A micro-panels of <c>Mr</c> rows → micro-kernel; the block sizes
/// come from the machine's caches (<see cref="GemmBlocking"/>). The packed B micro-panel stays in L1 while the A
/// micro-panels stream from the L2-resident A block; the B block waits in the last cache level. Each operand is packed
/// once per depth block when op(B) fits one column block, as it usually does.
/// </summary>
/// <typeparam name="T">Element type.</typeparam>
/// <typeparam name="TKernel">Micro-kernel and its blocking.</typeparam>
internal static unsafe class GemmDriver<T, TKernel>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TKernel : IGemmMicroKernel<T>
{
    /// <summary>
    /// Computes rows [<paramref name="row0"/>, <paramref name="row1"/>) × columns [<paramref name="col0"/>,
    /// <paramref name="col1"/>) of C with the calling thread's workspace. Element (i, j) becomes
    /// <c>C₀ + s₁ + s₂ + …</c> (C₀ only when accumulating), where <c>s_b</c> sums depth block b in increasing
    /// depth order; this does not depend on the region bounds, so any split of C over threads gives bit-identical
    /// results.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunRegion(in GemmProblem<T> problem, int row0, int row1, int col0, int col1)
    {
        int mr = TKernel.Mr;
        int nr = TKernel.Nr;
        GemmBlocking blocking = GemmBlocking<T, TKernel>.Value;
        int mcMax = Math.Min(blocking.Mc, RoundUp(row1 - row0, mr));
        int kcMax = Math.Min(blocking.Kc, problem.K);
        int ncMax = Math.Min(blocking.Nc, RoundUp(col1 - col0, nr));

        nint aBytes = GemmWorkspace.RoundUp((nint)mcMax * kcMax * sizeof(T));
        nint bBytes = GemmWorkspace.RoundUp((nint)ncMax * kcMax * sizeof(T));
        nint tileBytes = (nint)mr * nr * sizeof(T);
        byte* memory = GemmWorkspace.Current.Acquire(aBytes + bBytes + tileBytes);
        T* aPack = (T*)memory;
        T* bPack = (T*)(memory + aBytes);
        T* tile = (T*)(memory + aBytes + bBytes);

        nint ldc = problem.N;
        int k = problem.K;
        for (int jc = col0; jc < col1; jc += ncMax)
        {
            int nc = Math.Min(ncMax, col1 - jc);
            for (int pc = 0; pc < k; pc += kcMax)
            {
                int kc = Math.Min(kcMax, k - pc);
                bool addToC = problem.Accumulate || pc > 0;
                GemmPacking<T, TKernel>.PackB(problem, pc, kc, jc, nc, bPack);
                for (int ic = row0; ic < row1; ic += mcMax)
                {
                    int mc = Math.Min(mcMax, row1 - ic);
                    GemmPacking<T, TKernel>.PackA(problem, ic, mc, pc, kc, aPack);
                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        int width = Math.Min(nr, nc - jr);
                        T* bPanel = bPack + ((nint)jr * kc);
                        T* cColumn = problem.C + (ic * ldc) + jc + jr;
                        for (int ir = 0; ir < mc; ir += mr)
                        {
                            int height = Math.Min(mr, mc - ir);
                            T* aPanel = aPack + ((nint)ir * kc);
                            T* cTile = cColumn + (ir * ldc);
                            if (height == mr && width == nr)
                            {
                                TKernel.Run(kc, aPanel, bPanel, cTile, ldc, addToC);
                            }
                            else
                            {
                                EdgeTile(kc, aPanel, bPanel, cTile, ldc, height, width, addToC, tile);
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Runs the full-size kernel into a scratch tile, then stores (or adds) only its valid height×width corner,
    /// with the same arithmetic as a full tile.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void EdgeTile(
        int kc, T* aPanel, T* bPanel, T* c, nint ldc, int height, int width, bool addToC, T* tile)
    {
        int nr = TKernel.Nr;
        TKernel.Run(kc, aPanel, bPanel, tile, nr, addToC: false);
        for (int i = 0; i < height; i++)
        {
            T* src = tile + (i * nr);
            T* dst = c + (i * ldc);
            if (addToC)
            {
                for (int j = 0; j < width; j++)
                {
                    dst[j] += src[j];
                }
            }
            else
            {
                new ReadOnlySpan<T>(src, width).CopyTo(new Span<T>(dst, width));
            }
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
