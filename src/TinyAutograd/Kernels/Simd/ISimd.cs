using System.Numerics;

namespace TinyAutograd.Kernels.Simd;

/// <summary>
/// A SIMD register of <typeparamref name="T"/> at one width: the lane-wise operations the elementwise kernels are written
/// in, so that each kernel is stated once and runs at the width the machine executes natively: 512 bits where
/// <see cref="System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated"/>, 256 bits otherwise (where .NET would run
/// each 512-bit operation as two 256-bit ones, which stay fast only while the JIT inlines every one of them). Every
/// operation rounds each lane as the scalar IEEE operation does, so a lane's result does not depend on the width.
/// </summary>
/// <typeparam name="TSelf">The implementing register type.</typeparam>
/// <typeparam name="T">float or double.</typeparam>
internal interface ISimd<TSelf, T>
    where TSelf : struct, ISimd<TSelf, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The number of lanes.</summary>
    static abstract int Count { get; }

    /// <summary>All lanes 0.</summary>
    static abstract TSelf Zero { get; }

    /// <summary>All lanes 1.</summary>
    static abstract TSelf One { get; }

    /// <summary>Each lane its own index: 0, 1, …, <see cref="Count"/> − 1.</summary>
    static abstract TSelf Indices { get; }

    /// <summary>Every lane <paramref name="value"/> (its bits, NaN payloads included).</summary>
    static abstract TSelf Create(T value);

    /// <summary>Lanes from <paramref name="source"/>[<paramref name="index"/>…].</summary>
    static abstract TSelf Load(ref T source, nuint index);

    /// <summary>Stores the lanes at <paramref name="destination"/>[<paramref name="index"/>…].</summary>
    static abstract void Store(TSelf value, ref T destination, nuint index);

    /// <summary>The first <c>values.Length</c> lanes from <paramref name="values"/> (fewer than <see cref="Count"/>), the others 0.</summary>
    static abstract TSelf LoadPartial(ReadOnlySpan<T> values);

    /// <summary>Stores the first <c>destination.Length</c> lanes (fewer than <see cref="Count"/>) and nothing past them.</summary>
    static abstract void StorePartial(TSelf value, Span<T> destination);

    /// <summary>Stores the lanes at an aligned address, bypassing the caches.</summary>
    static abstract unsafe void StoreAlignedNonTemporal(TSelf value, T* destination);

    /// <summary>x + y.</summary>
    static abstract TSelf operator +(TSelf x, TSelf y);

    /// <summary>x − y.</summary>
    static abstract TSelf operator -(TSelf x, TSelf y);

    /// <summary>x·y.</summary>
    static abstract TSelf operator *(TSelf x, TSelf y);

    /// <summary>x / y.</summary>
    static abstract TSelf operator /(TSelf x, TSelf y);

    /// <summary>−x.</summary>
    static abstract TSelf operator -(TSelf x);

    /// <summary>Bitwise and.</summary>
    static abstract TSelf operator &(TSelf x, TSelf y);

    /// <summary>Bitwise or.</summary>
    static abstract TSelf operator |(TSelf x, TSelf y);

    /// <summary>a·b + c with one rounding.</summary>
    static abstract TSelf FusedMultiplyAdd(TSelf a, TSelf b, TSelf c);

    /// <summary>|x|.</summary>
    static abstract TSelf Abs(TSelf x);

    /// <summary>√x.</summary>
    static abstract TSelf Sqrt(TSelf x);

    /// <summary>x rounded to the nearest integer, ties to even.</summary>
    static abstract TSelf Round(TSelf x);

    /// <summary>|x| with the sign of <paramref name="sign"/>.</summary>
    static abstract TSelf CopySign(TSelf x, TSelf sign);

    /// <summary>The x86 MINPS/MINPD result: <paramref name="x"/> when less, else <paramref name="y"/> (so y when either is NaN).</summary>
    static abstract TSelf MinNative(TSelf x, TSelf y);

    /// <summary>The IEEE 754 maximum: NaN when either lane is NaN, and +0 above −0.</summary>
    static abstract TSelf Max(TSelf x, TSelf y);

    /// <summary>The x86 MAXPS/MAXPD result: <paramref name="x"/> when greater, else <paramref name="y"/> (so y when either is NaN).</summary>
    static abstract TSelf MaxNative(TSelf x, TSelf y);

    /// <summary>All-ones lanes where x = y.</summary>
    static abstract TSelf Equals(TSelf x, TSelf y);

    /// <summary>All-ones lanes where x &lt; y.</summary>
    static abstract TSelf LessThan(TSelf x, TSelf y);

    /// <summary>All-ones lanes where x &gt; y.</summary>
    static abstract TSelf GreaterThan(TSelf x, TSelf y);

    /// <summary>All-ones lanes where x is NaN.</summary>
    static abstract TSelf IsNaN(TSelf x);

    /// <summary>Lanes of <paramref name="whenTrue"/> where <paramref name="mask"/> is all ones, else of <paramref name="whenFalse"/>.</summary>
    static abstract TSelf ConditionalSelect(TSelf mask, TSelf whenTrue, TSelf whenFalse);

    /// <summary>The sum of the lanes.</summary>
    static abstract T Sum(TSelf x);

    /// <summary>Whether |x| ≤ <paramref name="bound"/> in every lane (false when any lane is NaN).</summary>
    static abstract bool AllMagnitudesAtMost(TSelf x, TSelf bound);

    /// <summary>
    /// p·2ⁿ for float lanes with integral n whose products are normal numbers: n added to p's exponent field, which is
    /// exact (the same bits as <see cref="ScaleByPowerOfTwo"/> gives there, with fewer instructions).
    /// </summary>
    static abstract TSelf AddToExponent(TSelf p, TSelf n);

    /// <summary>
    /// p·2ⁿ rounded once, for float lanes with p in [½, 2] and integral n in [−150, 128] (the last step of the float
    /// exponential): overflows to +∞ and rounds gradually to subnormals and 0.
    /// </summary>
    static abstract TSelf ScaleByPowerOfTwo(TSelf p, TSelf n);

    /// <summary>eˣ by the framework's vector exponential (used for double).</summary>
    static abstract TSelf FrameworkExp(TSelf x);

    /// <summary>ln x by the framework's vector logarithm.</summary>
    static abstract TSelf FrameworkLog(TSelf x);

    /// <summary>sin x by the framework's vector sine.</summary>
    static abstract TSelf FrameworkSin(TSelf x);

    /// <summary>cos x by the framework's vector cosine.</summary>
    static abstract TSelf FrameworkCos(TSelf x);
}
