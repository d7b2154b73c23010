using System.Numerics;
using TinyAutograd.Kernels;

namespace TinyAutograd;

/// <summary>
/// The deferred ops some deferred tensors of one length (the targets) need, directly or through others, in dependency
/// order, with where each op's operands come from: computes any block of the targets' values, each op into a scratch
/// slot of its own, or a target straight into its own values when asked to. An evaluation
/// (<see cref="DeferredEvaluation{T}"/>) runs every block of it; the fused backward runs each of its blocks beside its
/// own steps, so that the deferred tensors a rule reads are made in cache and never written to memory.
/// </summary>
/// <remarks>Made under the deferral lock; the operands are fixed then, so the blocks may run on any thread afterwards.</remarks>
/// <typeparam name="T">The element type.</typeparam>
internal sealed class DeferredBlocks<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly DeferredPointwise<T>[] _ops;
    private readonly Tensor<T>[] _targets;
    private readonly int[] _targetSlots;
    private readonly int[] _targetOfSlot;
    private readonly Operand[] _first;
    private readonly Operand[] _second;

    private DeferredBlocks(List<DeferredPointwise<T>> order, List<Tensor<T>> targets)
    {
        _ops = [.. order];
        _targets = [.. targets];
        _targetSlots = new int[targets.Count];
        _targetOfSlot = new int[order.Count];
        Array.Fill(_targetOfSlot, -1);
        for (int i = 0; i < targets.Count; i++)
        {
            _targetSlots[i] = order.IndexOf(targets[i].DeferredOp);
            _targetOfSlot[_targetSlots[i]] = i;
        }
        _first = new Operand[order.Count];
        _second = new Operand[order.Count];
        for (int slot = 0; slot < order.Count; slot++)
        {
            var op = order[slot];
            _first[slot] = Operand.Of(op.First, order);
            _second[slot] = op.Second is null ? default : Operand.Of(op.Second, order);
            WorkBytesPerElement += op.WorkBytesPerElement;
        }
    }

    /// <summary>How many scratch slots a block needs: one per op.</summary>
    public int Slots => _ops.Length;

    /// <summary>The targets.</summary>
    public IReadOnlyList<Tensor<T>> Targets => _targets;

    /// <summary>The bytes an eager pass of every op would move per element, to weigh a split over the cores.</summary>
    public int WorkBytesPerElement { get; }

    /// <summary>The plan for <paramref name="targets"/> (distinct deferred tensors of one length); the caller holds the deferral lock.</summary>
    public static DeferredBlocks<T> For(List<Tensor<T>> targets)
    {
        var order = new List<DeferredPointwise<T>>();
        foreach (var target in targets)
        {
            if (!order.Contains(target.DeferredOp))
            {
                Gather(target, order);
            }
        }
        return new DeferredBlocks<T>(order, targets);
    }

    /// <summary>The scratch slot of target <paramref name="target"/>, or −1 when it is not one.</summary>
    public int SlotOf(Tensor<T> target)
    {
        int index = Array.IndexOf(_targets, target);
        return index < 0 ? -1 : _targetSlots[index];
    }

    /// <summary>
    /// Computes elements [blockStart, blockStart + count) of every op, op s into <c>scratch[s·stride ..]</c>, except that
    /// the targets go straight into their own values when <paramref name="intoTargets"/>.
    /// </summary>
    public void Run(int blockStart, int count, Span<T> scratch, int stride, bool intoTargets)
    {
        for (int slot = 0; slot < _ops.Length; slot++)
        {
            var second = _ops[slot].Second is null ? default : Block(_second[slot], blockStart, count, scratch, stride, intoTargets);
            _ops[slot].Run(Block(_first[slot], blockStart, count, scratch, stride, intoTargets), second, Destination(slot, blockStart, count, scratch, stride, intoTargets));
        }
    }

    /// <summary>Asks for the lines of elements [blockStart, blockStart + count) of every target to be brought into L2
    /// (<see cref="CacheLines.FetchIntoL2{T}"/>), ahead of a block whose ops write into the targets; nothing when count ≤ 0.</summary>
    public void FetchTargetsIntoL2(int blockStart, int count)
    {
        for (int i = 0; count > 0 && i < _targets.Length; i++)
        {
            CacheLines.FetchIntoL2<T>(_targets[i].Buffer.AsSpan(blockStart, count));
        }
    }

    /// <summary>Where op <paramref name="slot"/>'s block goes.</summary>
    private Span<T> Destination(int slot, int blockStart, int count, Span<T> scratch, int stride, bool intoTargets)
    {
        int target = intoTargets ? _targetOfSlot[slot] : -1;
        return target >= 0 ? _targets[target].Buffer.AsSpan(blockStart, count) : scratch.Slice(slot * stride, count);
    }

    /// <summary>An operand's block: where its op put it when it is computed here, else its own values.</summary>
    private ReadOnlySpan<T> Block(Operand operand, int blockStart, int count, Span<T> scratch, int stride, bool intoTargets) =>
        operand.Values is { } values ? values.AsSpan(blockStart, count) : Destination(operand.Slot, blockStart, count, scratch, stride, intoTargets);

    /// <summary>Adds the deferred ops <paramref name="tensor"/> needs, inputs first, each once (an op's slot is its place in the order).</summary>
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
        order.Add(op);
    }

    /// <summary>An op's operand: the values of a tensor in place, or the slot of the op that computes it here.</summary>
    private readonly record struct Operand(T[]? Values, int Slot)
    {
        public static Operand Of(Tensor<T> tensor, List<DeferredPointwise<T>> order) =>
            tensor.IsDeferred ? new(null, order.IndexOf(tensor.DeferredOp)) : new(tensor.Buffer, 0);
    }
}
