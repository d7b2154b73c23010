using System.Numerics;
using System.Runtime.CompilerServices;
using TinyAutograd.Kernels;

namespace TinyAutograd;

/// <summary>
/// A deferred tensor (<see cref="DeferredPointwise{T}"/>) read by a kernel that walks it in whole units (image planes,
/// rows) from the ranges of a split over the cores (<see cref="ParallelRanges"/>): each chunk of units is made by the
/// deferred ops (<see cref="DeferredBlocks{T}"/>) into scratch of the reading range, which stays in cache, so the
/// tensor's values are never written to memory. The tensor stays deferred, to be computed if anything else reads it.
/// </summary>
/// <remarks>
/// ReLU then 2×2 max pooling of a convolution's output reads the convolution's output once, where computing the ReLU
/// first writes a tensor as large and the pooling reads it back: the peer benchmark's CNN step (two such pools, of
/// 12.8 and 6.4 MB) gained 2.4% on one thread and 4.6% on two (paired in one process).
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
internal sealed unsafe class DeferredChunks<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The calling thread's scratch, kept for its next kernel; pinned, so its address holds while an instance keeps it (<c>_pinned</c>).</summary>
    [ThreadStatic]
    private static ArraySegment<T> t_scratch;

    private readonly DeferredBlocks<T> _blocks;
    private readonly ArraySegment<T> _pinned;
    private readonly T* _scratch;
    private readonly int _unitLength;
    private readonly int _slotLength;
    private readonly int _targetSlot;

    private DeferredChunks(DeferredBlocks<T> blocks, Tensor<T> tensor, int unitLength, int ranges)
    {
        _blocks = blocks;
        _unitLength = unitLength;
        _targetSlot = blocks.SlotOf(tensor);
        // All the ops' slots of a chunk take half the L1 data cache, leaving the other half to what the kernel writes.
        long perSlot = CacheSizes.Machine.L1Data / 2 / blocks.Slots / Unsafe.SizeOf<T>();
        UnitsPerChunk = (int)Math.Max(1, perSlot / unitLength);
        _slotLength = UnitsPerChunk * unitLength;
        int length = ranges * blocks.Slots * _slotLength;
        if (t_scratch.Count < length)
        {
            t_scratch = AlignedScratch.Allocate<T>(length);
        }
        _pinned = t_scratch;
        fixed (T* start = _pinned.AsSpan())
        {
            _scratch = start;
        }
    }

    /// <summary>How many units a chunk holds: as many as fit the cache share, at least one.</summary>
    public int UnitsPerChunk { get; }

    /// <summary>
    /// Chunks of <paramref name="tensor"/>, made of units of <paramref name="unitLength"/> elements, for a kernel split
    /// into <paramref name="ranges"/> ranges; null when its values are computed, and the kernel reads them in place.
    /// </summary>
    public static DeferredChunks<T>? Of(Tensor<T> tensor, int unitLength, int ranges)
    {
        if (!tensor.IsDeferred)
        {
            return null;
        }
        var blocks = Tensor<T>.DeferredBlocksOf([tensor], tensor.Length);
        return blocks is null ? null : new DeferredChunks<T>(blocks, tensor, unitLength, ranges);
    }

    /// <summary>
    /// Makes units [<paramref name="first"/>, <paramref name="end"/>) (at most <see cref="UnitsPerChunk"/>) in the scratch
    /// of range <paramref name="range"/>, and returns where unit 0 would lie: unit u, for u in the chunk, starts
    /// u·unitLength elements after it, as in the tensor.
    /// </summary>
    public T* Make(int first, int end, int range)
    {
        int rangeLength = _blocks.Slots * _slotLength;
        T* rangeScratch = _scratch + ((nint)range * rangeLength);
        _blocks.Run(first * _unitLength, (end - first) * _unitLength, new Span<T>(rangeScratch, rangeLength), _slotLength, intoTargets: false);
        return rangeScratch + ((nint)_targetSlot * _slotLength) - ((nint)first * _unitLength);
    }
}
