namespace TinyAutograd.Kernels;

/// <summary>
/// Pinned operands of one product <c>C = op(A)·op(B)</c> (or <c>C += op(A)·op(B)</c>): row-major storage, with
/// op(A) m×k, op(B) k×n and C m×n. Each matrix's rows are as long as its stored width apart unless a leading dimension
/// says otherwise (<see cref="Lda"/>, <see cref="Ldb"/>, <see cref="Ldc"/>: attention reads each head's rows where they
/// lie among the other heads'); the blocked driver and the packing honour them, the paths for tiny and vector products
/// (<see cref="GemmDirect"/>, <see cref="GemmVectorProduct"/>) take only contiguous matrices.
/// </summary>
/// <typeparam name="T">Element type.</typeparam>
internal readonly unsafe struct GemmProblem<T>
    where T : unmanaged
{
    public GemmProblem(T* a, bool transposeA, T* b, bool transposeB, T* c, int m, int n, int k, bool accumulate)
    {
        A = a;
        TransposeA = transposeA;
        B = b;
        TransposeB = transposeB;
        C = c;
        M = m;
        N = n;
        K = k;
        Accumulate = accumulate;
        Lda = transposeA ? m : k;
        Ldb = transposeB ? k : n;
        Ldc = n;
    }

    /// <summary>
    /// The product of a convolution over one image: A the weights, m×k with k = <see cref="ConvGeometry.Rows"/>; B the
    /// image's columns (<see cref="ConvGeometry.Positions"/> of them), formed while packing instead of stored
    /// (<see cref="GemmImageColumns"/>); C = A·B, or C += A·B when <paramref name="accumulate"/> is set.
    /// </summary>
    public GemmProblem(T* weights, T* image, in ConvGeometry geometry, T* c, int m, bool accumulate)
        : this(weights, transposeA: false, image, transposeB: false, c, m, geometry.Positions, geometry.Rows, accumulate)
    {
        Image = geometry;
        BIsImage = true;
    }

    /// <summary>A, stored m×k (leading dimension k), or k×m (leading dimension m) when transposed.</summary>
    public T* A { get; }

    public bool TransposeA { get; }

    /// <summary>B, stored k×n (leading dimension n), or n×k (leading dimension k) when transposed.</summary>
    public T* B { get; }

    public bool TransposeB { get; }

    /// <summary>Whether B is an image whose columns are formed while packing (<see cref="Image"/>), not a stored matrix.</summary>
    public bool BIsImage { get; }

    /// <summary>The image's geometry when <see cref="BIsImage"/> (one image: its batch is 1).</summary>
    public ConvGeometry Image { get; }

    /// <summary>
    /// op(B) already packed whole (<see cref="Gemm.PackRight{T}"/>): depth block p (of the blocking's depth) holds every
    /// column's micro-panels from element p·N' on, N' = N rounded up to the micro-panel width; null when B is packed
    /// block by block as the product goes.
    /// </summary>
    public T* PackedB { get; init; }

    /// <summary>
    /// The column count <see cref="PackedB"/> was packed for, when the product uses only its first N columns (a prefix of
    /// a packed matrix is read in place: its depth blocks keep the whole matrix's stride); 0 when it was packed for N.
    /// </summary>
    public int PackedColumns { get; init; }

    /// <summary>
    /// The depth <see cref="PackedB"/> was packed for, in one depth block, when the product uses only its first K rows
    /// (a prefix of the depth is read in place: its micro-panels keep the whole depth's stride); 0 when it was packed for K.
    /// </summary>
    public int PackedDepth { get; init; }

    public T* C { get; }

    /// <summary>
    /// A row of N values added to every row of C (<c>C = bias + op(A)·op(B)</c>) by the micro-kernel as it stores each
    /// tile of the first depth block; null for none. Never together with <see cref="Accumulate"/>.
    /// </summary>
    public T* Bias { get; init; }

    public int M { get; }

    public int N { get; }

    public int K { get; }

    /// <summary>Whether the product is added to C rather than overwriting it.</summary>
    public bool Accumulate { get; }

    /// <summary>Elements from one stored row of A to the next: k, or m when transposed, unless set.</summary>
    public nint Lda { get; init; }

    /// <summary>Elements from one stored row of B to the next: n, or k when transposed, unless set.</summary>
    public nint Ldb { get; init; }

    /// <summary>Elements from one row of C to the next: n unless set.</summary>
    public nint Ldc { get; init; }

    /// <summary>This product with the given leading dimensions; each 0 keeps the matrix's own.</summary>
    public GemmProblem<T> WithRowsApart(nint lda = 0, nint ldb = 0, nint ldc = 0) =>
        this with { Lda = lda == 0 ? Lda : lda, Ldb = ldb == 0 ? Ldb : ldb, Ldc = ldc == 0 ? Ldc : ldc };

    /// <summary>Address of op(A)[row, depth].</summary>
    public T* AAt(int row, int depth)
        => TransposeA ? A + (((nint)depth * Lda) + row) : A + (((nint)row * Lda) + depth);

    /// <summary>Address of op(B)[depth, column].</summary>
    public T* BAt(int depth, int column)
        => TransposeB ? B + (((nint)column * Ldb) + depth) : B + (((nint)depth * Ldb) + column);
}
