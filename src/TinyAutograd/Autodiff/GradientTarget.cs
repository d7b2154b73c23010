using System.Numerics;
using TinyAutograd.Kernels;

namespace TinyAutograd.Differentiation;

/// <summary>Where an input's gradient collects during a backward walk.</summary>
internal enum TargetKind : byte
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

/// <summary>One input's gradient destination in a walk: a producer's slot (by walk index), a leaf's Grad, or a requested result (by position).</summary>
internal readonly record struct GradientTarget<T>(TargetKind Kind, Tensor<T> Tensor, int Index)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Where the gradient of <paramref name="input"/> goes in <paramref name="walk"/>.</summary>
    public static GradientTarget<T> Locate(Tensor<T> input, BackwardWalk<T> walk)
    {
        if (!input.RequiresGrad)
        {
            return new(TargetKind.None, input, -1);
        }
        if (input.Producer is { } producer)
        {
            int slot = producer.WalkIndex;
            return new(walk.IsNeeded(slot) ? TargetKind.Slot : TargetKind.None, input, slot);
        }
        if (walk.Results is null)
        {
            return new(TargetKind.LeafGrad, input, -1);
        }
        int index = walk.IndexOfRequested(input);
        return new(index >= 0 ? TargetKind.Result : TargetKind.None, input, index);
    }

    /// <summary>Whether the target collects only the tangent of its gradient (a requested leaf of a Hessian-vector product).</summary>
    public bool TakesTangentOnly(BackwardWalk<T> walk) => walk.TangentsOnly && Kind == TargetKind.Result;

    /// <summary>
    /// Whether the target's gradient is wanted for its graph alone and this share is all of it, so that the share may be
    /// recorded without its values (a requested leaf of reverse-over-reverse's inner pass, reached by one edge); never in
    /// anomaly mode, whose checks read values.
    /// </summary>
    public bool TakesGraphOnly(BackwardWalk<T> walk) =>
        walk.Requested == RequestedForm.Graphs && !walk.Anomaly && Kind == TargetKind.Result && walk.HasSoleShare(Index);

    /// <summary>
    /// The gradient collected so far when plain additions may go into it (or into a copy of it): it carries no tangent
    /// and the target takes whole gradients, not only their tangents; null otherwise, or when none was collected.
    /// </summary>
    public Tensor<T>? PlainCollected(BackwardWalk<T> walk) => !TakesTangentOnly(walk) && Get(walk) is { Tangent: null } accumulated ? accumulated : null;

    /// <summary>The gradient collected so far (null when none).</summary>
    public Tensor<T>? Get(BackwardWalk<T> walk) => Kind switch
    {
        TargetKind.Slot => walk.GradientOf(Index),
        TargetKind.LeafGrad => Tensor.Grad,
        _ => walk.Results![Index],
    };

    /// <summary>Stores the new sum; a gradient the caller will hold is first made unique (<see cref="BackwardWalk{T}.HandOut"/>).</summary>
    public void Set(Tensor<T> sum, BackwardWalk<T> walk)
    {
        switch (Kind)
        {
            case TargetKind.Slot:
                walk.SetGradientOf(Index, sum);
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

    /// <summary>
    /// Adds input <paramref name="index"/>'s share straight into the gradient collected so far, or into a new sum that the
    /// walk then owns unless it owns that gradient already: through a pointwise node's fused rule
    /// (<see cref="PointwiseNode{T}.AddInputGradient"/>, which rounds as the recorded rule followed by a sum), or through a
    /// linear node that adds its transpose in place (<see cref="LinearNode{T}.AddsTransposeInPlace"/>: a slice's padded
    /// gradient). Either saves the share's temporary and a pass over it. False, having done nothing, when there is no such
    /// gradient yet, the node can do neither, or a tangent is involved.
    /// </summary>
    public bool TryAddInPlace(Node<T> node, int index, Tensor<T> gradient, BackwardWalk<T> walk)
    {
        if (PlainCollected(walk) is not { } accumulated || gradient.Tangent is not null)
        {
            return false;
        }
        Tensor<T> sum;
        if (PointwiseBackwardPass<T>.Rule(node) is { } pointwise)
        {
            sum = walk.Owns(accumulated) ? accumulated : Tensor<T>.Uninitialized(accumulated.Shape);
            pointwise.AddInputGradient(index, 0, gradient.Data, accumulated.Data, sum.Storage, default);
        }
        else if (node is LinearNode<T> { AddsTransposeInPlace: true } linear)
        {
            sum = walk.Owns(accumulated) ? accumulated : accumulated.CopyOfValues();
            linear.AddTranspose(index, gradient, sum.Storage);
        }
        else
        {
            return false;
        }
        walk.Own(sum);
        Set(sum, walk);
        return true;
    }

    /// <summary>
    /// Adds <paramref name="share"/> to the gradient collected so far: the first share is stored as it is; later ones are
    /// added in place into a sum the walk owns, else into a new sum, which the walk owns when the pass is unrecorded.
    /// </summary>
    public void Accumulate(Tensor<T> share, BackwardWalk<T> walk)
    {
        if (Get(walk) is not { } accumulated)
        {
            Set(share, walk);
            return;
        }
        if (share.Tangent is null && walk.Owns(accumulated))
        {
            BroadcastKernel.ApplyFlat<T, AddOperator<T>>(accumulated.Data, share.Data, accumulated.Storage);
            return;
        }
        var sum = accumulated + share;
        if (walk.Fusable && sum.Tangent is null)
        {
            walk.Own(sum);
        }
        Set(sum, walk);
    }
}
