using System.Numerics;

namespace TinyAutograd.Autodiff;

/// <summary>The backward walk's fused runs of pointwise ops, and where each input's gradient collects.</summary>
internal static partial class BackwardEngine
{
    /// <summary>
    /// Runs the backward of node <paramref name="first"/> together with the nodes right after it in walk order, as long
    /// as each is pointwise on the same shape and every use of its output lies in the run (<see cref="PointwiseRegion{T}"/>).
    /// Returns false, having changed nothing, when node <paramref name="first"/> is not pointwise, no node after it can
    /// join it (a lone op adds its share on its own as well), or a gradient the run would add to carries a tangent.
    /// </summary>
    private static bool TryRunPointwise<T>(int first, Tensor<T> gradient, ReadOnlySpan<Tensor<T>> wrt, bool[]? needed, Walk<T> walk)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var nodes = walk.Nodes;
        if (gradient.Tangent is not null || PointwiseRule(nodes[first]) is not { } root)
        {
            return false;
        }
        var region = walk.Region;
        region.Begin(root, gradient);
        int end = first + 1;
        for (; end < walk.Count; end++)
        {
            var candidate = nodes[end];
            if (walk.FirstConsumers[end] < first || (needed is not null && !needed[end]) || IndexOf(wrt, candidate.Output) >= 0 ||
                PointwiseRule(candidate) is not { } member)
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

        var targets = walk.OutflowTargets;
        for (int m = 0; m < end - first; m++)
        {
            var node = nodes[first + m];
            for (int j = 0; j < node.InputCount; j++)
            {
                var target = GradientTarget<T>.Locate(node.Input(j), needed, wrt, walk);
                if (target.Kind == TargetKind.None)
                {
                    continue;
                }
                if (target.Kind == TargetKind.Slot && target.Index > first && target.Index < end)
                {
                    region.AddStep(m, j, target.Index - first);
                    continue;
                }
                int outflow = IndexOfTarget(targets, target.Tensor);
                if (outflow < 0)
                {
                    var accumulated = target.Get(walk);
                    if (accumulated is { Tangent: not null })
                    {
                        region.Clear();
                        targets.Clear();
                        return false;
                    }
                    targets.Add(target);
                    outflow = region.AddOutflow(accumulated, target.Tensor.Shape, inPlace: accumulated is not null && walk.Owns(accumulated));
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
            walk.Own(result);
            targets[k].Set(result, walk);
        }
        region.Clear();
        targets.Clear();
        return true;
    }

    private static int IndexOfTarget<T>(List<GradientTarget<T>> targets, Tensor<T> tensor)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int k = 0; k < targets.Count; k++)
        {
            if (ReferenceEquals(targets[k].Tensor, tensor))
            {
                return k;
            }
        }
        return -1;
    }

    /// <summary>The node's pointwise backward when it has one and every input has the output's shape, else null.</summary>
    private static PointwiseNode<T>? PointwiseRule<T>(Node<T> node)
        where T : unmanaged, IFloatingPointIeee754<T>
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

    /// <summary>Where an input's gradient collects during a walk.</summary>
    private enum TargetKind : byte
    {
        /// <summary>Nowhere: the input does not require grad, or its gradient cannot reach a requested tensor.</summary>
        None,

        /// <summary>The walk's slot for the node that produced it.</summary>
        Slot,

        /// <summary>The leaf's <see cref="Tensor{T}.Grad"/>.</summary>
        LeafGrad,

        /// <summary>The caller's result for a requested leaf.</summary>
        Result,
    }

    /// <summary>One input's gradient destination: a producer's slot (by walk index), a leaf's Grad, or a requested result (by position).</summary>
    private readonly record struct GradientTarget<T>(TargetKind Kind, Tensor<T> Tensor, int Index)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        /// <summary>Where the gradient of <paramref name="input"/> goes in this walk.</summary>
        public static GradientTarget<T> Locate(Tensor<T> input, bool[]? needed, ReadOnlySpan<Tensor<T>> wrt, Walk<T> walk)
        {
            if (!input.RequiresGrad)
            {
                return new(TargetKind.None, input, -1);
            }
            if (input.Producer is { } producer)
            {
                int slot = producer.WalkIndex;
                return new(needed is null || needed[slot] ? TargetKind.Slot : TargetKind.None, input, slot);
            }
            if (walk.Results is null)
            {
                return new(TargetKind.LeafGrad, input, -1);
            }
            int index = IndexOf(wrt, input);
            return new(index >= 0 ? TargetKind.Result : TargetKind.None, input, index);
        }

        /// <summary>The gradient collected so far (null when none).</summary>
        public Tensor<T>? Get(Walk<T> walk) => Kind switch
        {
            TargetKind.Slot => walk.Gradients[Index],
            TargetKind.LeafGrad => Tensor.Grad,
            _ => walk.Results![Index],
        };

        /// <summary>Stores the new sum; a gradient the caller will hold is first made unique (<see cref="Walk{T}.HandOut"/>).</summary>
        public void Set(Tensor<T> sum, Walk<T> walk)
        {
            switch (Kind)
            {
                case TargetKind.Slot:
                    walk.Gradients[Index] = sum;
                    break;
                case TargetKind.LeafGrad:
                    if (!ReferenceEquals(sum, Tensor.Grad))
                    {
                        Tensor.SetGradFromBackward(walk.HandOut(sum));
                    }
                    break;
                default:
                    walk.Results![Index] = ReferenceEquals(sum, walk.Results[Index]) ? sum : walk.HandOut(sum);
                    break;
            }
        }
    }
}
