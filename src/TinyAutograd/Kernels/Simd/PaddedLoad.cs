using System.Numerics;
using System.Runtime.InteropServices;

namespace TinyAutograd.Kernels.Simd;

/// <summary>The portable partial load: fewer than one register of elements, zero-padded through a buffer on the stack.</summary>
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
}
