using System.Numerics;

namespace TinyAutograd;

/// <summary>What sends a tensor's storage access off the fast path (<see cref="Tensor{T}.Storage"/>).</summary>
[Flags]
internal enum TensorState : byte
{
    /// <summary>Values in place, nothing waiting on them.</summary>
    None = 0,

    /// <summary>An arena recycled the buffer; reading throws.</summary>
    Retired = 1,

    /// <summary>The values are not computed yet (<see cref="DeferredPointwise{T}"/>).</summary>
    Deferred = 2,

    /// <summary>Deferred tensors read this one: they are computed before its storage is handed out.</summary>
    HasDeferredDependents = 4,

    /// <summary>Its arena is ending and will retire it: its deferred dependents that outlive it are computed first.</summary>
    Retiring = 8,

    /// <summary>Recorded for its graph alone, its values never computed (<see cref="Tensor{T}.Unformed"/>); reading throws.</summary>
    Unformed = 16,
}

public sealed partial class Tensor<T>
{
    /// <summary>Serializes the bookkeeping of deferred tensors and their evaluation across threads.</summary>
    private static readonly Lock s_deferralGate = new();

    /// <summary>The buffer as it is, values computed or not: for the arenas' bookkeeping and the deferred evaluation.</summary>
    internal T[] Buffer => _storage;

    /// <summary>Throws the error a read of this tensor's values would when an arena retired it.</summary>
    internal void ThrowIfRetired()
    {
        if (IsRetired)
        {
            throw RetiredError();
        }
    }

    /// <summary>Whether this tensor's values wait to be computed.</summary>
    internal bool IsDeferred => (_state & TensorState.Deferred) != 0;

    /// <summary>The op that computes this deferred tensor.</summary>
    internal DeferredPointwise<T> DeferredOp => _rare!.Deferred!;

    /// <summary>Whether an op reading this tensor may be deferred: no view shares its storage, it was never written in place, and it is alive.</summary>
    internal bool MayBeDeferredInput => _writes is null && (_state & (TensorState.Retired | TensorState.Retiring | TensorState.Unformed)) == 0 && Tangent is null;

    /// <summary>A tensor of <paramref name="shape"/> whose values <paramref name="op"/> computes when first read.</summary>
    internal static Tensor<T> Deferred(Shape shape, DeferredPointwise<T> op)
    {
        var result = Uninitialized(shape);
        lock (s_deferralGate)
        {
            result.Rare.Deferred = op;
            result._state |= TensorState.Deferred;
            op.First.AddDependent(result);
            if (op.Second is { } second && second != op.First)
            {
                second.AddDependent(result);
            }
        }
        return result;
    }

    /// <summary>Notes that <paramref name="dependent"/> reads this tensor, dropping dependents nobody can reach any more.</summary>
    private void AddDependent(Tensor<T> dependent)
    {
        var dependents = Rare.Dependents ??= [];
        if (dependents.Count >= 8 && (dependents.Count & (dependents.Count - 1)) == 0)
        {
            dependents.RemoveAll(weak => !weak.TryGetTarget(out var live) || live.IsRetired);
        }
        dependents.Add(new WeakReference<Tensor<T>>(dependent));
        _state |= TensorState.HasDeferredDependents;
    }

    /// <summary>The storage once its values may be read: throws when retired; computes the values when deferred.</summary>
    private T[] ReadableStorage()
    {
        ThrowIfRetired();
        ThrowIfUnformed();
        if (IsDeferred)
        {
            lock (s_deferralGate)
            {
                if (IsDeferred)
                {
                    DeferredEvaluation<T>.Evaluate(this);
                }
            }
        }
        return _storage;
    }

    /// <summary>
    /// The blocks (<see cref="DeferredBlocks{T}"/>) of the distinct deferred tensors of <paramref name="length"/>
    /// elements among <paramref name="tensors"/>, or null when there are none; deferred tensors of other lengths are
    /// computed now.
    /// </summary>
    internal static DeferredBlocks<T>? DeferredBlocksOf(List<Tensor<T>> tensors, int length)
    {
        lock (s_deferralGate)
        {
            for (int i = tensors.Count - 1; i >= 0; i--)
            {
                if (tensors[i].IsDeferred && tensors[i].Length != length)
                {
                    DeferredEvaluation<T>.Evaluate(tensors[i]);
                }
                if (!tensors[i].IsDeferred || tensors.IndexOf(tensors[i]) < i)
                {
                    tensors.RemoveAt(i);
                }
            }
            return tensors.Count > 0 ? DeferredBlocks<T>.For(tensors) : null;
        }
    }

    /// <summary>
    /// The storage once it may be handed out: throws when retired; computes the values when deferred; computes the
    /// deferred tensors that read it first, since whoever asks may write.
    /// </summary>
    private T[] SettledStorage()
    {
        var storage = ReadableStorage();
        if ((_state & TensorState.HasDeferredDependents) != 0)
        {
            lock (s_deferralGate)
            {
                if ((_state & TensorState.HasDeferredDependents) != 0)
                {
                    SettleDependents();
                }
            }
        }
        return storage;
    }

    /// <summary>
    /// Computes every live deferred tensor that reads this one's values, directly or through deferred tensors that are
    /// being retired, so that none of them sees this buffer change or go; then forgets them.
    /// </summary>
    private void SettleDependents()
    {
        var dependents = _rare!.Dependents!;
        _rare.Dependents = null;
        _state &= ~TensorState.HasDeferredDependents;
        foreach (var weak in dependents)
        {
            if (!weak.TryGetTarget(out var dependent) || !dependent.IsDeferred || dependent.IsRetired)
            {
                continue;
            }
            if ((dependent._state & TensorState.Retiring) != 0)
            {
                if ((dependent._state & TensorState.HasDeferredDependents) != 0)
                {
                    dependent.SettleDependents();
                }
                continue;
            }
            DeferredEvaluation<T>.Evaluate(dependent);
        }
    }

    /// <summary>Marks this tensor as about to be retired with its arena (<see cref="TensorState.Retiring"/>).</summary>
    internal void MarkRetiring() => _state |= TensorState.Retiring;

    /// <summary>
    /// Marks this tensor as dead because its arena recycled its buffer; deferred tensors that read it and live on are
    /// computed first, and a deferred value nobody read is dropped uncomputed.
    /// </summary>
    internal void Retire()
    {
        if ((_state & (TensorState.Deferred | TensorState.HasDeferredDependents)) == 0)
        {
            _state = TensorState.Retired;
            _storage = [];
            return;
        }
        lock (s_deferralGate)
        {
            if ((_state & TensorState.HasDeferredDependents) != 0)
            {
                SettleDependents();
            }
            _state = TensorState.Retired;
            _storage = [];
            if (_rare is not null)
            {
                _rare.Deferred = null;
            }
        }
    }

    /// <summary>Marks a deferred tensor's values as computed and lets go of the op and its inputs.</summary>
    internal void MarkEvaluated()
    {
        _state &= ~TensorState.Deferred;
        _rare!.Deferred = null;
    }
}
