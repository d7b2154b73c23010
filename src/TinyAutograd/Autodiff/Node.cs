using System.Numerics;

namespace TinyAutograd.Autodiff;

/// <summary>
/// One recorded operation: its inputs, its output and its derivative rules. Each primitive op derives from this
/// in its own file, with the forward computation beside the rules.
/// </summary>
/// <remarks>
/// Both rules are written with the public differentiable tensor operations, so a backward pass run while
/// recording is itself recorded (derivatives of any order), and tangents flow through it (forward-over-reverse).
/// </remarks>
internal abstract class Node<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private static long s_sequence;
    private Tensor<T>[]? _inputs;
    private int[]? _inputVersions;
    private Tensor<T>? _output;
    private int _outputVersion;

    protected Node(string name, params Tensor<T>[] inputs)
    {
        Name = name;
        _inputs = inputs;
    }

    /// <summary>The op's name as users know it, e.g. <c>Exp</c>.</summary>
    public string Name { get; }

    /// <summary>Creation order across all threads: a node always comes after the nodes of its inputs.</summary>
    public long Sequence { get; private set; }

    /// <summary>Where the node was made, captured only in anomaly mode.</summary>
    public string? Origin { get; set; }

    /// <summary>Scratch index used by the backward engine while it walks the graph.</summary>
    internal int WalkIndex { get; set; } = -1;

    /// <summary>Scratch stamp used by the backward engine to mark visited nodes.</summary>
    internal long WalkStamp { get; set; }

    /// <summary>Whether a backward pass has freed this node.</summary>
    public bool IsReleased => _inputs is null;

    public int InputCount => Inputs.Length;

    /// <summary>The inputs, in the order the rules number them.</summary>
    public Tensor<T>[] Inputs => _inputs ?? throw Released();

    /// <summary>The tensor this op produced.</summary>
    public Tensor<T> Output => _output ?? throw Released();

    public Tensor<T> Input(int index) => Inputs[index];

    /// <summary>Links the node to its output once the forward value exists.</summary>
    internal void Bind(Tensor<T> output, bool recorded)
    {
        _output = output;
        if (!recorded)
        {
            return;
        }
        Sequence = Interlocked.Increment(ref s_sequence);
        var inputs = Inputs;
        _inputVersions = new int[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            _inputVersions[i] = inputs[i].Version;
        }
        _outputVersion = output.Version;
    }

    /// <summary>
    /// The vector–Jacobian product for one input: given ∂L/∂output, returns that input's share of ∂L/∂input,
    /// in the input's shape. Called only for inputs that require grad.
    /// </summary>
    public abstract Tensor<T> InputGradient(int index, Tensor<T> outputGradient);

    /// <summary>
    /// The Jacobian–vector product for one input: given that input's tangent, returns its contribution to the
    /// output's tangent, in the output's shape. The output tangent is the sum over inputs that carry tangents.
    /// </summary>
    public abstract Tensor<T> OutputTangent(int index, Tensor<T> inputTangent);

    /// <summary>Sums a gradient of the output's shape back to input <paramref name="index"/>'s shape (undoing broadcasting).</summary>
    protected Tensor<T> Unbroadcast(Tensor<T> gradient, int index)
    {
        var shape = Input(index).Shape;
        return gradient.Shape == shape ? gradient : gradient.SumTo(shape);
    }

    /// <summary>Broadcasts an input's tangent contribution to the output's shape.</summary>
    protected Tensor<T> BroadcastToOutput(Tensor<T> tangent) =>
        tangent.Shape == Output.Shape ? tangent : tangent.BroadcastTo(Output.Shape);

    /// <summary>Fails clearly when a tensor this node saved was written in place after it was recorded.</summary>
    internal void CheckVersions()
    {
        var inputs = Inputs;
        for (int i = 0; i < inputs.Length; i++)
        {
            if (inputs[i].Version != _inputVersions![i])
            {
                throw new InvalidOperationException(
                    $"Backward through '{Name}'{OriginSuffix}: its input {i}, {inputs[i].Describe()}, was modified in place after it was used " +
                    $"(version {_inputVersions[i]} when recorded, {inputs[i].Version} now). The gradient would be wrong; " +
                    "recompute the forward pass after changing it, or change a Clone().");
            }
        }
        if (Output.Version != _outputVersion)
        {
            throw new InvalidOperationException(
                $"Backward through '{Name}'{OriginSuffix}: its output was modified in place after it was recorded; the gradient would be wrong.");
        }
    }

    /// <summary>Drops the references to inputs and output so that their memory can be reclaimed.</summary>
    internal void Release()
    {
        _inputs = null;
        _output = null;
        _inputVersions = null;
    }

    internal string OriginSuffix => Origin is null ? "" : $" (created at {Origin})";

    private InvalidOperationException Released() => new(
        $"Backward through '{Name}'{OriginSuffix}: this part of the graph was already freed by an earlier backward. " +
        "Pass retainGraph: true to the first Backward to walk the graph more than once, or recompute the forward pass.");
}
