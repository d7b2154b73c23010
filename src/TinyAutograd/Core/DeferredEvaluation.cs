using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using TinyAutograd.Kernels;

namespace TinyAutograd;

/// <summary>
/// Computes a deferred tensor (<see cref="DeferredPointwise{T}"/>) in one pass: the deferred tensors it reads, directly or
/// through others, run block by block in dependency order, each into a scratch block that stays in cache, and only the
/// target's values are written to memory (streamed past the caches when it is too large for them, as an eager pass's
/// would be). The deferred tensors on the way stay deferred, to be computed again if they are read themselves.
/// </summary>
/// <remarks>
/// σ(x)·x + e⁻ˣ over n floats reads x and writes the result once, where the five eager ops make seven passes over n
/// values in and five out. Large tensors are split into ranges of blocks over the cores (<see cref="ParallelRanges"/>).
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
internal static class DeferredEvaluation<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Block lengths are whole multiples of this many elements (64-byte lines of doubles, eight of floats).</summary>
    private const int BlockQuantum = 64;

    /// <summary>The ops of the evaluation under way, reused (evaluations run one at a time, under the deferral lock).</summary>
    private static readonly List<DeferredPointwise<T>> s_order = [];

    /// <summary>The scratch of the last evaluation, reused by the next one when large enough.</summary>
    private static ArraySegment<T> s_scratch = ArraySegment<T>.Empty;

    /// <summary>Computes <paramref name="target"/>'s values; the caller holds the deferral lock.</summary>
    public static void Evaluate(Tensor<T> target)
    {
        var order = s_order;
        try
        {
            Gather(target, order);
            Run(target, order);
        }
        finally
        {
            order.Clear();
        }
        target.MarkEvaluated();
    }

    /// <summary>The pass over <paramref name="target"/>'s blocks that runs <paramref name="order"/>.</summary>
    private static void Run(Tensor<T> target, List<DeferredPointwise<T>> order)
    {
        int length = target.Length;
        bool streams = VectorLoops.StreamsWide<T>(length);
        // Every op but the last has a scratch block; so has the last when its block is streamed out.
        int buffers = order.Count - 1 + (streams ? 1 : 0);
        int perBuffer = (int)(CacheSizes.Machine.L1Data / Math.Max(1, buffers) / Unsafe.SizeOf<T>());
        int blockLength = Math.Min(length, Math.Max(BlockQuantum, perBuffer / BlockQuantum * BlockQuantum));
        int work = 0;
        foreach (var op in order)
        {
            work += op.WorkBytesPerElement;
        }
        int ranges = ParallelRanges.Count(length, work);
        int scratchLength = ranges * buffers * blockLength;
        if (s_scratch.Count < scratchLength)
        {
            s_scratch = AlignedScratch.Allocate<T>(scratchLength);
        }
        var pass = new Pass(order, target.Buffer, s_scratch, buffers, blockLength, streams);
        ParallelRanges.Run(new PassRange(pass), length, ranges);
    }

    /// <summary>Adds the deferred ops <paramref name="tensor"/> needs, inputs first, each once, numbering their scratch slots.</summary>
    private static void Gather(Tensor<T> tensor, List<DeferredPointwise<T>> order)
    {
        var op = tensor.DeferredOp;
        foreach (var input in op.Second is null ? [op.First] : (ReadOnlySpan<Tensor<T>>)[op.First, op.Second])
        {
            if (input.IsDeferred && !order.Contains(input.DeferredOp))
            {
                Gather(input, order);
            }
        }
        op.Slot = order.Count;
        order.Add(op);
    }

    /// <summary>One evaluation: its ops in order, the target's buffer and the scratch of every range.</summary>
    private sealed class Pass(List<DeferredPointwise<T>> order, T[] target, ArraySegment<T> scratch, int buffers, int blockLength, bool streams)
    {
        /// <summary>The blocks of elements [start, end), in scratch range <paramref name="range"/>.</summary>
        public void Run(int start, int end, int range)
        {
            var rangeScratch = scratch.AsSpan().Slice(range * buffers * blockLength, buffers * blockLength);
            int last = order.Count - 1;
            for (int blockStart = start; blockStart < end; blockStart += blockLength)
            {
                int count = Math.Min(blockLength, end - blockStart);
                for (int i = 0; i <= last; i++)
                {
                    var op = order[i];
                    var destination = i == last && !streams ? target.AsSpan(blockStart, count) : rangeScratch.Slice(i * blockLength, count);
                    var second = op.Second is null ? default : Block(op.Second, rangeScratch, blockStart, count);
                    op.Run(Block(op.First, rangeScratch, blockStart, count), second, destination);
                }
                if (streams)
                {
                    VectorLoops.StreamBlock<T>(rangeScratch.Slice(last * blockLength, count), target.AsSpan(blockStart, count));
                }
            }
            if (streams)
            {
                Sse.StoreFence();
            }
        }

        /// <summary>An input's block: its scratch block when it is deferred (and so computed in this pass), else its own values.</summary>
        private ReadOnlySpan<T> Block(Tensor<T> input, Span<T> rangeScratch, int blockStart, int count) =>
            input.IsDeferred
                ? rangeScratch.Slice(input.DeferredOp.Slot * blockLength, count)
                : input.Buffer.AsSpan(blockStart, count);
    }

    /// <summary>One range of a pass.</summary>
    private readonly struct PassRange(Pass pass) : IRangeKernel
    {
        public void Run(int start, int end, int range) => pass.Run(start, end, range);
    }
}
