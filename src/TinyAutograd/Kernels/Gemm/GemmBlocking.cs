namespace TinyAutograd.Kernels;

/// <summary>
/// The cache blocking of the GEMM driver and its second-thread crossover, derived from the cache sizes for one
/// micro-kernel shape (Goto and van de Geijn, "Anatomy of high-performance matrix multiplication", ACM TOMS 2008;
/// Low et al., "Analytical modeling is enough for high-performance BLIS", ACM TOMS 2016).
/// </summary>
/// <remarks>
/// With s bytes per element, an Mr × Nr micro-kernel and the driver's loop order (an A micro-panel is reused against
/// every B micro-panel of a packed B block):
/// <list type="bullet">
/// <item><c>Kc = ⌊L1 / ((Mr + Nr)·s)⌋</c>, rounded down to a multiple of 16: the A micro-panel and the B micro-panel
/// a kernel call streams fit in L1 together, so the A micro-panel is still there for the next call.</item>
/// <item><c>Nc = ⌊(L2 / 2) / (Kc·s)⌋</c>, rounded down to a multiple of Nr: the packed B block fills half of L2,
/// leaving the other half to the A micro-panel and the C tiles passing through.</item>
/// <item><c>Mc = ⌊(LastLevelPerCore / 2) / (Kc·s)⌋</c>, rounded down to a multiple of Mr: the packed A block fills half
/// of this core's share of the last cache level, from which it is read again for every B block.</item>
/// <item><c>MinWorkPerThread = Mr·Kc·Nc</c> multiply-adds: a thread's part of a split product must at least run one
/// A micro-panel against one whole B block, so that each thread's own packing and its wake-up (a few microseconds)
/// are repaid. With 32–48 KiB of L1 and 1–2 MiB of L2 this is 1.5–3.1 Mi multiply-adds per thread; on a 2-core
/// AVX-512 machine two threads were measured to overtake one at about 1.0–1.4 Mi per thread, so the formula errs
/// toward staying on one thread for products near the crossover.</item>
/// </list>
/// Each size is at least one step of its rounding (16, Nr, Mr), for caches too small for the formulas.
/// </remarks>
/// <param name="Kc">Depth of a packed block.</param>
/// <param name="Nc">Columns of op(B) per packed block.</param>
/// <param name="Mc">Rows of op(A) per packed block.</param>
/// <param name="MinWorkPerThread">Multiply-adds per thread below which a product is not split.</param>
internal readonly record struct GemmBlocking(int Kc, int Nc, int Mc, long MinWorkPerThread)
{
    /// <summary>The depth rounding: the packing transposes 16 depth steps at a time.</summary>
    private const int DepthStep = 16;

    /// <summary>The blocking for an <paramref name="mr"/> × <paramref name="nr"/> kernel on <paramref name="caches"/>.</summary>
    /// <param name="caches">The cache sizes.</param>
    /// <param name="mr">Rows of the micro-kernel's tile.</param>
    /// <param name="nr">Columns of the micro-kernel's tile.</param>
    /// <param name="elementBytes">Bytes per element (4 for float, 8 for double).</param>
    public static GemmBlocking Derive(CacheSizes caches, int mr, int nr, int elementBytes)
    {
        int kc = RoundDown(caches.L1Data / ((long)(mr + nr) * elementBytes), DepthStep);
        long depthBytes = (long)kc * elementBytes;
        int nc = RoundDown(caches.L2 / 2 / depthBytes, nr);
        int mc = RoundDown(caches.LastLevelPerCore / 2 / depthBytes, mr);
        return new GemmBlocking(kc, nc, mc, (long)mr * kc * nc);
    }

    /// <summary>
    /// The depth of a packed block for a product of depth <paramref name="k"/>: the fewest blocks of at most Kc,
    /// b = ⌈k / Kc⌉, made as even as the rounding allows, ⌈k / b⌉ rounded up to a multiple of 16 (k itself when that is
    /// less). The last block is then never much thinner than the others: a thin one runs too few depth steps per tile to
    /// hide the fetch of its C tile (4096·384·4096 as 368 + 16 ran 2.5% slower than as 192 + 192).
    /// </summary>
    public int DepthBlock(int k)
    {
        int blocks = (k + Kc - 1) / Kc;
        return Math.Min(k, RoundUp((k + blocks - 1) / blocks, DepthStep));
    }

    /// <summary>The smallest multiple of <paramref name="step"/> not below <paramref name="value"/>.</summary>
    private static int RoundUp(int value, int step) => (value + step - 1) / step * step;

    /// <summary>The largest multiple of <paramref name="step"/> not above <paramref name="value"/>, at least one step.</summary>
    private static int RoundDown(long value, int step) => (int)Math.Clamp(value / step * step, step, int.MaxValue / 2 / step * step);
}

/// <summary>The blocking of one micro-kernel on this machine's caches, derived once per element type and kernel.</summary>
/// <typeparam name="T">Element type.</typeparam>
/// <typeparam name="TKernel">Micro-kernel.</typeparam>
internal static unsafe class GemmBlocking<T, TKernel>
    where T : unmanaged
    where TKernel : IGemmMicroKernel<T>
{
    /// <summary><see cref="GemmBlocking.Derive"/> on <see cref="CacheSizes.Machine"/>.</summary>
    public static readonly GemmBlocking Value = GemmBlocking.Derive(CacheSizes.Machine, TKernel.Mr, TKernel.Nr, sizeof(T));
}
