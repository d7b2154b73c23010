using System.Numerics;
using System.Runtime.CompilerServices;
using TinyAutograd.Kernels;
using TinyAutograd.Kernels.Elementwise;
using TinyAutograd.Profiling;

namespace TinyAutograd.Differentiation.Elementwise;

/// <summary>
/// The node of every two-input elementwise op with NumPy broadcasting: forward, VJP, JVP and the block-wise backward's
/// in-place term all come from the op's <typeparamref name="TRule"/>. The partials are formed at the output's shape;
/// the engine sums a broadcast input's gradient back to its shape (<see cref="Node{T}.SumToInput"/>).
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
/// <typeparam name="TOperator">The forward: z = f(x, y) over spans under broadcasting.</typeparam>
/// <typeparam name="TRule">The backward: the two partial terms.</typeparam>
internal sealed class BinaryElementwiseNode<T, TOperator, TRule> : PointwiseNode<T>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TOperator : IBinaryOperator<T>
    where TRule : IBinaryRule<T>
{
    private BinaryElementwiseNode(Tensor<T> left, Tensor<T> right)
        : base(TRule.Name, left, right)
    {
    }

    /// <summary>z = f(x, y) under broadcasting, recorded when an input is tracked.</summary>
    /// <remarks>The call travels by reference and is copied only while a profiler runs, as in <see cref="ElementwiseNode{T, TRule}"/>.</remarks>
    public static Tensor<T> Apply(Tensor<T> left, Tensor<T> right, in OpCall call = default)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return RecordingHooks.IsOn ? Compute(left, right, call.Started(TRule.Name)) : Compute(left, right, call);
    }

    private static Tensor<T> Compute(Tensor<T> left, Tensor<T> right, in OpCall call)
    {
        if (left.Length >= DeferredPointwise<T>.MinLength && left.Shape == right.Shape && DeferredPointwise<T>.Accepts(left) && DeferredPointwise<T>.Accepts(right))
        {
            var deferred = Tensor<T>.Deferred(left.Shape, new DeferredCombination<T, TOperator>(left, right));
            return Tape.Tracks(left, right) ? Recorded(left, right, call, deferred) : deferred;
        }
        var result = Tensor<T>.Broadcasting<TOperator>(left, right, TRule.Name);
        return Tape.Tracks(left, right) ? Recorded(left, right, call, result) : Tape.Record(call, result, null);
    }

    /// <summary>Records the node in a method of its own, as <see cref="ElementwiseNode{T, TRule}"/> does.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Tensor<T> Recorded(Tensor<T> left, Tensor<T> right, in OpCall call, Tensor<T> result) =>
        Tape.Record(call, result, new BinaryElementwiseNode<T, TOperator, TRule>(left, right));

    internal override bool BroadcastsInputs => true;

    public override Tensor<T> InputGradient(int index, Tensor<T> outputGradient) => Partial(index, outputGradient);

    public override Tensor<T> OutputTangent(int index, Tensor<T> inputTangent) => Partial(index, inputTangent);

    /// <summary>ż = ẋ·∂f/∂x + ẏ·∂f/∂y, the two terms added directly (the tape expands the sum to the output's shape once).</summary>
    internal override Tensor<T> PushForward()
    {
        var (left, right) = (Input(0).Tangent, Input(1).Tangent);
        return left is null ? Partial(1, right!) : right is null ? Partial(0, left) : Partial(0, left) + Partial(1, right);
    }

    public override void AddInputGradient(int index, int start, ReadOnlySpan<T> g, ReadOnlySpan<T> addend, Span<T> destination, in SavedBlocks<T> saved) =>
        ElementwiseLoops.BinaryGradient<T, TRule>(
            index, g, saved.Values(ReadsInputs, Input(0), start, g.Length), saved.Values(ReadsInputs, Input(1), start, g.Length), saved.Values(ReadsOutput, Output, start, g.Length), addend, destination);

    public override void AddSavedTensors(List<Tensor<T>> read)
    {
        if (ReadsInputs)
        {
            read.Add(Input(0));
            read.Add(Input(1));
        }
        if (ReadsOutput)
        {
            read.Add(Output);
        }
    }

    private static bool ReadsInputs => (TRule.Uses & Saved.Input) != 0;

    private static bool ReadsOutput => (TRule.Uses & Saved.Output) != 0;

    public override bool PassesGradient(int index)
    {
        var (g, other) = (PassThroughProbe.Gradient, PassThroughProbe.Other);
        return (index == 0 ? TRule.Left(g, other, other, other) : TRule.Right(g, other, other, other)).IsGradient;
    }

    /// <summary>v·∂f/∂input for v = g (output-shaped) or an input's tangent: in one pass when the partial reads saved
    /// tensors, the shapes agree and nothing is tracked; else as tensor ops (which pass v on uncopied for a sum).</summary>
    private Tensor<T> Partial(int index, Tensor<T> v)
    {
        var (x, y, z) = (Input(0), Input(1), Output);
        if (TRule.Uses != Saved.None && v.Shape == z.Shape && x.Shape == z.Shape && y.Shape == z.Shape && !Tape.Tracks(v) && !Tape.Tracks(x, y) && !Tape.Tracks(z))
        {
            var result = Tensor<T>.Uninitialized(z.Shape);
            var saved = default(SavedBlocks<T>);
            ElementwiseLoops.BinaryGradient<T, TRule>(
                index, v.Data, saved.Values(ReadsInputs, x, 0, x.Length), saved.Values(ReadsInputs, y, 0, y.Length), saved.Values(ReadsOutput, z, 0, z.Length), [], result.Storage);
            return result;
        }
        var (g, a, b, c) = (new TensorValue<T>(v), new TensorValue<T>(x), new TensorValue<T>(y), new TensorValue<T>(z));
        return (index == 0 ? TRule.Left(g, a, b, c) : TRule.Right(g, a, b, c)).Tensor;
    }
}
