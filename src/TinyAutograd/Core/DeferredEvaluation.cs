using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using TinyAutograd.Kernels;

namespace TinyAutograd;

/// <summary>
/// Computes deferred tensors (<see cref="DeferredPointwise{T}"/>) of one length in one pass: the deferred ops they need,
/// directly or through others, run block by block in dependency order, each into a scratch block that stays in cache,
/// and only the targets' values are written to memory (streamed past the caches when too large for them, as an eager
/// pass's would be). The deferred tensors on the way stay deferred, to be computed again if they are read themselves.
/// </summary>
/// <remarks>
/// σ(x)·x + e⁻ˣ over n floats reads x and writes the result once, where the five eager ops make seven passes over n
/// values in and five out. Large tensors are split into ranges of blocks over the cores (<see cref="ParallelRanges"/>).
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
internal static class DeferredEvaluation<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Block lengths are whole multiples of this many elements: whole 64-byte lines of floats and doubles alike.</summary>
    private const int BlockQuantum = 64;

    /// <summary>The single target of <see cref="Evaluate(Tensor{T})"/>, reused (evaluations run one at a time, under the deferral lock).</summary>
    private static readonly List<Tensor<T>> s_target = [];

    /// <summary>The scratch of the last evaluation, reused by the next one when large enough.</summary>
    private static ArraySegment<T> s_scratch = ArraySegment<T>.Empty;

    /// <summary>Computes <paramref name="target"/>'s values; the caller holds the deferral lock.</summary>
    public static void Evaluate(Tensor<T> target)
    {
        s_target.Add(target);
        try
        {
            Evaluate(s_target);
        }
        finally
        {
            s_target.Clear();
        }
    }

    /// <summary>
    /// Computes the values of <paramref name="targets"/> (distinct deferred tensors of one length) in one pass, each
    /// deferred op they need run once per block; the caller holds the deferral lock.
    /// </summary>
    public static void Evaluate(List<Tensor<T>> targets)
    {
        var blocks = DeferredBlocks<T>.For(targets);
        int length = targets[0].Length;
        bool streams = VectorLoops.StreamsWide<T>(length);
        int blockLength = BlockLength(length, blocks.Slots);
        int ranges = ParallelRanges.Count(length, blocks.WorkBytesPerElement);
        int scratchLength = ranges * blocks.Slots * blockLength;
        if (s_scratch.Count < scratchLength)
        {
            s_scratch = AlignedScratch.Allocate<T>(scratchLength);
        }
        ParallelRanges.Run(new PassRange(new Pass(blocks, s_scratch, blockLength, streams)), length, ranges);
        foreach (var target in targets)
        {
            target.MarkEvaluated();
        }
    }

    /// <summary>
    /// The block length for <paramref name="buffers"/> scratch blocks over <paramref name="length"/> elements: together
    /// they fill the L1 data cache, each a whole number of <see cref="BlockQuantum"/> elements.
    /// </summary>
    private static int BlockLength(int length, int buffers)
    {
        int perBuffer = (int)(CacheSizes.Machine.L1Data / Math.Max(1, buffers) / Unsafe.SizeOf<T>());
        return Math.Min(length, Math.Max(BlockQuantum, perBuffer / BlockQuantum * BlockQuantum));
    }

    /// <summary>One evaluation: its blocks and the scratch of every range.</summary>
    private sealed class Pass(DeferredBlocks<T> blocks, ArraySegment<T> scratch, int blockLength, bool streams)
    {
        /// <summary>The blocks of elements [start, end), in scratch range <paramref name="range"/>.</summary>
        public void Run(int start, int end, int range)
        {
            int rangeLength = blocks.Slots * blockLength;
            var rangeScratch = scratch.AsSpan().Slice(range * rangeLength, rangeLength);
            for (int blockStart = start; blockStart < end; blockStart += blockLength)
            {
                int count = Math.Min(blockLength, end - blockStart);
                if (!streams)
                {
                    blocks.FetchTargetsIntoL2(blockStart + blockLength, Math.Min(blockLength, end - blockStart - blockLength));
                }
                // Large targets are made in scratch and streamed past the caches; others straight into their values.
                blocks.Run(blockStart, count, rangeScratch, blockLength, intoTargets: !streams);
                for (int i = 0; streams && i < blocks.Targets.Count; i++)
                {
                    var target = blocks.Targets[i];
                    VectorLoops.StreamBlock<T>(rangeScratch.Slice(blocks.SlotOf(target) * blockLength, count), target.Buffer.AsSpan(blockStart, count));
                }
            }
            if (streams)
            {
                Sse.StoreFence();
            }
        }
    }

    /// <summary>One range of a pass.</summary>
    private readonly struct PassRange(Pass pass) : IRangeKernel
    {
        public void Run(int start, int end, int range) => pass.Run(start, end, range);
    }
}
