using System.Collections.ObjectModel;
using System.Numerics;
using TinyAutograd.Differentiation;
using TinyAutograd.Profiling;

namespace TinyAutograd;

/// <summary>
/// A differentiable operation written by the user: derive from it, compute the value in <see cref="Forward"/> (saving
/// with <see cref="SaveForBackward"/> whatever the backward reuses), give the reverse-mode rule as one
/// <see cref="Backward(CustomBackward{T})"/> for all inputs (or one <see cref="Backward(int, IReadOnlyList{Tensor{T}}, Tensor{T}, Tensor{T})"/>
/// per input) and, optionally, the forward-mode rule in <see cref="Jvp"/>. Then <see cref="Apply"/> plugs it into the tape
/// like a built-in op: <c>Backward()</c>, <c>AutoDiff.Gradients</c>, higher derivatives, <c>AutoDiff.Jvp</c> and
/// Hessian-vector products all see it.
/// </summary>
/// <remarks>
/// <para>
/// For y = f(x₀, …, xₙ₋₁), the backward rule returns the vector–Jacobian products ∂L/∂xᵢ = (∂f/∂xᵢ)ᵀ·∂L/∂y, each in xᵢ's
/// shape; <see cref="Jvp"/> returns one input's share of the Jacobian–vector product, (∂f/∂xᵢ)·ẋᵢ, in y's shape (the
/// shares of all inputs are summed). The tape calls the all-inputs rule once per backward pass through the node.
/// </para>
/// <para>
/// <see cref="Forward"/> only computes values: it runs with recording off on detached inputs, so it may use tensor
/// operations or loop over <see cref="Tensor{T}.Data"/> directly. The rules must be written with differentiable tensor
/// operations on the tensors they are given: then, when a backward pass is itself recorded (<c>createGraph: true</c>)
/// or carries tangents (a forward-over-reverse Hessian-vector product), the rule is differentiated again. Saved tensors
/// are plain values, constant to that second differentiation: when <see cref="CustomBackward{T}.IsDifferentiated"/> is
/// true, recompute from <see cref="CustomBackward{T}.Inputs"/> whatever a second derivative must see.
/// </para>
/// <para>
/// The library cannot see whether the rules are right: check them with <c>GradCheck</c> and <c>GradGradCheck</c>
/// (with <c>CheckOptions.ReverseModeOnly</c> when there is no <see cref="Jvp"/>) before trusting them.
/// </para>
/// </remarks>
/// <example>
/// y = x³ as a custom operation, its gradient 3x² taken by reverse mode:
/// <code>
/// using TinyAutograd;
///
/// var x = Tensor.FromArray([1.0, 2.0]).RequireGrad();
/// new Cube().Apply(x).Sum().Backward();
/// Console.WriteLine(string.Join(", ", x.Grad!.ToArray()));   // 3, 12
///
/// sealed class Cube() : CustomOperation&lt;double&gt;("Cube")
/// {
///     protected override Tensor&lt;double&gt; Forward(IReadOnlyList&lt;Tensor&lt;double&gt;&gt; inputs) =&gt; inputs[0] * inputs[0] * inputs[0];
///     protected override Tensor&lt;double&gt; Backward(int index, IReadOnlyList&lt;Tensor&lt;double&gt;&gt; inputs, Tensor&lt;double&gt; output, Tensor&lt;double&gt; outputGradient) =&gt;
///         outputGradient * 3.0 * inputs[0].Square();
/// }
/// </code>
/// </example>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public abstract class CustomOperation<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Where <see cref="SaveForBackward"/> puts tensors while a <see cref="Forward"/> runs on this thread.</summary>
    [ThreadStatic]
    private static List<Tensor<T>>? t_saving;

    /// <summary>Names the operation; the name appears in error messages and anomaly reports.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or blank.</exception>
    protected CustomOperation(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>The operation's name, e.g. <c>Swish</c>.</summary>
    public string Name { get; }

    /// <summary>
    /// Computes the operation on <paramref name="inputs"/>. The result is recorded on the tape when gradients are being
    /// recorded and an input requires grad, and carries a tangent when an input carries one.
    /// </summary>
    /// <exception cref="ArgumentException">No inputs are given, or one of them is null.</exception>
    /// <exception cref="InvalidOperationException"><see cref="Forward"/> returned null.</exception>
    /// <exception cref="NotSupportedException">An input carries a tangent and the operation has no <see cref="Jvp"/> rule.</exception>
    public Tensor<T> Apply(params Tensor<T>[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Length == 0 || Array.IndexOf(inputs, null) >= 0)
        {
            throw new ArgumentException(
                $"CustomOperation '{Name}': Apply needs at least one input and no null inputs; got {inputs.Length} input(s)" +
                (inputs.Length == 0 ? "." : $", input {Array.IndexOf(inputs, null)} being null."), nameof(inputs));
        }
        var recordedInputs = (Tensor<T>[])inputs.Clone();
        // A scope under the op's own name: a profiler counts the ops its Forward runs to it.
        using var composite = OpCall.Enter(OpCall.At(Name, null, 0));
        var (output, saved) = ComputeForward(recordedInputs);
        return Tape.Record(new OpCall(Name, null, 0), output, Tape.Tracks<T>(recordedInputs) ? new CustomNode<T>(this, recordedInputs, saved) : null);
    }

    /// <summary>Computes the output's values from the inputs' values (recording is off; the inputs are detached).</summary>
    /// <param name="inputs">The inputs, in the order given to <see cref="Apply"/>.</param>
    protected abstract Tensor<T> Forward(IReadOnlyList<Tensor<T>> inputs);

    /// <summary>
    /// Keeps tensors computed in <see cref="Forward"/> (e.g. a mean and a reciprocal standard deviation) for this
    /// application's backward rule, which finds them in <see cref="CustomBackward{T}.Saved"/> in the order saved.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called outside <see cref="Forward"/>.</exception>
    protected void SaveForBackward(params Tensor<T>[] tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var saving = t_saving ?? throw new InvalidOperationException(
            $"CustomOperation '{Name}': SaveForBackward was called outside Forward; save tensors while Forward runs.");
        foreach (var tensor in tensors)
        {
            ArgumentNullException.ThrowIfNull(tensor, nameof(tensors));
            saving.Add(tensor.Detach());
        }
    }

    /// <summary>
    /// The vector–Jacobian products of all inputs in one call: for each input i, (∂f/∂xᵢ)ᵀ·∂L/∂y in xᵢ's shape, or null
    /// when <see cref="CustomBackward{T}.NeedsGradient"/> is false for it. Override it to share work between inputs and
    /// to use saved tensors; by default it calls the per-input <see cref="Backward(int, IReadOnlyList{Tensor{T}}, Tensor{T}, Tensor{T})"/>
    /// for each input that needs a gradient.
    /// </summary>
    /// <param name="context">The inputs, output, output gradient and saved tensors.</param>
    /// <returns>One entry per input, in input order.</returns>
    protected virtual IReadOnlyList<Tensor<T>?> Backward(CustomBackward<T> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var gradients = new Tensor<T>?[context.Inputs.Count];
        for (int i = 0; i < gradients.Length; i++)
        {
            gradients[i] = context.NeedsGradient(i) ? Backward(i, context.Inputs, context.Output, context.OutputGradient) : null;
        }
        return gradients;
    }

    /// <summary>
    /// The vector–Jacobian product for input <paramref name="index"/>: (∂f/∂xᵢ)ᵀ·<paramref name="outputGradient"/>,
    /// in that input's shape, written with differentiable tensor operations. Override this or the all-inputs
    /// <see cref="Backward(CustomBackward{T})"/>.
    /// </summary>
    /// <param name="index">Which input's gradient is wanted.</param>
    /// <param name="inputs">The inputs as given to <see cref="Apply"/> (differentiable: use them, not copies).</param>
    /// <param name="output">The result of the forward computation (differentiable too).</param>
    /// <param name="outputGradient">∂L/∂y, in the output's shape.</param>
    /// <exception cref="NotSupportedException">Always, unless overridden.</exception>
    protected virtual Tensor<T> Backward(int index, IReadOnlyList<Tensor<T>> inputs, Tensor<T> output, Tensor<T> outputGradient) =>
        throw new NotSupportedException(
            $"CustomOperation '{Name}' has no reverse-mode rule: override Backward(CustomBackward<T>) to return the gradients of all inputs " +
            "in one call, or Backward(int index, …) to return one input's gradient.");

    /// <summary>
    /// The Jacobian–vector product's share of input <paramref name="index"/>: (∂f/∂xᵢ)·<paramref name="inputTangent"/>,
    /// in the output's shape. Override it to use the operation in forward mode; the default refuses.
    /// </summary>
    /// <param name="index">Which input the tangent belongs to.</param>
    /// <param name="inputs">The inputs as given to <see cref="Apply"/>.</param>
    /// <param name="output">The result of the forward computation.</param>
    /// <param name="inputTangent">ẋᵢ, in the input's shape.</param>
    /// <exception cref="NotSupportedException">Always, unless overridden.</exception>
    protected virtual Tensor<T> Jvp(int index, IReadOnlyList<Tensor<T>> inputs, Tensor<T> output, Tensor<T> inputTangent) =>
        throw new MissingForwardRuleException(Name,
            $"CustomOperation '{Name}' has no forward-mode rule, but input {index} carries a tangent (AutoDiff.Jvp, or a forward-over-reverse " +
            "Hessian-vector product). Override Jvp, or use HessianVectorMethod.ReverseOverReverse; in GradCheck and GradGradCheck, " +
            "pass new CheckOptions { ReverseModeOnly = true }.");

    /// <summary>
    /// The FLOPs and bytes of one forward application to inputs of <paramref name="inputShapes"/>, for a
    /// <see cref="Profiler"/>'s per-op throughput and roofline. By default null: the op is then profiled by time only.
    /// </summary>
    /// <remarks>Count a multiply-add as two FLOPs, and as bytes every input read once and the output written once (<see cref="OperationCost"/>).</remarks>
    /// <param name="inputShapes">The inputs' shapes, in the order given to <see cref="Apply"/>.</param>
    /// <param name="outputShape">The output's shape.</param>
    protected virtual OperationCost? ForwardCost(IReadOnlyList<Shape> inputShapes, Shape outputShape) => null;

    /// <summary>
    /// The FLOPs and bytes of one run of the backward rule (all inputs that need a gradient), for a <see cref="Profiler"/>.
    /// By default null: the backward is then profiled by time only.
    /// </summary>
    /// <remarks>Count as in <see cref="ForwardCost"/>.</remarks>
    /// <param name="inputShapes">The inputs' shapes, in the order given to <see cref="Apply"/>.</param>
    /// <param name="outputShape">The output's shape.</param>
    protected virtual OperationCost? BackwardCost(IReadOnlyList<Shape> inputShapes, Shape outputShape) => null;

    /// <summary>The declared cost of the forward or the backward, for the profiler.</summary>
    internal OperationCost? InvokeCost(IReadOnlyList<Shape> inputShapes, Shape outputShape, bool backward) =>
        backward ? BackwardCost(inputShapes, outputShape) : ForwardCost(inputShapes, outputShape);

    /// <summary>Runs the user's reverse-mode rule for the tape.</summary>
    internal IReadOnlyList<Tensor<T>?> InvokeBackward(CustomBackward<T> context) => Backward(context);

    /// <summary>Runs the user's forward-mode rule for the tape.</summary>
    internal Tensor<T> InvokeJvp(int index, IReadOnlyList<Tensor<T>> inputs, Tensor<T> output, Tensor<T> inputTangent) =>
        Jvp(index, inputs, output, inputTangent);

    private (Tensor<T> Output, ReadOnlyCollection<Tensor<T>> Saved) ComputeForward(Tensor<T>[] inputs)
    {
        var detached = Array.ConvertAll(inputs, input => input.Detach());
        var saving = new List<Tensor<T>>();
        var outer = t_saving;
        Tensor<T>? output;
        t_saving = saving;
        try
        {
            using (GradMode.Disable())
            {
                output = Forward(Array.AsReadOnly(detached));
            }
        }
        finally
        {
            t_saving = outer;
        }
        if (output is null)
        {
            throw new InvalidOperationException($"CustomOperation '{Name}': Forward returned null; it must return the output tensor.");
        }
        // A fresh tensor object, so that recording never marks a tensor the user holds (an input or a cached constant).
        return (output.Detach(), saving.AsReadOnly());
    }
}

/// <summary>
/// The tape's record of one application of a <see cref="CustomOperation{T}"/>: it runs the all-inputs backward rule once
/// per output gradient and hands out each input's share as the backward pass asks for it.
/// </summary>
internal sealed class CustomNode<T> : Node<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly CustomOperation<T> _operation;
    private readonly ReadOnlyCollection<Tensor<T>> _inputs;
    private readonly ReadOnlyCollection<Tensor<T>> _saved;
    private Tensor<T>? _gradientFor;
    private Tensor<T>?[]? _gradients;

    public CustomNode(CustomOperation<T> operation, Tensor<T>[] inputs, ReadOnlyCollection<Tensor<T>> saved)
        : base(operation.Name, inputs)
    {
        _operation = operation;
        _inputs = Array.AsReadOnly(inputs);
        _saved = saved;
    }

    public override Tensor<T> InputGradient(int index, Tensor<T> outputGradient)
    {
        if (!ReferenceEquals(_gradientFor, outputGradient) || _gradients?[index] is null)
        {
            _gradients = RunBackward(outputGradient);
            _gradientFor = outputGradient;
        }
        var gradient = _gradients[index] ?? throw new InvalidOperationException(
            $"Backward through custom operation '{Name}': its Backward returned no gradient for input {index}, which requires grad; " +
            "return a tensor of the input's shape (zeros if it has no influence).");
        // Handed out once: the node keeps no gradient alive after the pass has taken it.
        _gradients[index] = null;
        return gradient;
    }

    /// <summary>The operation's declared cost of its forward or backward on this node's shapes (null when undeclared).</summary>
    internal OperationCost? DeclaredCost(Shape output, bool backward) =>
        _operation.InvokeCost([.. _inputs.Select(input => input.Shape)], output, backward);

    public override Tensor<T> OutputTangent(int index, Tensor<T> inputTangent)
    {
        var tangent = _operation.InvokeJvp(index, _inputs, Output, inputTangent)
            ?? throw new InvalidOperationException($"Forward mode through custom operation '{Name}': its Jvp returned null for input {index}.");
        if (tangent.Shape != Output.Shape)
        {
            throw new InvalidOperationException(
                $"Forward mode through custom operation '{Name}': its Jvp for input {index} returned shape {tangent.Shape}, but the output has shape {Output.Shape}; " +
                "a tangent must have the output's shape.");
        }
        return tangent;
    }

    private Tensor<T>?[] RunBackward(Tensor<T> outputGradient)
    {
        bool differentiated = GradMode.IsEnabled || outputGradient.Tangent is not null || CarriesTangents();
        var gradients = _operation.InvokeBackward(new CustomBackward<T>(_inputs, Output, outputGradient, _saved, differentiated))
            ?? throw new InvalidOperationException($"Backward through custom operation '{Name}': its Backward returned null instead of one gradient per input.");
        if (gradients.Count != _inputs.Count)
        {
            throw new InvalidOperationException(
                $"Backward through custom operation '{Name}': its Backward returned {gradients.Count} gradients for {_inputs.Count} inputs; " +
                "return one entry per input, in order (null for an input that needs no gradient).");
        }
        return [.. gradients];
    }
}
