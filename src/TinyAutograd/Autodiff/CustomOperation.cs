using System.Collections.ObjectModel;
using System.Numerics;
using TinyAutograd.Autodiff;

namespace TinyAutograd;

/// <summary>
/// A differentiable operation written by the user: derive from it, compute the value in <see cref="Forward"/>, give
/// the reverse-mode rule in <see cref="Backward"/> and, optionally, the forward-mode rule in <see cref="Jvp"/>. Then
/// <see cref="Apply"/> plugs it into the tape like a built-in op: <c>Backward()</c>, <c>AutoDiff.Gradients</c>,
/// higher derivatives, <c>AutoDiff.Jvp</c> and Hessian-vector products all see it.
/// </summary>
/// <remarks>
/// <para>
/// For y = f(x₀, …, xₙ₋₁), <see cref="Backward"/> returns the vector–Jacobian product for one input,
/// ∂L/∂xᵢ = (∂f/∂xᵢ)ᵀ·∂L/∂y, in xᵢ's shape; <see cref="Jvp"/> returns one input's share of the Jacobian–vector
/// product, (∂f/∂xᵢ)·ẋᵢ, in y's shape (the shares of all inputs are summed).
/// </para>
/// <para>
/// <see cref="Forward"/> only computes values: it runs with recording off on detached inputs, so it may use tensor
/// operations or loop over <see cref="Tensor{T}.Data"/> directly. <see cref="Backward"/> and <see cref="Jvp"/> must be
/// written with differentiable tensor operations on the tensors they are given: then, when a backward pass is itself
/// recorded (<c>createGraph: true</c>), the rule is differentiated again, which gives second derivatives and
/// Hessian-vector products. A rule may reuse the forward result (<c>output</c>) instead of recomputing it.
/// </para>
/// <para>
/// The library cannot see whether the rules are right: check them with finite differences (the library's gradient
/// checks) before trusting them.
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
        var output = ComputeForward(recordedInputs);
        return Graph.Tracks<T>(recordedInputs) ? Graph.Record(new CustomNode<T>(this, recordedInputs), output) : output;
    }

    /// <summary>Computes the output's values from the inputs' values (recording is off; the inputs are detached).</summary>
    /// <param name="inputs">The inputs, in the order given to <see cref="Apply"/>.</param>
    protected abstract Tensor<T> Forward(IReadOnlyList<Tensor<T>> inputs);

    /// <summary>
    /// The vector–Jacobian product for input <paramref name="index"/>: (∂f/∂xᵢ)ᵀ·<paramref name="outputGradient"/>,
    /// in that input's shape, written with differentiable tensor operations. Called only for inputs that require grad.
    /// </summary>
    /// <param name="index">Which input's gradient is wanted.</param>
    /// <param name="inputs">The inputs as given to <see cref="Apply"/> (differentiable: use them, not copies).</param>
    /// <param name="output">The result of the forward computation (differentiable too).</param>
    /// <param name="outputGradient">∂L/∂y, in the output's shape.</param>
    protected abstract Tensor<T> Backward(int index, IReadOnlyList<Tensor<T>> inputs, Tensor<T> output, Tensor<T> outputGradient);

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
        throw new NotSupportedException(
            $"CustomOperation '{Name}' has no forward-mode rule, but input {index} carries a tangent (AutoDiff.Jvp, or a forward-over-reverse " +
            "Hessian-vector product). Override Jvp, or use HessianVectorMethod.ReverseOverReverse.");

    /// <summary>Runs the user's reverse-mode rule for the tape.</summary>
    internal Tensor<T> InvokeBackward(int index, IReadOnlyList<Tensor<T>> inputs, Tensor<T> output, Tensor<T> outputGradient) =>
        Backward(index, inputs, output, outputGradient);

    /// <summary>Runs the user's forward-mode rule for the tape.</summary>
    internal Tensor<T> InvokeJvp(int index, IReadOnlyList<Tensor<T>> inputs, Tensor<T> output, Tensor<T> inputTangent) =>
        Jvp(index, inputs, output, inputTangent);

    private Tensor<T> ComputeForward(Tensor<T>[] inputs)
    {
        var detached = Array.ConvertAll(inputs, input => input.Detach());
        Tensor<T>? output;
        using (GradMode.Disable())
        {
            output = Forward(Array.AsReadOnly(detached));
        }
        if (output is null)
        {
            throw new InvalidOperationException($"CustomOperation '{Name}': Forward returned null; it must return the output tensor.");
        }
        // A fresh tensor object, so that recording never marks a tensor the user holds (an input or a cached constant).
        return output.Detach();
    }
}

/// <summary>The tape's record of one application of a <see cref="CustomOperation{T}"/>.</summary>
internal sealed class CustomNode<T> : Node<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly CustomOperation<T> _operation;
    private readonly ReadOnlyCollection<Tensor<T>> _inputs;

    public CustomNode(CustomOperation<T> operation, Tensor<T>[] inputs)
        : base(operation.Name, inputs)
    {
        _operation = operation;
        _inputs = Array.AsReadOnly(inputs);
    }

    public override Tensor<T> InputGradient(int index, Tensor<T> outputGradient) =>
        _operation.InvokeBackward(index, _inputs, Output, outputGradient)
        ?? throw new InvalidOperationException($"Backward through custom operation '{Name}': its Backward returned null for input {index}.");

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
}
