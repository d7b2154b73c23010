using System.Numerics;
using System.Numerics.Tensors;

namespace TinyAutograd.Autodiff;

/// <summary>
/// Reverse mode: walks the recorded graph from one output back to the leaves, without recursion.
/// </summary>
/// <remarks>
/// <para>
/// The nodes reachable from the output are gathered with an explicit stack, then visited in decreasing creation
/// order, which is a reverse topological order (a node is always created after its inputs' nodes). Gradients live in
/// an array indexed by each node's position in that order and are freed as soon as their node has been processed.
/// The walk's arrays are kept per thread and reused, so a steady training loop does not allocate them again.
/// </para>
/// <para>
/// Failure is all or nothing where it can be checked up front: every node's saved tensors are checked for in-place
/// writes before any gradient is delivered, and a walk claims its nodes so that a second walk over the same graph at
/// the same time fails before computing anything. Gradients handed to the caller never share memory with each other
/// or with the seed, so writing into one (gradient clipping) cannot change another.
/// </para>
/// </remarks>
internal static partial class BackwardEngine
{
    /// <summary>
    /// Propagates <paramref name="seed"/> (∂L/∂root) backward. With <paramref name="wrt"/> empty, adds the gradients into
    /// every reachable leaf's <see cref="Tensor{T}.Grad"/> and returns null; otherwise returns ∂L/∂wrt[i] for each
    /// (zeros for an input the output does not depend on) and leaves every <c>Grad</c> untouched. With
    /// <paramref name="tangentsOnly"/>, returns instead the tangents those gradients carry (forward-over-reverse: ∇²f·v
    /// for tangents v), and the rules that end at leaves form only the tangent (<see cref="Node{T}.InputGradientTangent"/>).
    /// </summary>
    public static Tensor<T>[]? Run<T>(Tensor<T> root, Tensor<T> seed, ReadOnlySpan<Tensor<T>> wrt, bool createGraph, bool retainGraph, string operation, bool tangentsOnly = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!root.RequiresGrad)
        {
            throw new InvalidOperationException(
                $"{operation}: {root.Describe()} does not require grad: it was not computed from any tensor with RequiresGrad = true, " +
                "or it was computed inside GradMode.Disable(). Call RequireGrad() on the inputs you differentiate with respect to.");
        }
        if (seed.Shape != root.Shape)
        {
            throw new ArgumentException(
                $"{operation}: the seed gradient has shape {seed.Shape} but the output has shape {root.Shape}; they must match.", nameof(seed));
        }
        // Entries stay null until a gradient reaches them; FillUnreached puts zeros in the rest before they are returned.
        var results = wrt.IsEmpty ? null : new Tensor<T>[wrt.Length];
        var walk = Walk<T>.Rent();
        walk.Results = results;
        try
        {
            int count = walk.Collect(root);
            var nodes = walk.Nodes;
            var grads = walk.Gradients;
            bool[]? needed = results is null ? null : MarkNodesLeadingTo(nodes, count, wrt, walk.Needed);
            for (int i = 0; i < count; i++)
            {
                if (needed is null || needed[i])
                {
                    nodes[i].CheckVersions();
                }
            }
            walk.HandOut(seed);
            if (root.Producer is null)
            {
                Deliver(root, tangentsOnly ? seed.Tangent : seed, wrt, results, walk);
            }
            else
            {
                grads[root.Producer.WalkIndex] = seed;
            }

            walk.Anomaly = AnomalyMode.IsEnabled;
            walk.Fusable = !createGraph && !walk.Anomaly;
            bool pointwise = walk.Fusable && !tangentsOnly;
            var ready = GradientReadyHooks.Plan(nodes, count, fillsGrad: results is null);
            using (GradMode.Set(createGraph))
            {
                for (int i = 0; i < count; i++)
                {
                    ready?.Reached(i);
                    var gradient = grads[i];
                    grads[i] = null;
                    if (gradient is null || (needed is not null && !needed[i]))
                    {
                        continue;
                    }
                    walk.Disown(gradient);
                    var node = nodes[i];
                    DeliverIfRequested(node.Output, tangentsOnly ? gradient.Tangent : gradient, wrt, results, walk);
                    if (pointwise && gradient.Length >= PointwiseRegion<T>.MinLength && TryRunPointwise(i, gradient, wrt, needed, walk))
                    {
                        continue;
                    }
                    for (int j = 0; j < node.InputCount; j++)
                    {
                        var target = GradientTarget<T>.Locate(node.Input(j), needed, wrt, walk);
                        if (target.Kind != TargetKind.None &&
                            Accumulate(node, j, gradient, target.Get(walk), walk, tangentOnly: tangentsOnly && target.Kind == TargetKind.Result) is { } sum)
                        {
                            target.Set(sum, walk);
                        }
                    }
                }
                ready?.Reached(count);
            }

            if (!retainGraph)
            {
                for (int i = 0; i < count; i++)
                {
                    nodes[i].Release();
                }
            }
        }
        finally
        {
            walk.Return();
        }
        return results is null ? null : FillUnreached(results, wrt);
    }

    /// <summary>Marks the nodes through which a gradient can reach one of <paramref name="wrt"/>, so the others are skipped.</summary>
    private static bool[] MarkNodesLeadingTo<T>(Node<T>[] nodes, int count, ReadOnlySpan<Tensor<T>> wrt, bool[] needed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = count - 1; i >= 0; i--)
        {
            var node = nodes[i];
            bool leads = IndexOf(wrt, node.Output) >= 0;
            for (int j = 0; j < node.InputCount && !leads; j++)
            {
                var input = node.Input(j);
                leads = input.Producer is { } producer ? needed[producer.WalkIndex] : input.RequiresGrad && IndexOf(wrt, input) >= 0;
            }
            needed[i] = leads;
        }
        return needed;
    }

    private static void DeliverIfRequested<T>(Tensor<T> tensor, Tensor<T>? gradient, ReadOnlySpan<Tensor<T>> wrt, Tensor<T>[]? results, Walk<T> walk)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (results is not null && gradient is not null)
        {
            int index = IndexOf(wrt, tensor);
            if (index >= 0)
            {
                results[index] = walk.HandOut(gradient);
            }
        }
    }

    /// <summary>
    /// <paramref name="accumulated"/> (null before the first contribution) plus input <paramref name="index"/>'s share of
    /// the gradient through <paramref name="node"/>. When the pass is fusable (not recorded, no anomaly checks) and
    /// nothing carries a tangent, a pointwise op's rule adds its share in one pass, in place when the walk owns the
    /// accumulated tensor, and a new sum made here is owned by the walk until it is handed to a rule. With
    /// <paramref name="tangentOnly"/> the share is only the tangent of the input's gradient (a Hessian-vector product's
    /// leaves), and a zero tangent (null) leaves <paramref name="accumulated"/> as it is.
    /// </summary>
    private static Tensor<T>? Accumulate<T>(Node<T> node, int index, Tensor<T> gradient, Tensor<T>? accumulated, Walk<T> walk, bool tangentOnly)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool plain = walk.Fusable && !tangentOnly && accumulated is { Tangent: null } && gradient.Tangent is null && !node.CarriesTangents();
        bool inPlace = plain && walk.Owns(accumulated!);
        if (plain && PointwiseRule(node) is { } rule)
        {
            var fused = inPlace ? accumulated! : Tensor<T>.Uninitialized(accumulated!.Shape);
            rule.AddInputGradient(index, 0, gradient.Data, accumulated!.Data, fused.Storage);
            walk.Own(fused);
            return fused;
        }
        Tensor<T>? contribution;
        using (walk.Anomaly ? AnomalyMode.InBackwardOf(node) : default)
        {
            contribution = tangentOnly ? node.InputGradientTangent(index, gradient) : node.InputGradient(index, gradient);
        }
        if (contribution is null)
        {
            return accumulated;
        }
        Validate(node, index, node.Input(index), contribution, walk.Anomaly);
        if (accumulated is null)
        {
            return contribution;
        }
        if (inPlace && contribution.Tangent is null)
        {
            TensorPrimitives.Add(accumulated.Data, contribution.Data, accumulated.Storage);
            return accumulated;
        }
        var sum = accumulated + contribution;
        if (plain && sum.Tangent is null)
        {
            walk.Own(sum);
        }
        return sum;
    }

    /// <summary>Delivers the seed itself when the root is a leaf (the output differentiated with respect to itself).</summary>
    private static void Deliver<T>(Tensor<T> leaf, Tensor<T>? gradient, ReadOnlySpan<Tensor<T>> wrt, Tensor<T>[]? results, Walk<T> walk)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (gradient is null)
        {
            return;
        }
        if (results is null)
        {
            leaf.SetGradFromBackward(walk.HandOut(leaf.Grad is null ? gradient : leaf.Grad + gradient));
            return;
        }
        int index = IndexOf(wrt, leaf);
        if (index >= 0)
        {
            results[index] = walk.HandOut(results[index] is { } earlier ? earlier + gradient : gradient);
        }
    }

    private static void Validate<T>(Node<T> node, int index, Tensor<T> input, Tensor<T> gradient, bool anomaly)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (gradient.Shape != input.Shape)
        {
            throw new InvalidOperationException(
                $"Backward through '{node.Name}': the rule for input {index} returned a gradient of shape {gradient.Shape} for an input of shape {input.Shape}.");
        }
        if (anomaly)
        {
            AnomalyMode.Check(node, gradient, "backward");
        }
    }

    private static Tensor<T>[] FillUnreached<T>(Tensor<T>[] results, ReadOnlySpan<Tensor<T>> wrt)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < results.Length; i++)
        {
            results[i] ??= Tensor<T>.ZerosOf(wrt[i].Shape);
        }
        return results;
    }

    private static int IndexOf<T>(ReadOnlySpan<Tensor<T>> tensors, Tensor<T> tensor)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < tensors.Length; i++)
        {
            if (ReferenceEquals(tensors[i], tensor))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>The arrays of one walk, kept per thread and reused by the next backward on that thread.</summary>
    private sealed class Walk<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic]
        private static Walk<T>? t_spare;

        private readonly HashSet<T[]> _handedOut = new(ReferenceEqualityComparer.Instance);
        private readonly HashSet<Tensor<T>> _owned = new(ReferenceEqualityComparer.Instance);
        private Node<T>[] _nodes = new Node<T>[64];
        private long[] _order = new long[64];
        private Tensor<T>?[] _gradients = new Tensor<T>?[64];
        private bool[] _needed = new bool[64];
        private int[] _firstConsumers = new int[64];
        private bool _firstConsumersFound;
        private Node<T>[] _pending = new Node<T>[64];
        private int _pendingCount;
        private int _count;

        public Node<T>[] Nodes => _nodes;

        /// <summary>How many nodes <see cref="Collect"/> gathered.</summary>
        public int Count => _count;

        /// <summary>The gradients the caller asked for by tensor (null when the pass fills leaves' <c>Grad</c>).</summary>
        public Tensor<T>[]? Results { get; set; }

        /// <summary>The walk's reusable run of pointwise ops.</summary>
        public PointwiseRegion<T> Region { get; } = new();

        /// <summary>Where each of the current run's outflows goes, in the run's outflow order.</summary>
        public List<GradientTarget<T>> OutflowTargets { get; } = [];

        /// <summary>
        /// For each node, the walk position of the first node that uses its output (−1 for the root): a node's gradient
        /// is complete once the nodes from there on have run. Found on first use in a walk.
        /// </summary>
        public int[] FirstConsumers
        {
            get
            {
                if (!_firstConsumersFound)
                {
                    FindFirstConsumers();
                    _firstConsumersFound = true;
                }
                return _firstConsumers;
            }
        }

        private void FindFirstConsumers()
        {
            Array.Fill(_firstConsumers, -1, 0, _count);
            for (int i = 0; i < _count; i++)
            {
                var node = _nodes[i];
                for (int j = 0; j < node.InputCount; j++)
                {
                    if (node.Input(j).Producer is { } producer && _firstConsumers[producer.WalkIndex] < 0)
                    {
                        _firstConsumers[producer.WalkIndex] = i;
                    }
                }
            }
        }

        /// <summary>Whether anomaly mode was on when the walk began (read once: it is thread-local state).</summary>
        public bool Anomaly { get; set; }

        /// <summary>Whether gradient contributions may be added by the ops' fused rules: the walk is not recorded and not checked for anomalies.</summary>
        public bool Fusable { get; set; }

        public Tensor<T>?[] Gradients => _gradients;

        /// <summary>Scratch flags, one per collected node: whether a gradient through it can reach a requested input.</summary>
        public bool[] Needed => _needed;

        /// <summary>The thread's spare walk, or a new one when a backward runs inside another.</summary>
        public static Walk<T> Rent()
        {
            var walk = t_spare ?? new Walk<T>();
            t_spare = null;
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
            _handedOut.Clear();
            Region.Clear();
            OutflowTargets.Clear();
            Results = null;
            _firstConsumersFound = false;
            _owned.Clear();
            _count = 0;
            _pendingCount = 0;
            t_spare = this;
        }

        /// <summary>
        /// Marks <paramref name="sum"/> as made by this walk and referenced only where the walk put it (one gradient slot
        /// or one leaf's result), so later contributions may be added into it in place.
        /// </summary>
        public void Own(Tensor<T> sum) => _owned.Add(sum);

        /// <summary>Whether <paramref name="gradient"/> may be written in place (see <see cref="Own"/>).</summary>
        public bool Owns(Tensor<T> gradient) => _owned.Count > 0 && _owned.Contains(gradient);

        /// <summary>Ends ownership before a gradient goes to backward rules, which may pass it on or keep views of it.</summary>
        public void Disown(Tensor<T> gradient)
        {
            if (_owned.Count > 0)
            {
                _owned.Remove(gradient);
            }
        }

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
            var copy = Tensor<T>.Uninitialized(gradient.Shape);
            gradient.Data.CopyTo(copy.Storage);
            copy.Tangent = gradient.Tangent;
            _handedOut.Add(copy.Storage);
            return copy;
        }

        /// <summary>
        /// Gathers and claims the nodes reachable from <paramref name="root"/> in decreasing creation order; returns their count.
        /// </summary>
        /// <exception cref="InvalidOperationException">Another walk holds one of the nodes.</exception>
        public int Collect(Tensor<T> root)
        {
            if (root.Producer is { } first && first.Claim(this))
            {
                _pending[_pendingCount++] = first;
            }
            while (_pendingCount > 0)
            {
                var node = _pending[--_pendingCount];
                _pending[_pendingCount] = null!;
                Append(node);
                for (int j = 0; j < node.InputCount; j++)
                {
                    if (node.Input(j).Producer is { } producer && producer.Claim(this))
                    {
                        if (_pendingCount == _pending.Length)
                        {
                            Array.Resize(ref _pending, _pendingCount * 2);
                        }
                        _pending[_pendingCount++] = producer;
                    }
                }
            }
            bool ordered = true;
            for (int i = 0; i < _count; i++)
            {
                _order[i] = -_nodes[i].Sequence;
                ordered &= i == 0 || _order[i - 1] < _order[i];
            }
            if (!ordered)
            {
                Array.Sort(_order, _nodes, 0, _count);
            }
            for (int i = 0; i < _count; i++)
            {
                _nodes[i].WalkIndex = i;
            }
            return _count;
        }

        private void Append(Node<T> node)
        {
            if (_count == _nodes.Length)
            {
                Array.Resize(ref _nodes, _count * 2);
                Array.Resize(ref _order, _count * 2);
                Array.Resize(ref _gradients, _count * 2);
                Array.Resize(ref _needed, _count * 2);
                Array.Resize(ref _firstConsumers, _count * 2);
            }
            _nodes[_count++] = node;
        }
    }
}
