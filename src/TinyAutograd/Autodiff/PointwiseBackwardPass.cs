using System.Numerics;

namespace TinyAutograd.Differentiation;

/// <summary>
/// The backward walk's fusion pass: it takes over a run of pointwise nodes (<see cref="PointwiseNode{T}"/>) on one large
/// shape from the plain loop of <see cref="BackwardEngine"/> when the walk is neither recorded nor checked for anomalies,
/// and runs it through <see cref="PointwiseRegion{T}"/> block by block, so the gradients between them never go to
/// memory. (A lone pointwise node's share goes into a gradient collected so far by <see cref="GradientTarget{T}.TryAddInPlace"/>.)
/// </summary>
/// <remarks>
/// The shares are added by the ops' fused rules (<see cref="PointwiseNode{T}.AddInputGradient"/>), which round exactly as
/// the recorded rule followed by a sum: the results are bit for bit those of the plain loop.
/// </remarks>
internal sealed class PointwiseBackwardPass<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly BackwardWalk<T> _walk;
    private readonly PointwiseRegion<T> _region = new();
    private readonly List<GradientTarget<T>> _outflowTargets = [];
    private int[] _firstConsumers = new int[64];
    private bool _firstConsumersFound;

    public PointwiseBackwardPass(BackwardWalk<T> walk) => _walk = walk;

    /// <summary>
    /// Runs the backward of node <paramref name="first"/>, given its output gradient, together with the pointwise nodes
    /// right after it in walk order, block by block, when the gradient is long enough to be worth blocking, the node is
    /// pointwise on its output's shape, nothing it touches carries a tangent and a node after it can join. Returns false,
    /// having changed nothing, otherwise (the plain loop then does the same work).
    /// </summary>
    public bool TryRun(int first, Tensor<T> gradient) =>
        !_walk.TangentsOnly && gradient.Length >= PointwiseRegion<T>.MinLength && gradient.Tangent is null &&
        Rule(_walk.Nodes[first]) is { } rule && TryRunRegion(first, rule, gradient);

    /// <summary>Sizes the per-node scratch for walks of up to <paramref name="nodes"/> nodes.</summary>
    public void Grow(int nodes) => Array.Resize(ref _firstConsumers, nodes);

    /// <summary>Drops the references the pass holds at the end of a walk.</summary>
    public void Clear()
    {
        _region.Clear();
        _outflowTargets.Clear();
        _firstConsumersFound = false;
    }

    /// <summary>
    /// Runs node <paramref name="first"/> together with the nodes right after it in walk order, as long as each is
    /// pointwise on the same shape and every use of its output lies in the run. False, having changed nothing, when no
    /// node after it can join it or a gradient the run would add to carries a tangent.
    /// </summary>
    private bool TryRunRegion(int first, PointwiseNode<T> root, Tensor<T> gradient)
    {
        var nodes = _walk.Nodes;
        var region = _region;
        region.Begin(root, gradient);
        int end = first + 1;
        for (; end < _walk.Count; end++)
        {
            var candidate = nodes[end];
            if (FirstConsumers[end] < first || !_walk.IsNeeded(end) || _walk.IndexOfRequested(candidate.Output) >= 0 ||
                Rule(candidate) is not { } member)
            {
                break;
            }
            region.AddMember(member);
        }
        if (end == first + 1)
        {
            region.Clear();
            return false;
        }

        var targets = _outflowTargets;
        for (int m = 0; m < end - first; m++)
        {
            var node = nodes[first + m];
            for (int j = 0; j < node.InputCount; j++)
            {
                var target = GradientTarget<T>.Locate(node.Input(j), _walk);
                if (target.Kind == TargetKind.None)
                {
                    continue;
                }
                if (target.Kind == TargetKind.Slot && target.Index > first && target.Index < end)
                {
                    region.AddStep(m, j, target.Index - first);
                    continue;
                }
                int outflow = IndexOfTarget(target.Tensor);
                if (outflow < 0)
                {
                    var accumulated = target.Get(_walk);
                    if (accumulated is { Tangent: not null })
                    {
                        region.Clear();
                        targets.Clear();
                        return false;
                    }
                    targets.Add(target);
                    outflow = region.AddOutflow(accumulated, target.Tensor.Shape, inPlace: accumulated is not null && _walk.Owns(accumulated));
                }
                else
                {
                    outflow = -1 - outflow;
                }
                region.AddStep(m, j, outflow);
            }
        }

        region.Run();
        for (int k = 0; k < targets.Count; k++)
        {
            var result = region.Destination(k);
            _walk.Own(result);
            targets[k].Set(result, _walk);
        }
        region.Clear();
        targets.Clear();
        return true;
    }

    /// <summary>
    /// For each node, the walk position of the first node that uses its output (−1 for the root): a node's gradient
    /// is complete once the nodes from there on have run. Found on first use in a walk.
    /// </summary>
    private int[] FirstConsumers
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
        var nodes = _walk.Nodes;
        Array.Fill(_firstConsumers, -1, 0, _walk.Count);
        for (int i = 0; i < _walk.Count; i++)
        {
            var node = nodes[i];
            for (int j = 0; j < node.InputCount; j++)
            {
                if (node.Input(j).Producer is { } producer && _firstConsumers[producer.WalkIndex] < 0)
                {
                    _firstConsumers[producer.WalkIndex] = i;
                }
            }
        }
    }

    private int IndexOfTarget(Tensor<T> tensor)
    {
        for (int k = 0; k < _outflowTargets.Count; k++)
        {
            if (ReferenceEquals(_outflowTargets[k].Tensor, tensor))
            {
                return k;
            }
        }
        return -1;
    }

    /// <summary>The node's pointwise backward when it has one, nothing carries a tangent and every input has the output's shape; else null.</summary>
    internal static PointwiseNode<T>? Rule(Node<T> node)
    {
        if (node is not PointwiseNode<T> rule || node.CarriesTangents())
        {
            return null;
        }
        var shape = node.Output.Shape;
        for (int j = 0; j < node.InputCount; j++)
        {
            if (node.Input(j).Shape != shape)
            {
                return null;
            }
        }
        return rule;
    }
}
