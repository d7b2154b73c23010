using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace TinyAutograd.Kernels.Simd;

/// <summary>
/// The entries of a row's first <c>count</c> that its whole vectors leave over (a causal attention row's allowed prefix
/// mostly ends inside a vector), taken as one more vector, so that a row sweep has no scalar tail: where the row has
/// room for a whole vector there, it is read and stored whole, its lanes past count stored as 0 (which also clears
/// them); else read and stored partially (<see cref="ISimd{TSelf, T}.LoadPartial"/>, <see cref="ISimd{TSelf, T}.StorePartial"/>).
/// </summary>
/// <typeparam name="T">Element type.</typeparam>
/// <typeparam name="TSimd">Register width.</typeparam>
internal readonly struct PrefixTail<T, TSimd>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TSimd : struct, ISimd<TSimd, T>
{
    private readonly int _rowLength;

    /// <summary>The tail of the first <paramref name="count"/> entries of a row of <paramref name="rowLength"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public PrefixTail(int count, int rowLength)
    {
        if ((uint)count > (uint)rowLength)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"A prefix of {count} entries does not fit a row of {rowLength}.");
        }
        _rowLength = rowLength;
        Whole = count - (count % TSimd.Count);
        Any = count > Whole;
        Kept = TSimd.LessThan(TSimd.Indices, TSimd.Create(T.CreateTruncating(count - Whole)));
    }

    /// <summary>The entries in whole vectors, a multiple of the lane count; the tail holds the rest of the prefix.</summary>
    public int Whole { get; }

    /// <summary>Whether there are entries left over after the whole vectors.</summary>
    public bool Any { get; }

    /// <summary>All-ones lanes for the tail's entries that are in the prefix (the rest count as 0).</summary>
    public TSimd Kept { get; }

    /// <summary>The row's entries at the tail (zero-padded past the row's end).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TSimd Load(ReadOnlySpan<T> row) =>
        Whole + TSimd.Count <= _rowLength ? TSimd.Load(ref MemoryMarshal.GetReference(row), (nuint)Whole) : TSimd.LoadPartial(row[Whole.._rowLength]);

    /// <summary>Stores the tail's kept lanes (0 in the others) and clears the row after it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void StoreAndClearRest(TSimd value, Span<T> row)
    {
        int written = Whole;
        if (Any && Whole + TSimd.Count <= _rowLength)
        {
            written += TSimd.Count;
            TSimd.Store(value & Kept, ref MemoryMarshal.GetReference(row), (nuint)Whole);
        }
        else if (Any)
        {
            written = _rowLength;
            TSimd.StorePartial(value & Kept, row[Whole.._rowLength]);
        }
        row[written.._rowLength].Clear();
    }
}
