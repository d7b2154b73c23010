using System.Numerics;
using System.Runtime.Intrinsics.X86;

namespace TinyAutograd.Kernels;

/// <summary>
/// Dense general matrix multiplication on row-major storage, in the GotoBLAS/BLIS style: operands are packed into
/// cache-blocked panels and multiplied by a register-tiled SIMD micro-kernel (AVX-512 where its 512-bit FMAs outrun
/// 256-bit ones, else AVX2/FMA, else scalar).
/// </summary>
/// <remarks>
/// Computes <c>C = op(A)·op(B)</c>, or <c>C += op(A)·op(B)</c> when accumulating, where op(X) is X or Xᵀ:
/// <c>C[i,j] (+)= Σ_{p&lt;k} op(A)[i,p]·op(B)[p,j]</c> for <c>i &lt; m</c>, <c>j &lt; n</c>.
/// Large products are split over up to <see cref="Parallelism.MaxThreads"/> threads along m or n only, never along k, so the
/// result is bit-identical whatever the thread count.
/// </remarks>
public static class Gemm
{
    /// <summary>Multiplies two row-major matrices, optionally transposed, into (or onto) a third.</summary>
    /// <remarks>
    /// <para><c>C = op(A)·op(B)</c>, or <c>C += op(A)·op(B)</c> when <paramref name="accumulate"/> is set, i.e.
    /// <c>C[i,j] (+)= Σ_{p&lt;k} op(A)[i,p]·op(B)[p,j]</c>.</para>
    /// <para>op(A) is m×k: A is stored m×k (leading dimension k), or k×m (leading dimension m) when
    /// <paramref name="transposeA"/>. op(B) is k×n: B is stored k×n (leading dimension n), or n×k (leading
    /// dimension k) when <paramref name="transposeB"/>. C is m×n with leading dimension n. Spans may be longer than
    /// needed; only their leading parts are used. With k = 0 the product is zero, so C is cleared (or left unchanged
    /// when accumulating).</para>
    /// <para>float and double use SIMD kernels; other element types use a portable scalar kernel. The result does
    /// not depend on <see cref="Parallelism.MaxThreads"/>.</para>
    /// </remarks>
    /// <typeparam name="T">Element type.</typeparam>
    /// <param name="a">Storage of A.</param>
    /// <param name="transposeA">Whether A is stored transposed (k×m).</param>
    /// <param name="b">Storage of B.</param>
    /// <param name="transposeB">Whether B is stored transposed (n×k).</param>
    /// <param name="c">Storage of C (m×n); must not overlap <paramref name="a"/> or <paramref name="b"/>.</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">Columns of op(A), rows of op(B).</param>
    /// <param name="accumulate">Add the product to C instead of overwriting it.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative.</exception>
    /// <exception cref="ArgumentException">A span is too short for its matrix, or C overlaps A or B.</exception>
    public static unsafe void Multiply<T>(
        ReadOnlySpan<T> a,
        bool transposeA,
        ReadOnlySpan<T> b,
        bool transposeB,
        Span<T> c,
        int m,
        int n,
        int k,
        bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Run(a, transposeA, b, transposeB, c, m, n, k, accumulate, bias: default);

    /// <summary>
    /// <c>C = op(A)·op(B) + 1·biasᵀ</c>: the product with <paramref name="bias"/> (n values) added to every row,
    /// <c>C[i,j] = bias[j] + Σ_{p&lt;k} op(A)[i,p]·op(B)[p,j]</c>, a linear layer's output in one pass. The
    /// micro-kernel adds the bias to each tile of the first depth block as it stores it, where a separate addition
    /// would read and write all of C again. Operands as in <see cref="Multiply{T}"/>; the result does not depend on
    /// <see cref="Parallelism.MaxThreads"/>.
    /// </summary>
    /// <exception cref="ArgumentException">As for <see cref="Multiply{T}"/>, or <paramref name="bias"/> holds fewer than n values.</exception>
    internal static void MultiplyAddingRow<T>(ReadOnlySpan<T> a, bool transposeA, ReadOnlySpan<T> b, bool transposeB, ReadOnlySpan<T> bias, Span<T> c, int m, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (bias.Length < n)
        {
            throw new ArgumentException($"Gemm.MultiplyAddingRow: bias has {bias.Length} elements but C has {n} columns.", nameof(bias));
        }
        Run(a, transposeA, b, transposeB, c, m, n, k, accumulate: false, bias[..n]);
    }

    /// <summary><see cref="Multiply{T}"/>, with <paramref name="bias"/> added to every row of C unless it is empty.</summary>
    private static unsafe void Run<T>(ReadOnlySpan<T> a, bool transposeA, ReadOnlySpan<T> b, bool transposeB, Span<T> c, int m, int n, int k, bool accumulate, ReadOnlySpan<T> bias)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowIfNegative(m, nameof(m));
        ThrowIfNegative(n, nameof(n));
        ThrowIfNegative(k, nameof(k));
        ThrowIfTooShort(a.Length, m, k, transposeA, nameof(a), "A");
        ThrowIfTooShort(b.Length, k, n, transposeB, nameof(b), "B");
        ThrowIfTooShort(c.Length, m, n, transposed: false, nameof(c), "C");

        int cLength = m * n;
        Span<T> cUsed = c[..cLength];
        if (cUsed.Overlaps(a[..(m * k)]) || cUsed.Overlaps(b[..(k * n)]))
        {
            throw new ArgumentException("Gemm.Multiply: c must not overlap a or b.", nameof(c));
        }

        if (cLength == 0)
        {
            return;
        }

        bool small = (long)cLength * k <= GemmDirect.MaxWork;
        if (!bias.IsEmpty && (k == 0 || small || GemmVectorProduct.Handles<T>(m, n)))
        {
            // Paths without tiles: C starts as the bias rows and the product is added onto it.
            fixed (T* start = c)
            {
                FillRows(bias, start, n, m);
            }
            accumulate = true;
            bias = default;
        }

        if (k == 0)
        {
            if (!accumulate)
            {
                cUsed.Clear();
            }

            return;
        }

        fixed (T* pa = a, pb = b, pc = c, pBias = bias)
        {
            var problem = new GemmProblem<T>(pa, transposeA, pb, transposeB, pc, m, n, k, accumulate) { Bias = pBias };
            if (small)
            {
                GemmDirect.Run(problem);
            }
            else if (GemmVectorProduct.Handles<T>(m, n))
            {
                GemmVectorProduct.Run(problem);
            }
            else
            {
                RunPacked(problem);
            }
        }
    }

    /// <summary>
    /// C = W·B, or C += W·B when <paramref name="accumulate"/> is set, for one image of a convolution, B the image's
    /// columns (<see cref="ConvGeometry.Rows"/> × <see cref="ConvGeometry.Positions"/>), formed while packing
    /// (<see cref="GemmImageColumns"/>) rather than stored.
    /// </summary>
    /// <param name="weights">W, m × <see cref="ConvGeometry.Rows"/>, row-major.</param>
    /// <param name="image">The image, <see cref="ConvGeometry.Channels"/> × height × width.</param>
    /// <param name="geometry">The convolution over one image (its batch is 1).</param>
    /// <param name="c">C, m × <see cref="ConvGeometry.Positions"/>, row-major.</param>
    /// <param name="m">The number of output channels.</param>
    /// <param name="accumulate">Add the product to C (a bias written there) instead of overwriting it.</param>
    internal static unsafe void MultiplyImage<T>(T* weights, T* image, in ConvGeometry geometry, T* c, int m, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        RunPacked(new GemmProblem<T>(weights, image, geometry, c, m, accumulate));

    /// <summary>
    /// The number of elements op(B), k×n, takes packed whole (<see cref="PackRight{T}"/>): k·n', n' = n rounded up to the
    /// micro-panel width of the machine's kernel.
    /// </summary>
    internal static int PackedRightLength<T>(int k, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = KernelNr<T>();
        return checked(k * ((n + width - 1) / width * width));
    }

    /// <summary>
    /// Packs op(B) (k×n, stored as for <see cref="Multiply{T}"/>) whole into <paramref name="packed"/>
    /// (<see cref="PackedRightLength{T}"/> elements), in the blocks and micro-panels the blocked driver packs as it goes,
    /// for products that reuse one B many times (a recurrent layer's W_hh at every step): <see cref="MultiplyPacked{T}"/>
    /// then reads it in place and gives the same bits as the blocked driver. B's stored rows are
    /// <paramref name="ldb"/> elements apart when it is given (0: as long as they are).
    /// </summary>
    internal static unsafe void PackRight<T>(ReadOnlySpan<T> b, bool transposeB, int k, int n, Span<T> packed, int ldb = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowIfTooShort(b.Length, k, n, transposeB, nameof(b), "B", ldb);
        ThrowIfPackedTooShort<T>(packed.Length, k, n, nameof(packed));
        fixed (T* pb = b, destination = packed)
        {
            var problem = new GemmProblem<T>(null, false, pb, transposeB, null, 0, n, k, accumulate: false).WithRowsApart(ldb: ldb);
            switch (KernelFor<T>())
            {
                case Kernel.Avx512:
                    PackRight<T, GemmMicroKernel512<T>>(problem, destination);
                    break;
                case Kernel.Avx2:
                    PackRight<T, GemmMicroKernel256<T>>(problem, destination);
                    break;
                default:
                    PackRight<T, GemmMicroKernelScalar<T>>(problem, destination);
                    break;
            }
        }
    }

    /// <summary>
    /// C (+)= op(A)·B with B packed by <see cref="PackRight{T}"/> (k×n): as <see cref="Multiply{T}"/>, through the blocked
    /// driver whatever the size. With <paramref name="packedColumns"/> &gt; n, B is the first n columns of a k×packedColumns
    /// matrix packed whole (attention's keys up to a causal horizon); with <paramref name="packedDepth"/> &gt; 0, it is
    /// rows [<paramref name="depthOffset"/>, <paramref name="depthOffset"/> + k) of a packedDepth×n matrix packed whole in
    /// one depth block (<see cref="PacksInOneDepthBlock{T}"/>: attention's values up to a causal horizon, or one block of
    /// its queries' rows). A's stored rows are <paramref name="lda"/> elements apart and C's rows <paramref name="ldc"/>
    /// when these are given (0: as long as the rows are).
    /// </summary>
    internal static unsafe void MultiplyPacked<T>(
        ReadOnlySpan<T> a, bool transposeA, ReadOnlySpan<T> packedB, Span<T> c, int m, int n, int k, bool accumulate = false,
        int packedColumns = 0, int packedDepth = 0, int depthOffset = 0, int lda = 0, int ldc = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ThrowIfTooShort(a.Length, m, k, transposeA, nameof(a), "A", lda);
        if (packedDepth != 0 ? packedDepth < depthOffset + k || depthOffset < 0 || !PacksInOneDepthBlock<T>(packedDepth) : depthOffset != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(packedDepth), packedDepth,
                $"Gemm.MultiplyPacked: a product of depth {k} from depth {depthOffset} on can read a B packed for depth {packedDepth} only when that depth is at least {depthOffset + k} and packs in one depth block.");
        }
        ThrowIfPackedTooShort<T>(packedB.Length, Math.Max(k, packedDepth), Math.Max(n, packedColumns), nameof(packedB));
        ThrowIfTooShort(c.Length, m, n, transposed: false, nameof(c), "C", ldc);
        if (m == 0 || n == 0 || k == 0)
        {
            if (!accumulate)
            {
                for (int i = 0; i < m; i++)
                {
                    c.Slice(i * (ldc == 0 ? n : ldc), n).Clear();
                }
            }
            return;
        }
        fixed (T* pa = a, pb = packedB, pc = c)
        {
            var problem = new GemmProblem<T>(pa, transposeA, null, false, pc, m, n, k, accumulate)
            {
                PackedB = pb + ((nint)depthOffset * KernelNr<T>()), PackedColumns = packedColumns, PackedDepth = packedDepth,
            };
            RunPacked(problem.WithRowsApart(lda: lda, ldc: ldc));
        }
    }

    private static unsafe void PackRight<T, TKernel>(in GemmProblem<T> problem, T* destination)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : IGemmMicroKernel<T>
    {
        int depth = GemmBlocking<T, TKernel>.Value.DepthBlock(problem.K);
        int width = (problem.N + TKernel.Nr - 1) / TKernel.Nr * TKernel.Nr;
        for (int p0 = 0; p0 < problem.K; p0 += depth)
        {
            GemmPacking<T, TKernel>.PackB(problem, p0, Math.Min(depth, problem.K - p0), 0, problem.N, destination + ((nint)p0 * width));
        }
    }

    /// <summary>A product through the packed, blocked driver with the widest micro-kernel the machine runs.</summary>
    private static void RunPacked<T>(in GemmProblem<T> problem)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (KernelFor<T>())
        {
            case Kernel.Avx512:
                GemmParallel.Run<T, GemmMicroKernel512<T>>(problem, Parallelism.MaxThreads);
                break;
            case Kernel.Avx2:
                GemmParallel.Run<T, GemmMicroKernel256<T>>(problem, Parallelism.MaxThreads);
                break;
            default:
                GemmParallel.Run<T, GemmMicroKernelScalar<T>>(problem, Parallelism.MaxThreads);
                break;
        }
    }

    /// <summary>The micro-kernels.</summary>
    private enum Kernel
    {
        Avx512,
        Avx2,
        Scalar,
    }

    /// <summary>The micro-kernel that runs <typeparamref name="T"/>'s products: the AVX-512 one where it is worth it (<see cref="UsesAvx512"/>), else AVX2's, else the scalar one.</summary>
    private static Kernel KernelFor<T>()
    {
        bool simdType = typeof(T) == typeof(float) || typeof(T) == typeof(double);
        return simdType && UsesAvx512 ? Kernel.Avx512 : simdType && Fma.IsSupported ? Kernel.Avx2 : Kernel.Scalar;
    }

    /// <summary>
    /// Whether products run the AVX-512 kernel: only where 512-bit FMAs run at least <see cref="Avx512MinSpeedup"/> times
    /// as fast as 256-bit ones (<see cref="Profiling.MachineProbe.Vector512Speedup"/>, measured once). Where AVX-512 runs
    /// as two 256-bit halves the AVX2 kernel is as fast per tile and its smaller tile (6×16 floats against 12×32) wastes
    /// less on the edges of small products: on a Zen 4, one thread, the CNN training step took 44.4 ms against 51.5, the
    /// 32→64-channel 14×14 convolution 7.6 ms against 9.4 forward (28.1 against 33.4 with its backward), 2048³ the same.
    /// </summary>
    internal static bool UsesAvx512 { get; } = Avx512F.IsSupported && Profiling.MachineProbe.Vector512Speedup() >= Avx512MinSpeedup;

    /// <summary>Half way between 1 (512-bit vectors as two halves) and 2 (units of their own width).</summary>
    private const double Avx512MinSpeedup = 1.5;

    /// <summary>
    /// Whether a B of this depth packs in one depth block (<see cref="PackRight{T}"/>), so that products may read a prefix
    /// of its depth (<see cref="MultiplyPacked{T}"/>'s packedDepth).
    /// </summary>
    internal static bool PacksInOneDepthBlock<T>(int depth)
        where T : unmanaged, IFloatingPointIeee754<T> => KernelFor<T>() switch
        {
            Kernel.Avx512 => GemmBlocking<T, GemmMicroKernel512<T>>.Value.DepthBlock(depth) >= depth,
            Kernel.Avx2 => GemmBlocking<T, GemmMicroKernel256<T>>.Value.DepthBlock(depth) >= depth,
            _ => GemmBlocking<T, GemmMicroKernelScalar<T>>.Value.DepthBlock(depth) >= depth,
        };

    /// <summary>The micro-panel width (columns of C per micro-tile) of the kernel that runs <typeparamref name="T"/>'s products.</summary>
    internal static int KernelNr<T>()
        where T : unmanaged, IFloatingPointIeee754<T> => KernelFor<T>() switch
        {
            Kernel.Avx512 => GemmMicroKernel512<T>.Nr,
            Kernel.Avx2 => GemmMicroKernel256<T>.Nr,
            _ => GemmMicroKernelScalar<T>.Nr,
        };

    private static void ThrowIfPackedTooShort<T>(int length, int k, int n, string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int needed = PackedRightLength<T>(k, n);
        if (length < needed)
        {
            throw new ArgumentException($"Gemm: {name} has {length} elements but a packed {k}×{n} B needs {needed}.", name);
        }
    }

    /// <summary>Writes <paramref name="row"/> into each of <paramref name="rows"/> rows starting at <paramref name="c"/>, <paramref name="stride"/> elements apart.</summary>
    private static unsafe void FillRows<T>(ReadOnlySpan<T> row, T* c, nint stride, int rows)
        where T : unmanaged
    {
        for (int i = 0; i < rows; i++)
        {
            row.CopyTo(new Span<T>(c + (i * stride), row.Length));
        }
    }

    private static void ThrowIfNegative(int value, string name)
    {
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(
                name, value, $"Gemm.Multiply: {name} must be non-negative, got {value}.");
        }
    }

    /// <summary>
    /// Fails unless <paramref name="length"/> elements hold a rows×columns matrix (stored columns×rows when transposed)
    /// whose stored rows are <paramref name="ld"/> elements apart (0: as long as they are).
    /// </summary>
    private static void ThrowIfTooShort(int length, int rows, int columns, bool transposed, string name, string matrix, int ld = 0)
    {
        var (storedRows, storedColumns) = transposed ? (columns, rows) : (rows, columns);
        if (ld != 0 && ld < storedColumns)
        {
            throw new ArgumentOutOfRangeException(
                name, ld, $"Gemm: {name}'s rows are {ld} elements apart, fewer than the {storedColumns} each holds.");
        }
        long needed = storedRows == 0 || storedColumns == 0 ? 0 : ((long)(storedRows - 1) * (ld == 0 ? storedColumns : ld)) + storedColumns;
        if (length < needed)
        {
            string stored = transposed ? $"stored transposed as {columns}×{rows}" : $"stored {rows}×{columns}";
            string op = transposed ? $"op({matrix})" : matrix;
            string apart = ld == 0 ? "" : $" with rows {ld} apart";
            throw new ArgumentException(
                $"Gemm.Multiply: {name} has {length} elements but {op} is {rows}×{columns} ({stored}{apart}) "
                + $"and needs {needed}.",
                name);
        }
    }
}
