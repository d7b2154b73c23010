namespace TinyAutograd.Kernels;

/// <summary>Calls of TensorPrimitives short enough that it keeps their stores in the caches.</summary>
/// <remarks>
/// TensorPrimitives writes a destination of more than 256 KiB with non-temporal stores, whatever the caches: reading
/// back the sum of two arrays of 65,536 floats took 3.3 µs, of 65,600 floats 6.5 µs, from memory instead of L2
/// (System.Numerics.Tensors 11.0, Zen 4). The library streams only destinations of half the last cache level and more;
/// below that, what a pass writes is what the next one reads (a weight updated by gradient descent is read again by the
/// next step's forward pass).
/// </remarks>
internal static unsafe class CachedCalls
{
    /// <summary>The longest destination, in bytes, TensorPrimitives writes with plain stores.</summary>
    private const int LibraryStreamingBytes = 256 * 1024;

    /// <summary>The most elements of <typeparamref name="T"/> one call writes with plain stores.</summary>
    public static int Length<T>()
        where T : unmanaged => LibraryStreamingBytes / sizeof(T);

    /// <summary>
    /// The elements per call for a destination of <paramref name="destinationLength"/>: all of them when the destination
    /// is worth streaming (<see cref="VectorLoops.Streams{T}"/>), else <see cref="Length{T}"/>.
    /// </summary>
    public static int For<T>(int destinationLength)
        where T : unmanaged => VectorLoops.Streams<T>(destinationLength) ? Math.Max(1, destinationLength) : Length<T>();

    /// <summary>
    /// The consecutive ranges of at most <see cref="For{T}"/>(<paramref name="length"/>) elements that cover
    /// [0, <paramref name="length"/>), for a pass that makes several TensorPrimitives calls on each range: their stores
    /// stay cached, and each call reads what the one before it wrote from L2.
    /// </summary>
    public static CachedRanges Ranges<T>(int length)
        where T : unmanaged => new(0, length, For<T>(length));
}

/// <summary>Consecutive ranges (start, length) of at most a given length covering [first, end), for <c>foreach</c>
/// (<see cref="CachedCalls.Ranges{T}"/>).</summary>
/// <param name="first">The first element to cover.</param>
/// <param name="end">The end of the elements to cover.</param>
/// <param name="longest">The longest range, at least 1.</param>
internal struct CachedRanges(int first, int end, int longest)
{
    private int _start = first - longest;

    /// <summary>The current range.</summary>
    public readonly (int Start, int Length) Current => (_start, Math.Min(longest, end - _start));

    /// <summary>Itself: the ranges are enumerated once, by <c>foreach</c>.</summary>
    public readonly CachedRanges GetEnumerator() => this;

    /// <summary>Moves to the next range; false once [first, end) is covered.</summary>
    public bool MoveNext()
    {
        _start += longest;
        return _start < end;
    }
}

/// <summary>
/// A range kernel that writes its destination through TensorPrimitives, run in calls short enough that TensorPrimitives
/// keeps their stores in the caches (<see cref="CachedCalls"/>), unless the whole destination is worth streaming
/// (<see cref="VectorLoops.Streams{T}"/>). Only for kernels whose elements are independent: a range becomes several calls.
/// </summary>
/// <typeparam name="T">The destination's element type.</typeparam>
/// <typeparam name="TKernel">The pass.</typeparam>
/// <param name="kernel">The pass.</param>
/// <param name="destinationLength">The whole destination's length, which decides whether it is streamed.</param>
internal readonly struct CachedCalls<T, TKernel>(TKernel kernel, int destinationLength) : IRangeKernel
    where T : unmanaged
    where TKernel : struct, IRangeKernel
{
    public void Run(int start, int end, int range)
    {
        foreach (var (at, length) in new CachedRanges(start, end, CachedCalls.For<T>(destinationLength)))
        {
            kernel.Run(at, at + length, range);
        }
    }
}
