using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace TinyAutograd.Kernels.Simd;

/// <summary>
/// The first <c>count</c> elements of a span (at most one register) as a register and back: a whole load or store when
/// <c>count</c> fills the register, else the partial one (<see cref="ISimd{TSelf, T}.LoadPartial"/>, zero-padded, and
/// <see cref="ISimd{TSelf, T}.StorePartial"/>), for loops whose last chunk is short.
/// </summary>
internal static class RegisterChunk
{
    /// <summary>values[0 .. count) in the first lanes, the others 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TSimd Load<T, TSimd>(ReadOnlySpan<T> values, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSimd : struct, ISimd<TSimd, T> =>
        count == TSimd.Count ? TSimd.Load(ref MemoryMarshal.GetReference(values), 0) : TSimd.LoadPartial(values[..count]);

    /// <summary>The first <paramref name="count"/> lanes of <paramref name="value"/> into destination[0 .. count).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store<T, TSimd>(TSimd value, Span<T> destination, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSimd : struct, ISimd<TSimd, T>
    {
        if (count == TSimd.Count)
        {
            TSimd.Store(value, ref MemoryMarshal.GetReference(destination), 0);
        }
        else
        {
            TSimd.StorePartial(value, destination[..count]);
        }
    }
}
