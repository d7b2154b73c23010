using System.Numerics;
using System.Runtime.InteropServices;

namespace TinyAutograd.Kernels.Simd;

/// <summary>The portable partial load and store: fewer than one register of elements, through a buffer on the stack (zero-padded when loading).</summary>
internal static class PaddedLoad
{
    /// <summary>The first <c>values.Length</c> lanes from <paramref name="values"/>, the others 0.</summary>
    public static TSimd Of<T, TSimd>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSimd : struct, ISimd<TSimd, T>
    {
        Span<T> buffer = stackalloc T[TSimd.Count];
        buffer.Clear();
        values.CopyTo(buffer);
        return TSimd.Load(ref MemoryMarshal.GetReference(buffer), 0);
    }

    /// <summary>The first <c>destination.Length</c> lanes of <paramref name="value"/> into <paramref name="destination"/>, through a buffer on the stack.</summary>
    public static void Store<T, TSimd>(TSimd value, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSimd : struct, ISimd<TSimd, T>
    {
        Span<T> buffer = stackalloc T[TSimd.Count];
        TSimd.Store(value, ref MemoryMarshal.GetReference(buffer), 0);
        buffer[..destination.Length].CopyTo(destination);
    }
}
