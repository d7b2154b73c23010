using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace TinyAutograd.Differentiation;

/// <summary>
/// The state of one backward walk (<see cref="BackwardEngine"/>): the nodes in walk order, the gradient reaching each,
/// what the caller asked for and where the gradients go. Kept per thread and reused by the next backward on that
/// thread, so a steady training loop does not allocate its arrays again.
/// </summary>
internal sealed class BackwardWalk<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [ThreadStatic]
    private static BackwardWalk<T>? t_spare;

    private readonly HashSet<T[]> _handedOut = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<Tensor<T>> _owned = new(ReferenceEqualityComparer.Instance);
    private Node<T>[] _nodes = new Node<T>[64];
    private long[] _order = new long[64];
    private Tensor<T>?[] _gradients = new Tensor<T>?[64];
    private bool[] _needed = new bool[64];
    private Node<T>[] _pending = new Node<T>[64];
    private Tensor<T>[] _requested = [];
    private int[] _sharesOfRequested = [];
    private int _requestedCount;
    private int _pendingCount;
    private int _count;

    private BackwardWalk() => Pointwise = new PointwiseBackwardPass<T>(this);

    /// <summary>The collected nodes in walk order (decreasing depth, <see cref="Node{T}.Depth"/>), <see cref="Count"/> of them.</summary>
    public Node<T>[] Nodes => _nodes;

    /// <summary>How many nodes <see cref="Collect"/> gathered.</summary>
    public int Count => _count;

    /// <summary>The gradients the caller asked for by tensor, by position (null when the pass fills leaves' <c>Grad</c>).</summary>
    public Tensor<T>[]? Results { get; private set; }

    /// <summary>What the pass hands back for each requested tensor.</summary>
    public RequestedForm Requested { get; private set; }

    /// <summary>Whether the pass returns the tangents of the requested gradients rather than the gradients.</summary>
    public bool TangentsOnly => Requested == RequestedForm.Tangents;

    /// <summary>Whether anomaly mode was on when the walk began (read once: it is thread-local state).</summary>
    public bool Anomaly { get; private set; }

    /// <summary>Whether the walk is neither recorded nor checked for anomalies, so that gradients may be added in place and by fused rules.</summary>
    public bool Fusable { get; private set; }

    /// <summary>The walk's pointwise pass, reused by its later runs.</summary>
    public PointwiseBackwardPass<T> Pointwise { get; }

    /// <summary>The thread's spare walk (or a new one when a backward runs inside another), set up for one pass.</summary>
    public static BackwardWalk<T> Rent(ReadOnlySpan<Tensor<T>> wrt, RequestedForm requested, bool anomaly, bool fusable)
    {
        var walk = t_spare ?? new BackwardWalk<T>();
        t_spare = null;
        walk.Results = wrt.IsEmpty ? null : new Tensor<T>[wrt.Length];
        if (walk._requested.Length < wrt.Length)
        {
            walk._requested = new Tensor<T>[wrt.Length];
            walk._sharesOfRequested = new int[wrt.Length];
        }
        wrt.CopyTo(walk._requested);
        walk._requestedCount = wrt.Length;
        walk.Requested = requested;
        walk.Anomaly = anomaly;
        walk.Fusable = fusable;
        return walk;
    }

    /// <summary>Frees the nodes it claimed, clears the references it holds and makes the walk the thread's spare again.</summary>
    public void Return()
    {
        for (int i = 0; i < _count; i++)
        {
            _nodes[i].Unclaim();
        }
        for (int i = 0; i < _pendingCount; i++)
        {
            _pending[i].Unclaim();
        }
        Array.Clear(_nodes, 0, _count);
        Array.Clear(_pending, 0, _pendingCount);
        Array.Clear(_gradients, 0, _count);
        Array.Clear(_requested, 0, _requestedCount);
        _handedOut.Clear();
        _owned.Clear();
        Pointwise.Clear();
        Results = null;
        _requestedCount = 0;
        _count = 0;
        _pendingCount = 0;
        t_spare = this;
    }

    /// <summary>
    /// Gathers and claims the nodes reachable from <paramref name="roots"/> in decreasing depth (a reverse
    /// topological order), with an explicit stack; returns their count. When the caller asked for some tensors' gradients,
    /// also marks which nodes a gradient can flow through towards them, and for a pass that wants their graphs alone,
    /// counts the shares that make each.
    /// </summary>
    /// <exception cref="InvalidOperationException">Another walk holds one of the nodes.</exception>
    public int Collect(ReadOnlySpan<Tensor<T>> roots)
    {
        foreach (var root in roots)
        {
            if (root.Producer is { } first && first.Claim(this))
            {
                Pend(first);
            }
        }
        while (_pendingCount > 0)
        {
            var node = _pending[--_pendingCount];
            Put(_pending, _pendingCount, null!);
            Append(node);
            for (int j = 0; j < node.InputCount; j++)
            {
                if (node.Input(j).Producer is { } producer && producer.Claim(this))
                {
                    Pend(producer);
                }
            }
        }
        bool ordered = true;
        for (int i = 0; i < _count; i++)
        {
            _order[i] = -_nodes[i].Depth;
            ordered &= i == 0 || _order[i - 1] <= _order[i];
        }
        if (!ordered)
        {
            Array.Sort(_order, _nodes, 0, _count);
        }
        for (int i = 0; i < _count; i++)
        {
            _nodes[i].WalkIndex = i;
        }
        if (Results is not null)
        {
            MarkNodesLeadingToRequested();
        }
        if (Requested == RequestedForm.Graphs)
        {
            CountSharesOfRequested(roots);
        }
        return _count;
    }

    /// <summary>Whether exactly one share makes requested tensor <paramref name="index"/>'s gradient (counted for a pass that wants graphs alone).</summary>
    public bool HasSoleShare(int index) => _sharesOfRequested[index] == 1;

    /// <summary>Whether a gradient through node <paramref name="index"/> can reach a requested tensor (always, when the pass fills leaves' <c>Grad</c>).</summary>
    public bool IsNeeded(int index) => Results is null || _needed[index];

    /// <summary>Fails, before any gradient is delivered, when a tensor a needed node saved was written in place since.</summary>
    public void CheckVersions()
    {
        for (int i = 0; i < _count; i++)
        {
            if (IsNeeded(i))
            {
                _nodes[i].CheckVersions();
            }
        }
    }

    /// <summary>
    /// Starts the walk with ∂L/∂root = <paramref name="seed"/> (delivered at once when the root is a leaf; added to the
    /// seed of an earlier root that is the same tensor).
    /// </summary>
    public void Seed(Tensor<T> root, Tensor<T> seed)
    {
        HandOut(seed);
        if (root.Producer is { } producer)
        {
            ref var gradient = ref _gradients[producer.WalkIndex];
            gradient = gradient is { } earlier ? earlier + seed : seed;
            return;
        }
        var target = GradientTarget<T>.Locate(root, this);
        if (target.Kind != TargetKind.None && (TangentsOnly ? seed.Tangent : seed) is { } share)
        {
            target.Set(target.Get(this) is { } earlier ? earlier + share : share, this);
        }
    }

    /// <summary>
    /// The complete gradient of node <paramref name="index"/>'s output, taken out of the walk (its slot is freed); null
    /// when none reached it or it cannot reach a requested tensor. The walk no longer owns it: rules may keep it.
    /// </summary>
    public Tensor<T>? TakeGradient(int index)
    {
        var gradient = _gradients[index];
        _gradients[index] = null;
        if (gradient is null || !IsNeeded(index))
        {
            return null;
        }
        Disown(gradient);
        return gradient;
    }

    /// <summary>The gradient collected so far for node <paramref name="index"/>'s output.</summary>
    public Tensor<T>? GradientOf(int index) => _gradients[index];

    /// <summary>Sets the gradient collected so far for node <paramref name="index"/>'s output.</summary>
    public void SetGradientOf(int index, Tensor<T> gradient) => _gradients[index] = gradient;

    /// <summary>Hands the gradient of <paramref name="tensor"/> (a node's output) to the caller when the caller asked for it.</summary>
    public void DeliverIfRequested(Tensor<T> tensor, Tensor<T> gradient)
    {
        var share = TangentsOnly ? gradient.Tangent : gradient;
        if (Results is not null && share is not null && IndexOfRequested(tensor) is var index and >= 0)
        {
            Results[index] = HandOut(share);
        }
    }

    /// <summary>The position of <paramref name="tensor"/> among the tensors the caller asked for, or −1.</summary>
    public int IndexOfRequested(Tensor<T> tensor)
    {
        for (int i = 0; i < _requestedCount; i++)
        {
            if (ReferenceEquals(_requested[i], tensor))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>
    /// Marks <paramref name="sum"/> as made by this walk and referenced only where the walk put it (one gradient slot
    /// or one leaf's result), so later contributions may be added into it in place.
    /// </summary>
    public void Own(Tensor<T> sum) => _owned.Add(sum);

    /// <summary>Whether <paramref name="gradient"/> may be written in place (see <see cref="Own"/>).</summary>
    public bool Owns(Tensor<T> gradient) => _owned.Count > 0 && _owned.Contains(gradient);

    /// <summary>
    /// Returns <paramref name="gradient"/> for the caller to keep, or a copy of it when its memory was already handed
    /// out in this walk (or is the seed's), so that no two gradients the caller holds share memory. A recorded
    /// gradient (create-graph mode) is returned as is: it cannot be written in place.
    /// </summary>
    public Tensor<T> HandOut(Tensor<T> gradient)
    {
        if (gradient.Producer is not null)
        {
            return gradient;
        }
        if (_handedOut.Add(gradient.Storage))
        {
            return gradient;
        }
        var copy = gradient.CopyWithTangent();
        _handedOut.Add(copy.Storage);
        return copy;
    }

    /// <summary>Drops every node's references to its inputs and output (the graph is not retained).</summary>
    public void ReleaseNodes()
    {
        for (int i = 0; i < _count; i++)
        {
            _nodes[i].Release();
        }
    }

    /// <summary>Ends ownership before a gradient goes to backward rules, which may pass it on or keep views of it.</summary>
    private void Disown(Tensor<T> gradient)
    {
        if (_owned.Count > 0)
        {
            _owned.Remove(gradient);
        }
    }

    /// <summary>Marks the nodes through which a gradient can reach a requested tensor, so the others are skipped.</summary>
    private void MarkNodesLeadingToRequested()
    {
        for (int i = _count - 1; i >= 0; i--)
        {
            var node = _nodes[i];
            bool leads = IndexOfRequested(node.Output) >= 0;
            for (int j = 0; j < node.InputCount && !leads; j++)
            {
                var input = node.Input(j);
                leads = input.Producer is { } producer ? _needed[producer.WalkIndex] : input.RequiresGrad && IndexOfRequested(input) >= 0;
            }
            _needed[i] = leads;
        }
    }

    /// <summary>
    /// Counts, for each requested leaf, the node inputs (and roots) it is: the shares its gradient will be the sum of.
    /// </summary>
    private void CountSharesOfRequested(ReadOnlySpan<Tensor<T>> roots)
    {
        Array.Clear(_sharesOfRequested, 0, _requestedCount);
        foreach (var root in roots)
        {
            CountShare(root);
        }
        for (int i = 0; i < _count; i++)
        {
            if (!IsNeeded(i))
            {
                continue;
            }
            var node = _nodes[i];
            for (int j = 0; j < node.InputCount; j++)
            {
                CountShare(node.Input(j));
            }
        }
    }

    private void CountShare(Tensor<T> tensor)
    {
        if (tensor.Producer is null && tensor.RequiresGrad && IndexOfRequested(tensor) is var index and >= 0)
        {
            _sharesOfRequested[index]++;
        }
    }

    /// <summary>Puts a claimed node on the stack of nodes still to be appended.</summary>
    private void Pend(Node<T> node)
    {
        if (_pendingCount == _pending.Length)
        {
            Array.Resize(ref _pending, _pendingCount * 2);
        }
        Put(_pending, _pendingCount++, node);
    }

    private void Append(Node<T> node)
    {
        if (_count == _nodes.Length)
        {
            Array.Resize(ref _nodes, _count * 2);
            Array.Resize(ref _order, _count * 2);
            Array.Resize(ref _gradients, _count * 2);
            Array.Resize(ref _needed, _count * 2);
            Pointwise.Grow(_count * 2);
        }
        Put(_nodes, _count++, node);
    }

    /// <summary>
    /// nodes[index] = node without the runtime's array-covariance check (a call per store: an array of a non-sealed class
    /// could be an array of a subclass); the arrays here are always exactly <c>Node&lt;T&gt;[]</c>.
    /// </summary>
    private static void Put(Node<T>[] nodes, int index, Node<T> node)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)nodes.Length, nameof(index));
        Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(nodes), index) = node;
    }
}
