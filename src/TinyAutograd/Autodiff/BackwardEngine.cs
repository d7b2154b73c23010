using System.Numerics;
using TinyAutograd.Profiling;

namespace TinyAutograd.Differentiation;

/// <summary>
/// Reverse mode: walks the recorded graph from one output (or several, each with its seed) back to the leaves, without
/// recursion.
/// </summary>
/// <remarks>
/// <para>
/// The textbook reverse loop. The nodes reachable from the output are put in a reverse topological order (decreasing
/// depth: a node is always one deeper than the deepest of its inputs' nodes). Then, for each node in turn: take the gradient of
/// its output, ask its rule for each input's share (<see cref="InputGradient"/>, the one place where a node's backward
/// rule is called) and add that share to the input's gradient (<see cref="GradientTarget{T}.Accumulate"/>).
/// Gradients are freed as soon as their node has been processed; the walk's arrays are kept per thread and reused
/// (<see cref="BackwardWalk{T}"/>).
/// </para>
/// <para>
/// When the pass is not recorded and not checked for anomalies, one pass runs beside that loop at one point: the
/// pointwise pass (<see cref="PointwiseBackwardPass{T}"/>) takes over a large pointwise node together with the pointwise
/// nodes after it, and adds the same shares with the same rounding without temporaries. Within the loop, a share that
/// joins a gradient collected so far is added into it directly where the node allows
/// (<see cref="GradientTarget{T}.TryAddInPlace"/>).
/// </para>
/// <para>
/// Failure is all or nothing where it can be checked up front: every node's saved tensors are checked for in-place
/// writes before any gradient is delivered, and a walk claims its nodes so that a second walk over the same graph at
/// the same time fails before computing anything. Gradients handed to the caller never share memory with each other
/// or with the seed, so writing into one (gradient clipping) cannot change another.
/// </para>
/// </remarks>
internal static class BackwardEngine
{
    /// <summary>
    /// Propagates <paramref name="seed"/> (∂L/∂root) backward. With <paramref name="wrt"/> empty, adds the gradients into
    /// every reachable leaf's <see cref="Tensor{T}.Grad"/> and returns null; otherwise returns ∂L/∂wrt[i] for each
    /// (zeros for an input the output does not depend on) and leaves every <c>Grad</c> untouched, in the form
    /// <paramref name="requested"/> names: the gradients, only the tangents they carry (forward-over-reverse), or their
    /// graphs alone (reverse-over-reverse's inner pass).
    /// </summary>
    public static Tensor<T>[]? Run<T>(Tensor<T> root, Tensor<T> seed, ReadOnlySpan<Tensor<T>> wrt, bool createGraph, bool retainGraph, string operation, RequestedForm requested = RequestedForm.Gradients)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Run(new ReadOnlySpan<Tensor<T>>(in root), new ReadOnlySpan<Tensor<T>>(in seed), wrt, createGraph, retainGraph, operation, requested);

    /// <summary>
    /// <see cref="Run{T}(Tensor{T}, Tensor{T}, ReadOnlySpan{Tensor{T}}, bool, bool, string, RequestedForm)"/> from
    /// several roots at once, each with its seed: L = Σᵢ ⟨seedᵢ, rootᵢ⟩, in one walk over the nodes they share.
    /// </summary>
    public static Tensor<T>[]? Run<T>(ReadOnlySpan<Tensor<T>> roots, ReadOnlySpan<Tensor<T>> seeds, ReadOnlySpan<Tensor<T>> wrt, bool createGraph, bool retainGraph, string operation, RequestedForm requested = RequestedForm.Gradients)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(seeds.Length, roots.Length, nameof(seeds));
        for (int i = 0; i < roots.Length; i++)
        {
            CheckRoot(roots[i], seeds[i], operation);
        }
        bool anomaly = AnomalyMode.IsEnabled;
        var walk = BackwardWalk<T>.Rent(wrt, requested, anomaly, fusable: !createGraph && !anomaly);
        try
        {
            int count = walk.Collect(roots);
            walk.CheckVersions();
            for (int i = 0; i < roots.Length; i++)
            {
                walk.Seed(roots[i], seeds[i]);
            }
            var pointwise = walk.Fusable ? walk.Pointwise : null;
            var ready = GradientReadyHooks.Plan(walk.Nodes, count, fillsGrad: walk.Results is null);
            using (GradMode.Set(createGraph))
            {
                for (int i = 0; i < count; i++)
                {
                    ready?.Reached(i);
                    if (walk.TakeGradient(i) is not { } gradient)
                    {
                        continue;
                    }
                    var node = walk.Nodes[i];
                    using var profiled = RecordingHooks.Backward(node);
                    walk.DeliverIfRequested(node.Output, gradient);
                    if (pointwise is not null && pointwise.TryRun(i, gradient))
                    {
                        continue;
                    }
                    for (int j = 0; j < node.InputCount; j++)
                    {
                        var target = GradientTarget<T>.Locate(node.Input(j), walk);
                        if (target.Kind == TargetKind.None || (walk.Fusable && target.TryAddInPlace(node, j, gradient, walk)))
                        {
                            continue;
                        }
                        if (InputGradient(node, j, gradient, target, walk) is { } share)
                        {
                            target.Accumulate(share, walk);
                        }
                    }
                }
                ready?.Reached(count);
            }
            if (!retainGraph)
            {
                walk.ReleaseNodes();
            }
            return walk.Results is { } results ? FillUnreached(results, wrt) : null;
        }
        finally
        {
            walk.Return();
        }
    }

    /// <summary>Fails unless <paramref name="root"/> requires grad and <paramref name="seed"/> has its shape.</summary>
    private static void CheckRoot<T>(Tensor<T> root, Tensor<T> seed, string operation)
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
    }

    /// <summary>
    /// Input <paramref name="index"/>'s share of ∂L/∂input through <paramref name="node"/>, given the node's output
    /// gradient, at the input's shape; null when the rule has none. The one place where a node's backward rule is
    /// called. For a <paramref name="target"/> that takes only tangents (a Hessian-vector product's leaves), the share is
    /// only the tangent of the input's gradient; for one that takes its graph alone, the share may have no values.
    /// </summary>
    internal static Tensor<T>? InputGradient<T>(Node<T> node, int index, Tensor<T> gradient, GradientTarget<T> target, BackwardWalk<T> walk)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var share = walk.Anomaly ? ShareInAnomalyMode(node, index, gradient, target, walk) : Share(node, index, gradient, target, walk);
        if (share is null)
        {
            return null;
        }
        var input = node.Input(index);
        if (share.Shape != input.Shape)
        {
            throw new InvalidOperationException(
                $"Backward through '{node.Name}': the rule for input {index} returned a gradient of shape {share.Shape} for an input of shape {input.Shape}.");
        }
        if (walk.Anomaly)
        {
            AnomalyMode.Check(node, share, "backward");
        }
        return share;
    }

    /// <summary>The rule's share for input <paramref name="index"/> at the input's shape (see <see cref="InputGradient"/>).</summary>
    private static Tensor<T>? Share<T>(Node<T> node, int index, Tensor<T> gradient, GradientTarget<T> target, BackwardWalk<T> walk)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var share = target.TakesTangentOnly(walk) ? node.InputGradientTangent(index, gradient)
            : target.TakesGraphOnly(walk) ? node.UnformedInputGradient(index, gradient) ?? node.InputGradient(index, gradient)
            : node.InputGradient(index, gradient);
        return share is null ? null : node.SumToInput(index, share);
    }

    /// <summary><see cref="Share"/> with the node marked as the one whose backward runs, for anomaly reports.</summary>
    private static Tensor<T>? ShareInAnomalyMode<T>(Node<T> node, int index, Tensor<T> gradient, GradientTarget<T> target, BackwardWalk<T> walk)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        using (AnomalyMode.InBackwardOf(node))
        {
            return Share(node, index, gradient, target, walk);
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
}
