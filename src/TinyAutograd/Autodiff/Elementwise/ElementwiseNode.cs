using System.Numerics;
using System.Runtime.CompilerServices;
using TinyAutograd.Kernels.Elementwise;
using TinyAutograd.Profiling;

namespace TinyAutograd.Differentiation.Elementwise;

/// <summary>
/// The node of every one-input elementwise op: everything it does comes from the op's <typeparamref name="TRule"/>.
/// The VJP is g·f′ and the JVP ẋ·f′ (PyTorch's <c>auto_element_wise</c>), both the rule's <see cref="IElementwiseRule{T}.Gradient"/>:
/// as differentiable tensor ops when recorded; else in one SIMD pass, which also forms the result's tangent when g or
/// the saved tensors carry one (forward-over-reverse); the block-wise backward adds the same term in place
/// (<see cref="AddInputGradient"/>).
/// </summary>
internal sealed class ElementwiseNode<T, TRule> : PointwiseNode<T>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TRule : struct, IElementwiseRule<T>
{
    private readonly TRule _rule;

    private ElementwiseNode(Tensor<T> x, TRule rule)
        : base(rule.Name, x) => _rule = rule;

    /// <summary>y = f(x), recorded when x is tracked.</summary>
    /// <remarks>The call travels by reference and is copied (named and marked) only while a profiler runs: on the
    /// scalar tape, copying it into every op cost 16% of an unrecorded op.</remarks>
    public static Tensor<T> Apply(Tensor<T> x, TRule rule, in OpCall call = default)
    {
        ArgumentNullException.ThrowIfNull(x);
        return RecordingHooks.IsOn ? Compute(x, rule, call.Started(rule.Name)) : Compute(x, rule, call);
    }

    private static Tensor<T> Compute(Tensor<T> x, TRule rule, in OpCall call)
    {
        if (x.Length >= DeferredPointwise<T>.MinLength && DeferredPointwise<T>.Accepts(x))
        {
            var deferred = Tensor<T>.Deferred(x.Shape, new DeferredMap<T, TRule>(x, rule));
            return Tape.Tracks(x) ? Recorded(x, rule, call, deferred) : deferred;
        }
        var result = Tensor<T>.Uninitialized(x.Shape);
        ElementwiseLoops.Forward(rule, x.Data, result.Storage);
        return Tape.Tracks(x) ? Recorded(x, rule, call, result) : Tape.Record(call, result, null);
    }

    /// <summary>Records the node; a method of its own, so that code optimized while nothing was recorded does not
    /// leave the recording path cold inside it (a recorded scalar chain then ran half as fast in some processes).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Tensor<T> Recorded(Tensor<T> x, TRule rule, in OpCall call, Tensor<T> result) =>
        Tape.Record(call, result, new ElementwiseNode<T, TRule>(x, rule));

    public override Tensor<T> InputGradient(int index, Tensor<T> outputGradient) => TimesDerivative(outputGradient);

    public override Tensor<T> OutputTangent(int index, Tensor<T> inputTangent) => TimesDerivative(inputTangent);

    public override void AddInputGradient(int index, int start, ReadOnlySpan<T> g, ReadOnlySpan<T> addend, Span<T> destination, in SavedBlocks<T> saved) =>
        ElementwiseLoops.Gradient(_rule, g, saved.Values(ReadsInput, Input(0), start, g.Length), saved.Values(ReadsOutput, Output, start, g.Length), addend, destination);

    public override void AddSavedTensors(List<Tensor<T>> read)
    {
        if (ReadsInput)
        {
            read.Add(Input(0));
        }
        if (ReadsOutput)
        {
            read.Add(Output);
        }
    }

    private bool ReadsInput => (_rule.Uses & Saved.Input) != 0;

    private bool ReadsOutput => (_rule.Uses & Saved.Output) != 0;

    public override bool PassesGradient(int index) =>
        _rule.Gradient(PassThroughProbe.Gradient, PassThroughProbe.Other, PassThroughProbe.Other).IsGradient;

    /// <summary>v·f′(x) for v = g or ẋ; a constant derivative (v itself, −v, c·v) always goes through the tensor ops, which
    /// pass v on without a copy where f′ = 1.</summary>
    private Tensor<T> TimesDerivative(Tensor<T> v)
    {
        var (x, y) = (Input(0), Output);
        if (_rule.Uses == Saved.None || Records(v) || Records(x) || Records(y))
        {
            return _rule.Gradient(new TensorValue<T>(v), new TensorValue<T>(x), new TensorValue<T>(y)).Tensor;
        }
        var result = Tensor<T>.Uninitialized(x.Shape);
        if (Tape.Tracks(v) || Tape.Tracks(x) || Tape.Tracks(y))
        {
            var tangent = Tensor<T>.Uninitialized(x.Shape);
            ElementwiseLoops.GradientAndTangent(_rule, v.Data, TangentOf(v), x.Data, TangentOf(x), y.Data, TangentOf(y), result.Storage, tangent.Storage);
            result.Tangent = tangent;
            return result;
        }
        var saved = default(SavedBlocks<T>);
        ElementwiseLoops.WholeGradient(_rule, v.Data, saved.Values(ReadsInput, x, 0, x.Length), saved.Values(ReadsOutput, y, 0, y.Length), result.Storage);
        return result;
    }

    /// <summary>Whether an op on <paramref name="value"/> would be recorded (not only carry a tangent).</summary>
    private static bool Records(Tensor<T> value) => value.RequiresGrad && GradMode.IsEnabled;

    private static ReadOnlySpan<T> TangentOf(Tensor<T> value) => Tape.Tracks(value) && value.Tangent is { } tangent ? tangent.Data : default;
}
