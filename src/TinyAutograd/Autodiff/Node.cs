using System.Numerics;

namespace TinyAutograd.Differentiation;

/// <summary>
/// One recorded operation: its inputs, its output and its derivative rules. Each primitive op derives from this
/// in its own file, with the forward computation beside the rules.
/// </summary>
/// <remarks>
/// Both rules are written with the public differentiable tensor operations, so a backward pass run while
/// recording is itself recorded (derivatives of any order), and tangents flow through it (forward-over-reverse).
/// One- and two-input ops keep their inputs in fields, so recording them allocates only the node itself; the inputs of
/// ops given as an array stay out of line, so that the fields every node carries stay few.
/// </remarks>
internal abstract class Node<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private Tensor<T>? _first;
    private Tensor<T>? _second;
    private MoreInputs? _more;
    private long _firstVersions;
    private Tensor<T>? _output;
    private int _outputVersion;
    private string? _callName;
    private string? _callFile;
    private int _callLine;

    protected Node(string name, Tensor<T> input)
    {
        Name = name;
        _first = input;
        InputCount = 1;
    }

    protected Node(string name, Tensor<T> first, Tensor<T> second)
    {
        Name = name;
        _first = first;
        _second = second;
        InputCount = 2;
    }

    protected Node(string name, Tensor<T>[] inputs)
    {
        Name = name;
        _more = new MoreInputs(inputs);
        InputCount = inputs.Length;
    }

    /// <summary>The op's name as users know it, e.g. <c>Exp</c>.</summary>
    public string Name { get; }

    /// <summary>
    /// The node's depth in its graph: one more than the deepest node among its inputs' producers (1 when its inputs are
    /// leaves), so a node always comes after the nodes of its inputs. Decreasing depth is a reverse topological order;
    /// unlike a global creation counter, it needs no atomic increment per recorded op, and threads recording at once
    /// never contend for it.
    /// </summary>
    public long Depth { get; private set; }

    /// <summary>
    /// The call that made the node: the op name the user called (the node's own <see cref="Name"/> when the call was
    /// unnamed) and the caller's file and line (<see cref="OpCall"/>; its start mark is not kept).
    /// </summary>
    public OpCall Call => new(_callName ?? Name, _callFile, _callLine);

    /// <summary>
    /// Keeps what <paramref name="call"/> adds to the node's own name: a different name, a place. Most nodes come from
    /// operators (unnamed, no place) and keep nothing, so a recorded node stays small.
    /// </summary>
    internal void SetCall(in OpCall call)
    {
        if (call.Name is { } name && name != Name)
        {
            _callName = name;
        }
        if (call.File is { } file)
        {
            SetPlace(file, call.Line);
        }
    }

    /// <summary>Sets the place of the call that made the node.</summary>
    internal void SetPlace(string file, int line)
    {
        _callFile = file;
        _callLine = line;
    }

    /// <summary>Scratch index used by the backward engine while it walks the graph.</summary>
    internal int WalkIndex { get; set; }

    /// <summary>
    /// The backward walk that currently holds this node, or null. A walk claims each node it visits, so that a second
    /// walk over the same graph at the same time (from another thread) is refused instead of mixing the scratch state.
    /// </summary>
    private object? _walker;

    /// <summary>
    /// Claims the node for <paramref name="walk"/>: true when it was free (first visit), false when the walk already
    /// holds it (visited before).
    /// </summary>
    /// <exception cref="InvalidOperationException">Another walk holds the node: the graph is being differentiated twice at once.</exception>
    internal bool Claim(object walk)
    {
        var holder = Interlocked.CompareExchange(ref _walker, walk, null);
        if (holder is null)
        {
            return true;
        }
        if (ReferenceEquals(holder, walk))
        {
            return false;
        }
        throw new InvalidOperationException(
            $"Backward through '{Name}'{OriginSuffix}: another backward pass is walking this part of the graph at the same time " +
            "(from another thread, or from inside a backward rule). One graph cannot be differentiated by two passes at once: " +
            "give each thread its own forward pass, or run the backward passes one after the other.");
    }

    /// <summary>Frees the node for the next walk.</summary>
    internal void Unclaim() => Volatile.Write(ref _walker, null);

    /// <summary>How many inputs the op has.</summary>
    public int InputCount { get; }

    /// <summary>The tensor this op produced.</summary>
    public Tensor<T> Output => _output ?? throw Released();

    /// <summary>Input <paramref name="index"/>, in the order the rules number them.</summary>
    public Tensor<T> Input(int index)
    {
        var input = _more is { } more ? more.Tensors[index] : index == 0 ? _first : _second;
        return input ?? throw Released();
    }

    /// <summary>Links the node to its output once the forward value exists.</summary>
    internal void Bind(Tensor<T> output, bool recorded)
    {
        _output = output;
        if (!recorded)
        {
            return;
        }
        long deepest = 0;
        if (_more is { Tensors: var more } inputs)
        {
            inputs.Versions = new int[more.Length];
            for (int i = 0; i < more.Length; i++)
            {
                inputs.Versions[i] = more[i].Version;
                deepest = Math.Max(deepest, more[i].Producer?.Depth ?? 0);
            }
        }
        else
        {
            _firstVersions = (uint)_first!.Version | ((long)(_second?.Version ?? 0) << 32);
            deepest = Math.Max(_first.Producer?.Depth ?? 0, _second?.Producer?.Depth ?? 0);
        }
        Depth = deepest + 1;
        _outputVersion = output.Version;
    }

    /// <summary>
    /// The vector–Jacobian product for one input: given ∂L/∂output, returns that input's share of ∂L/∂input,
    /// in the input's shape (an op that <see cref="BroadcastsInputs"/> may leave it at the broadcast shape). Called only
    /// for inputs that require grad.
    /// </summary>
    public abstract Tensor<T> InputGradient(int index, Tensor<T> outputGradient);

    /// <summary>
    /// The Jacobian–vector product for one input: given that input's tangent, returns its contribution to the
    /// output's tangent, in the output's shape (an op that <see cref="BroadcastsInputs"/> may leave it at a shape that
    /// broadcasts to it). The output tangent is the sum over inputs that carry tangents.
    /// </summary>
    public abstract Tensor<T> OutputTangent(int index, Tensor<T> inputTangent);

    /// <summary>Whether an input or the output carries a forward-mode tangent (the backward is then part of a JVP).</summary>
    internal bool CarriesTangents()
    {
        for (int i = 0; i < InputCount; i++)
        {
            if (Input(i).Tangent is not null)
            {
                return true;
            }
        }
        return Output.Tangent is not null;
    }

    /// <summary>
    /// The output's whole tangent, ẏ = Σᵢ OutputTangent(i, ẋᵢ) over the inputs that carry a tangent. Called with tangents
    /// suspended and recording off; an op that can form the sum without a buffer per term overrides it.
    /// </summary>
    internal virtual Tensor<T> PushForward()
    {
        Tensor<T>? sum = null;
        for (int i = 0; i < InputCount; i++)
        {
            if (Input(i).Tangent is { } tangent)
            {
                var contribution = OutputTangent(i, tangent);
                sum = sum is null ? contribution : sum + contribution;
            }
        }
        return sum!;
    }

    /// <summary>
    /// Only the tangent of <see cref="InputGradient"/>(<paramref name="index"/>, g) when g and the saved inputs carry
    /// tangents: d/dε InputGradient(index, g + εġ) with every saved x moving to x + εẋ; null when it is zero. The
    /// backward pass of a Hessian-vector product asks it for leaves, whose gradient itself is not wanted; an op whose
    /// gradient costs as much as its tangent (a matrix product) overrides it so as not to compute the gradient.
    /// </summary>
    internal virtual Tensor<T>? InputGradientTangent(int index, Tensor<T> outputGradient) => InputGradient(index, outputGradient).Tangent;

    /// <summary>
    /// <see cref="InputGradient"/>(<paramref name="index"/>, g) recorded without its values
    /// (<see cref="Tape.RecordUnformed"/>), for a gradient wanted for its graph alone: the inner pass of a
    /// reverse-over-reverse Hessian-vector product, whose second pass starts at the gradients and reads only the tensors
    /// their rules saved. Null when the rule cannot (the engine then forms the share): only a share made by one op whose
    /// own backward reads its inputs, never its output, and made at the input's shape may be. A matrix product's
    /// overrides it, so that a weight's gradient, the costliest product of a layer's backward, is never computed.
    /// </summary>
    internal virtual Tensor<T>? UnformedInputGradient(int index, Tensor<T> outputGradient) => null;

    /// <summary>
    /// Whether the op broadcasts its inputs against each other (NumPy rules). Its rules then work at the broadcast shape:
    /// <see cref="InputGradient"/> may return an input's gradient at a shape the input broadcasts to, and
    /// <see cref="OutputTangent"/> a contribution at a shape that broadcasts to the output's. The engine and the tape fit
    /// them with <see cref="SumToInput"/> and <see cref="ExpandToOutput"/>, the one place where broadcasting is undone.
    /// </summary>
    internal virtual bool BroadcastsInputs => false;

    /// <summary>
    /// A gradient a rule returned for input <paramref name="index"/>, summed over the axes the op broadcast that input
    /// along (a shaped edge's gradient is summed to its source's shape); as it is when the shapes agree or the op does
    /// not broadcast.
    /// </summary>
    internal Tensor<T> SumToInput(int index, Tensor<T> gradient)
    {
        var shape = Input(index).Shape;
        return !BroadcastsInputs || gradient.Shape == shape ? gradient : gradient.SumTo(shape);
    }

    /// <summary>An output tangent from <see cref="PushForward"/>, broadcast to the output's shape when the op broadcasts its inputs.</summary>
    internal Tensor<T> ExpandToOutput(Tensor<T> tangent) =>
        !BroadcastsInputs || tangent.Shape == Output.Shape ? tangent : tangent.BroadcastTo(Output.Shape);

    /// <summary>Fails clearly when a tensor this node saved was written in place after it was recorded.</summary>
    internal void CheckVersions()
    {
        for (int i = 0; i < InputCount; i++)
        {
            var input = Input(i);
            int recorded = RecordedVersion(i);
            if (input.Version != recorded)
            {
                throw new InvalidOperationException(
                    $"Backward through '{Name}'{OriginSuffix}: its input {i}, {input.Describe()}, was modified in place after it was used " +
                    $"(version {recorded} when recorded, {input.Version} now). The gradient would be wrong; " +
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
        _first = null;
        _second = null;
        _more = null;
        _output = null;
    }

    /// <summary>The input shapes, for messages.</summary>
    internal string DescribeInputs()
    {
        var shapes = new string[InputCount];
        for (int i = 0; i < shapes.Length; i++)
        {
            shapes[i] = Input(i).Shape.ToString();
        }
        return string.Join(", ", shapes);
    }

    internal string OriginSuffix => Call.Place is { } place ? $" (created at {place})" : "";

    private int RecordedVersion(int index) =>
        _more?.Versions is { } versions ? versions[index] : (int)(index == 0 ? _firstVersions & 0xFFFFFFFF : _firstVersions >>> 32);

    private InvalidOperationException Released() => new(
        $"Backward through '{Name}'{OriginSuffix}: this part of the graph was already freed by an earlier backward. " +
        "Pass retainGraph: true to the first Backward to walk the graph more than once, or recompute the forward pass.");

    /// <summary>
    /// The inputs of an op given as an array (more than two, or any number), with their versions once recorded: one
    /// field of every node instead of two, which most nodes leave empty.
    /// </summary>
    private sealed class MoreInputs(Tensor<T>[] tensors)
    {
        /// <summary>The inputs, in the order the rules number them.</summary>
        public Tensor<T>[] Tensors { get; } = tensors;

        /// <summary>Each input's <see cref="Tensor{T}.Version"/> when the node was recorded; null until then.</summary>
        public int[]? Versions { get; set; }
    }
}
