namespace TinyAutograd.Kernels;

/// <summary>
/// A register-tiled micro-kernel: multiplies one packed micro-panel of op(A) (<see cref="Mr"/> rows) by one packed
/// micro-panel of op(B) (<see cref="Nr"/> columns) over a depth of <c>kc</c>, and writes the Mr×Nr tile into C. The
/// cache blocking around it comes from <see cref="GemmBlocking{T, TKernel}"/>.
/// </summary>
/// <typeparam name="T">Element type.</typeparam>
internal unsafe interface IGemmMicroKernel<T>
    where T : unmanaged
{
    /// <summary>Rows of C produced per call (height of an A micro-panel).</summary>
    static abstract int Mr { get; }

    /// <summary>Columns of C produced per call (width of a B micro-panel).</summary>
    static abstract int Nr { get; }

    /// <summary>
    /// Computes <c>tile = Σ_p a[p·Mr + i] · b[p·Nr + j]</c> for p in [0, kc), then stores
    /// <c>c[i·ldc + j] = tile</c>, or <c>c[i·ldc + j] += tile</c> when <paramref name="addToC"/> is set, or else
    /// <c>c[i·ldc + j] = tile + row[j]</c> when <paramref name="row"/> is not null (a bias, the same <see cref="Nr"/>
    /// values for every row of the tile).
    /// </summary>
    /// <remarks>Each element is accumulated from zero in increasing p order (with fused multiply-adds in the SIMD
    /// kernels) and then added to C (or to the row) once, so a tile's result does not depend on where it sits in C, and
    /// adding a row gives the bits of writing it into C first and adding to C.</remarks>
    static abstract void Run(int kc, T* a, T* b, T* c, nint ldc, bool addToC, T* row);

    /// <summary>
    /// Whether the kernel computes a tile of fewer than <see cref="Mr"/> rows with a loop of its own
    /// (<see cref="RunRows"/>); the driver otherwise runs the full tile into scratch and keeps its first rows.
    /// </summary>
    static virtual bool RunsShortTiles => false;

    /// <summary>
    /// <see cref="Run"/> for only the first <paramref name="rows"/> (fewer than <see cref="Mr"/>) rows of the tile, at
    /// full width, each element formed exactly as in the full tile. Only for kernels that say <see cref="RunsShortTiles"/>.
    /// </summary>
    static virtual void RunRows(int rows, int kc, T* a, T* b, T* c, nint ldc, bool addToC, T* row) =>
        throw new NotSupportedException("This micro-kernel runs only full-height tiles.");

    /// <summary>
    /// Whether the kernel can read a full-height tile of A where it is stored, row-major (<see cref="RunRowMajor"/>) or
    /// transposed (<see cref="RunColumnMajor"/>), so that the driver need not pack it.
    /// </summary>
    static virtual bool ReadsUnpackedA => false;

    /// <summary>
    /// <see cref="Run"/> with A read in place: element (i, p) of the <see cref="Mr"/>-row tile at <c>a[i·lda + p]</c>
    /// instead of <c>a[p·Mr + i]</c>; the same multiply-adds in the same order, so the same bits. Only for kernels that
    /// say <see cref="ReadsUnpackedA"/>.
    /// </summary>
    static virtual void RunRowMajor(int kc, T* a, nint lda, T* b, T* c, nint ldc, bool addToC, T* row) =>
        throw new NotSupportedException("This micro-kernel reads A only packed.");

    /// <summary>
    /// <see cref="Run"/> with A read in place where it is stored transposed: element (i, p) of the tile at
    /// <c>a[p·lda + i]</c> instead of <c>a[p·Mr + i]</c>; the same multiply-adds in the same order, so the same bits. Only
    /// for kernels that say <see cref="ReadsUnpackedA"/>.
    /// </summary>
    static virtual void RunColumnMajor(int kc, T* a, nint lda, T* b, T* c, nint ldc, bool addToC, T* row) =>
        throw new NotSupportedException("This micro-kernel reads A only packed.");
}
