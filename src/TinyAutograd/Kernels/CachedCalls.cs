namespace TinyAutograd.Kernels;

/// <summary>
/// A range kernel that writes its destination through TensorPrimitives, run in calls short enough that TensorPrimitives
/// keeps their stores in the caches, unless the whole destination is worth streaming (<see cref="VectorLoops.Streams{T}"/>).
/// </summary>
/// <remarks>
/// TensorPrimitives writes a destination of more than 256 KiB with non-temporal stores, whatever the caches: reading
/// back the sum of two arrays of 65,536 floats took 3.3 µs, of 65,600 floats 6.5 µs, from memory instead of L2
/// (System.Numerics.Tensors 11.0, Zen 4). The library streams only destinations of half the last cache level and more;
/// below that, what a pass writes is what the next one reads (a weight updated by gradient descent is read again by the
/// next step's forward pass). Only for kernels whose elements are independent: a range is cut into several calls.
/// </remarks>
/// <typeparam name="T">The destination's element type.</typeparam>
/// <typeparam name="TKernel">The pass.</typeparam>
/// <param name="kernel">The pass.</param>
/// <param name="destinationLength">The whole destination's length, which decides whether it is streamed.</param>
internal readonly unsafe struct CachedCalls<T, TKernel>(TKernel kernel, int destinationLength) : IRangeKernel
    where T : unmanaged
    where TKernel : struct, IRangeKernel
{
    /// <summary>The longest destination, in bytes, TensorPrimitives writes with plain stores.</summary>
    private const int LibraryStreamingBytes = 256 * 1024;

    public void Run(int start, int end, int range)
    {
        int call = VectorLoops.Streams<T>(destinationLength) ? Math.Max(1, end - start) : LibraryStreamingBytes / sizeof(T);
        for (int at = start; at < end; at += call)
        {
            kernel.Run(at, Math.Min(end, at + call), range);
        }
    }
}
