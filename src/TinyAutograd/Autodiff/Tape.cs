using System.Numerics;
using System.Runtime.CompilerServices;
using TinyAutograd.Profiling;

namespace TinyAutograd.Differentiation;

/// <summary>
/// The tape: decides whether an operation must be remembered, and is the one place where a freshly computed result
/// is linked to its node, for reverse mode (the result gets a producer) and forward mode (the result gets a tangent).
/// Every op goes through <see cref="Record"/>, so anomaly checks and the call that made each node live here.
/// </summary>
internal static class Tape
{
    /// <summary>Whether an op on <paramref name="x"/> needs a node: it is recorded, or a tangent must flow.</summary>
    public static bool Tracks<T>(Tensor<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        (x.RequiresGrad || x.Tangent is not null) && Tracks(x, RecordingState.Current);

    private static bool Tracks<T>(Tensor<T> x, RecordingState state)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        (x.RequiresGrad && !state.GradDisabled) || (x.Tangent is not null && !state.TangentsSuspended);

    /// <summary>Whether an op on two inputs needs a node.</summary>
    public static bool Tracks<T>(Tensor<T> a, Tensor<T> b)
        where T : unmanaged, IFloatingPointIeee754<T> => Tracks(a) || Tracks(b);

    /// <summary>Whether an op on any of <paramref name="inputs"/> needs a node.</summary>
    public static bool Tracks<T>(ReadOnlySpan<Tensor<T>> inputs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var input in inputs)
        {
            if (Tracks(input))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Returns <paramref name="output"/>, the result of <paramref name="call"/>. When <paramref name="node"/> is given
    /// (the op <see cref="Tracks{T}(Tensor{T})"/> an input), records it as the producer of the output if gradients are
    /// being recorded and an input requires grad, and gives the output its tangent when an input carries one.
    /// </summary>
    /// <remarks>
    /// While a <see cref="Profiler"/> runs, the op's forward time (from its call's start mark to the end of recording,
    /// less the tangent's) and its JVP time are reported here, with its shapes and cost; off, the cost is one check.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Tensor<T> Record<T>(in OpCall call, Tensor<T> output, Node<T>? node)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        node is null && !RecordingHooks.IsOn ? output : RecordNode(call, output, node);

    /// <summary><see cref="Record"/> when there is a node to link or a profiler to report to.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Tensor<T> RecordNode<T>(in OpCall call, Tensor<T> output, Node<T>? node)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (RecordingHooks.IsOn)
        {
            using var profiled = RecordingHooks.Forward(call, output, node);
            return node is null ? output : Link(call, output, node);
        }
        return Link(call, output, node!);
    }

    /// <summary>
    /// Links <paramref name="node"/> to a new output of <paramref name="shape"/> that has no values
    /// (<see cref="Tensor{T}.Unformed"/>): a rule's share wanted for its graph alone
    /// (<see cref="Node{T}.UnformedInputGradient"/>). The op did no work, so no profiler hears of it; the engine asks for
    /// none in anomaly mode, whose checks read values.
    /// </summary>
    public static Tensor<T> RecordUnformed<T>(Shape shape, Node<T> node)
        where T : unmanaged, IFloatingPointIeee754<T> => Link(default, Tensor<T>.Unformed(shape), node);

    private static Tensor<T> Link<T>(in OpCall call, Tensor<T> output, Node<T> node)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool recorded = false, hasTangent = false;
        for (int i = 0; i < node.InputCount; i++)
        {
            var input = node.Input(i);
            input.MarkRecordedAsInput();
            recorded |= input.RequiresGrad;
            hasTangent |= input.Tangent is not null;
        }
        var state = RecordingState.Current;
        recorded = recorded && !state.GradDisabled;
        node.Bind(output, recorded);
        if (recorded)
        {
            output.Producer = node;
            output.RequiresGrad = true;
            if (call.Name is not null || call.File is not null || state.LabelsNodes)
            {
                NameCall(call, node, state);
            }
        }
        if (hasTangent && !state.TangentsSuspended)
        {
            output.Tangent = PushTangents(node);
        }
        if (state.AnomalyEnabled)
        {
            AnomalyMode.Check(node, output, "forward");
        }
        return output;
    }

    /// <summary>
    /// Gives a recorded node the call that made it: the open composite's, else <paramref name="call"/>; in anomaly mode,
    /// the user's place when the call has none. Out of line: most nodes come from operators, which add nothing.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void NameCall<T>(in OpCall call, Node<T> node, RecordingState state)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        node.SetCall(state.Composite ?? call);
        if (state.AnomalyEnabled && !node.Call.IsUserPlace && AnomalyMode.CallerOutsideLibrary() is var (file, line))
        {
            node.SetPlace(file, line);
        }
    }

    /// <summary>The output's tangent, pushed with recording off and tangents suspended (timed as the op's JVP while a profiler runs).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Tensor<T> PushTangents<T>(Node<T> node)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var profiled = RecordingHooks.Jvp();
        using var unrecorded = GradMode.Disable();
        RecordingState.SuspendTangents();
        try
        {
            return node.ExpandToOutput(node.PushForward());
        }
        finally
        {
            RecordingState.ResumeTangents();
        }
    }
}
