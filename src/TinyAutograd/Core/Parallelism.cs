using TinyAutograd.Kernels;

namespace TinyAutograd;

/// <summary>How many threads the library's kernels may use.</summary>
/// <remarks>
/// <para>
/// Large matrix products, batched products, convolution unfolding (im2col and col2im), pooling planes, large
/// elementwise passes and the fused backward of pointwise runs are split over up to <see cref="MaxThreads"/> threads:
/// one part on the calling thread, the others on background workers that are created on first use and then kept
/// parked for reuse (no allocation per call). Small work always stays on the calling thread.
/// </para>
/// <para>
/// Every split keeps each output element's arithmetic as it is on one thread (products are split along m or n, never
/// along the depth k; elementwise work by ranges of elements; batches by items), so results are bit-identical
/// whatever the value. While one call is using the workers, calls from other threads run entirely on their own thread.
/// </para>
/// </remarks>
public static class Parallelism
{
    private static int _maxThreads = Environment.ProcessorCount;

    /// <summary>Gets or sets the most threads one kernel call uses; defaults to <see cref="Environment.ProcessorCount"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value set is less than 1.</exception>
    public static int MaxThreads
    {
        get => Volatile.Read(ref _maxThreads);
        set
        {
            if (value < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "Parallelism.MaxThreads must be at least 1.");
            }

            Volatile.Write(ref _maxThreads, value);
        }
    }
}
