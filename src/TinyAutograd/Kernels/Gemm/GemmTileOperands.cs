using System.Runtime.CompilerServices;

namespace TinyAutograd.Kernels;

/// <summary>A micro-kernel tile's row count, fixed when its loop is compiled, so that each instantiation keeps only its accumulators.</summary>
internal interface ITileRows
{
    static abstract int Count { get; }
}

/// <summary>Two rows.</summary>
internal readonly struct TwoRows : ITileRows
{
    public static int Count => 2;
}

/// <summary>Four rows.</summary>
internal readonly struct FourRows : ITileRows
{
    public static int Count => 4;
}

/// <summary>Six rows: the AVX2 kernel's tile.</summary>
internal readonly struct SixRows : ITileRows
{
    public static int Count => 6;
}

/// <summary>Eight rows.</summary>
internal readonly struct EightRows : ITileRows
{
    public static int Count => 8;
}

/// <summary>Twelve rows: the AVX-512 kernel's tile.</summary>
internal readonly struct TwelveRows : ITileRows
{
    public static int Count => 12;
}

/// <summary>Where a micro-kernel finds element (i, p) of A's tile at the current depth p, and the step to the next depth.</summary>
/// <remarks>
/// The kernel makes its tile from the plain pointer and stride (<see cref="At"/>) rather than receiving it made: a tile
/// of several fields passed by value went through the stack, its fields stored one by one and read back as wider
/// words, which stalled every kernel call on the failed store forwarding.
/// </remarks>
/// <typeparam name="TSelf">The tile type itself.</typeparam>
/// <typeparam name="T">Element type.</typeparam>
internal unsafe interface ITileA<TSelf, T>
    where TSelf : struct, ITileA<TSelf, T>
    where T : unmanaged
{
    /// <summary>The tile whose element (0, 0) is at <paramref name="a"/>, stored lines <paramref name="lda"/> apart (unused by a packed panel).</summary>
    static abstract TSelf At(T* a, nint lda);

    T Element(int row);

    void Advance();
}

/// <summary>A packed micro-panel of <typeparamref name="TPanel"/>' rows: element (i, p) at a[p·rows + i].</summary>
internal unsafe struct PackedTileA<T, TPanel>(T* a) : ITileA<PackedTileA<T, TPanel>, T>
    where T : unmanaged
    where TPanel : struct, ITileRows
{
    private T* _a = a;

    public static PackedTileA<T, TPanel> At(T* a, nint lda) => new(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly T Element(int row) => _a[row];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Advance() => _a += TPanel.Count;
}

/// <summary>
/// A tile of A in place where A is stored transposed (op(A) = Aᵀ, so the stored matrix is [K, M] with leading dimension
/// lda): element (i, p) at a[p·lda + i], the tile's rows side by side at each depth as in a packed micro-panel, one
/// stored row apart instead of one panel height.
/// </summary>
internal unsafe struct ColumnMajorTileA<T>(T* a, nint lda) : ITileA<ColumnMajorTileA<T>, T>
    where T : unmanaged
{
    private T* _a = a;
    private readonly nint _lda = lda;

    public static ColumnMajorTileA<T> At(T* a, nint lda) => new(a, lda);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly T Element(int row) => _a[row];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Advance() => _a += _lda;
}

/// <summary>
/// <typeparamref name="TPanel"/>' rows (6 or 12) in place, row-major with leading dimension lda: element (i, p) at
/// a[i·lda + p], addressed from rows 0, 3, 6 and 9 with the stride as an index register.
/// </summary>
internal unsafe struct RowMajorTileA<T, TPanel>(T* a, nint lda) : ITileA<RowMajorTileA<T, TPanel>, T>
    where T : unmanaged
    where TPanel : struct, ITileRows
{
    private T* _first = a;
    private T* _second = a + (3 * lda);
    private T* _third = a + (6 * lda);
    private T* _fourth = a + (9 * lda);
    private readonly nint _lda = lda;

    public static RowMajorTileA<T, TPanel> At(T* a, nint lda) => new(a, lda);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly T Element(int row) => row switch
    {
        < 3 => _first[row * _lda],
        < 6 => _second[(row - 3) * _lda],
        < 9 => _third[(row - 6) * _lda],
        _ => _fourth[(row - 9) * _lda],
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Advance()
    {
        _first++;
        _second++;
        if (TPanel.Count > 6)
        {
            _third++;
            _fourth++;
        }
    }
}
