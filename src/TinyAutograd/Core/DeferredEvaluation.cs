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

    /// <summary>The ops of the evaluation under way, reused (evaluations run one at a time, under the deferral lock).</summary>
    private static readonly List<DeferredPointwise<T>> s_order = [];

    /// <summary>The single target of <see cref="Evaluate(Tensor{T})"/>, reused likewise.</summary>
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
        var order = s_order;
        try
        {
            foreach (var target in targets)
            {
                if (!order.Contains(target.DeferredOp))
                {
                    Gather(target, order);
                }
            }
            Run(targets, order);
        }
        finally
        {
            order.Clear();
        }
        foreach (var target in targets)
        {
            target.MarkEvaluated();
        }
    }

    /// <summary>The pass over the targets' blocks that runs <paramref name="order"/>.</summary>
    private static void Run(List<Tensor<T>> targets, List<DeferredPointwise<T>> order)
    {
        int length = targets[0].Length;
        bool streams = VectorLoops.StreamsWide<T>(length);
        // Each op has a scratch block (the targets' go unused unless their blocks are streamed out).
        int buffers = order.Count;
        int perBuffer = (int)(CacheSizes.Machine.L1Data / buffers / Unsafe.SizeOf<T>());
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
        var outputs = new T[]?[order.Count];
        foreach (var target in targets)
        {
            outputs[target.DeferredOp.Slot] = target.Buffer;
        }
        var pass = new Pass(order, outputs, s_scratch, buffers, blockLength, streams);
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

    /// <summary>One evaluation: its ops in order, the targets' buffers (by op) and the scratch of every range.</summary>
    private sealed class Pass(List<DeferredPointwise<T>> order, T[]?[] outputs, ArraySegment<T> scratch, int buffers, int blockLength, bool streams)
    {
        /// <summary>The blocks of elements [start, end), in scratch range <paramref name="range"/>.</summary>
        public void Run(int start, int end, int range)
        {
            var rangeScratch = scratch.AsSpan().Slice(range * buffers * blockLength, buffers * blockLength);
            for (int blockStart = start; blockStart < end; blockStart += blockLength)
            {
                int count = Math.Min(blockLength, end - blockStart);
                for (int i = 0; i < order.Count; i++)
                {
                    var op = order[i];
                    var second = op.Second is null ? default : Block(op.Second, rangeScratch, blockStart, count);
                    op.Run(Block(op.First, rangeScratch, blockStart, count), second, Destination(i, rangeScratch, blockStart, count));
                }
                for (int i = 0; streams && i < order.Count; i++)
                {
                    if (outputs[i] is { } output)
                    {
                        VectorLoops.StreamBlock<T>(rangeScratch.Slice(i * blockLength, count), output.AsSpan(blockStart, count));
                    }
                }
            }
            if (streams)
            {
                Sse.StoreFence();
            }
        }

        /// <summary>Where op <paramref name="slot"/>'s block goes: a target's own values unless they are streamed out, else its scratch block.</summary>
        private Span<T> Destination(int slot, Span<T> rangeScratch, int blockStart, int count) =>
            outputs[slot] is { } output && !streams ? output.AsSpan(blockStart, count) : rangeScratch.Slice(slot * blockLength, count);

        /// <summary>An input's block: where its op put it when it is deferred (and so computed in this pass), else its own values.</summary>
        private ReadOnlySpan<T> Block(Tensor<T> input, Span<T> rangeScratch, int blockStart, int count) =>
            input.IsDeferred ? Destination(input.DeferredOp.Slot, rangeScratch, blockStart, count) : input.Buffer.AsSpan(blockStart, count);
    }

    /// <summary>One range of a pass.</summary>
    private readonly struct PassRange(Pass pass) : IRangeKernel
    {
        public void Run(int start, int end, int range) => pass.Run(start, end, range);
    }
}
