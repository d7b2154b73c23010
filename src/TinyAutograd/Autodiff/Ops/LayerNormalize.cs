using System.Numerics;
using TinyAutograd.Differentiation;
using TinyAutograd.Kernels;

namespace TinyAutograd;

/// <summary>
/// <see cref="Nn.LayerNorm{T}"/> in one node: for each row x of n elements (the trailing axes flattened),
/// z = (x − μ)/s with μ = Σx/n, s = √(Σ(x − μ)²/n + ε); then y = z ⊙ w + b with the layer's affine parameters w and
/// b (of the rows' shape, the same for every row), or y = z without them.
/// </summary>
/// <remarks>
/// <para>
/// The Jacobian of z in a row is J = (I − 𝟙𝟙ᵀ/n − z·zᵀ/n)/s, symmetric, so the gradient and the tangent are the same
/// map v ↦ (v − mean(v) − z·mean(v ⊙ z))/s. With the affine step ∂L/∂x = J(g ⊙ w), ∂L/∂w = Σ_rows g ⊙ z and
/// ∂L/∂b = Σ_rows g; the tangents are J(ẋ) ⊙ w, z ⊙ ẇ and ḃ.
/// </para>
/// <para>
/// Written in recorded ops when anything is tracked, with z and s recomputed from the input by recorded ops, so
/// derivatives of every order follow; otherwise two sweeps over each row (<see cref="LayerNormRows"/>) over the saved
/// z and s, the parameters' gradients summed row after row (the same order whatever the thread count). The composite
/// it replaces (mean, subtract, square, mean, add, square root, divide, then multiply and add) recorded nine
/// full-size nodes.
/// </para>
/// </remarks>
internal sealed class LayerNormalizeNode<T> : Node<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int[] _axes;
    private readonly double _epsilon;
    private readonly Tensor<T> _normalized;
    private readonly Tensor<T> _deviations;
    private Tensor<T>? _gradientOf;
    private Tensor<T>[]? _gradients;

    private LayerNormalizeNode(Tensor<T>[] inputs, int[] axes, double epsilon, Tensor<T> normalized, Tensor<T> deviations)
        : base("LayerNorm", inputs)
    {
        _axes = axes;
        _epsilon = epsilon;
        _normalized = normalized;
        _deviations = deviations;
    }

    private bool HasAffine => InputCount == 3;

    /// <summary>y of <paramref name="input"/>, normalized over its last <paramref name="axes"/>.Length axes.</summary>
    /// <param name="input">The input; its trailing axes are the normalized ones.</param>
    /// <param name="weight">w, of the normalized axes' shape, or null (then <paramref name="bias"/> is null too).</param>
    /// <param name="bias">b, of the normalized axes' shape, or null.</param>
    /// <param name="axes">The normalized axes, counted from the end (−k … −1).</param>
    /// <param name="epsilon">ε ≥ 0, added to the variance.</param>
    /// <param name="call">The caller's place.</param>
    public static Tensor<T> Apply(Tensor<T> input, Tensor<T>? weight, Tensor<T>? bias, int[] axes, double epsilon, OpCall call = default)
    {
        int length = 1;
        foreach (int axis in axes)
        {
            length *= input.Shape[axis];
        }
        var normalized = Tensor<T>.Uninitialized(input.Shape);
        var deviations = Tensor<T>.Uninitialized(new Shape(input.Length / length));
        var result = weight is null ? normalized : Tensor<T>.Uninitialized(input.Shape);
        LayerNormRows.Forward(input.Data, weight is null ? default : weight.Data, bias is null ? default : bias.Data, length, T.CreateTruncating(epsilon), normalized.Storage, deviations.Storage, result.Storage);
        Tensor<T>[] inputs = weight is null ? [input] : [input, weight, bias!];
        return Tape.Record(call, result, Tape.Tracks(inputs) ? new LayerNormalizeNode<T>(inputs, axes, epsilon, normalized, deviations) : null);
    }

    public override Tensor<T> InputGradient(int index, Tensor<T> outputGradient)
    {
        if (!ReferenceEquals(_gradientOf, outputGradient) || _gradients is null)
        {
            _gradients = Recorded(outputGradient) ? RecordedGradients(outputGradient) : Gradients(outputGradient);
            _gradientOf = outputGradient;
        }
        return _gradients[index];
    }

    public override Tensor<T> OutputTangent(int index, Tensor<T> inputTangent) => index switch
    {
        0 => HasAffine ? TimesJacobian(inputTangent) * Input(1) : TimesJacobian(inputTangent),
        1 => Normalized(inputTangent) * inputTangent,
        _ => inputTangent.BroadcastTo(Output.Shape),
    };

    /// <summary>Whether the derivative must be written in recorded ops: <paramref name="v"/> or the node's output is tracked.</summary>
    private bool Recorded(Tensor<T> v) => Tape.Tracks(v) || Tape.Tracks(Output);

    /// <summary>z: the saved one, or recomputed from the input in recorded ops when <see cref="Recorded"/>.</summary>
    private Tensor<T> Normalized(Tensor<T> v) => Recorded(v) ? RecordedNormalization().Normalized : _normalized;

    /// <summary>z and s in recorded ops, recomputed from the input.</summary>
    private (Tensor<T> Normalized, Tensor<T> Deviation) RecordedNormalization()
    {
        var centered = Input(0) - Input(0).Mean(_axes, keepDims: true);
        var deviation = (centered.Square().Mean(_axes, keepDims: true) + _epsilon).Sqrt();
        return (centered / deviation, deviation);
    }

    /// <summary>J·v per row in recorded ops, given z and s (<see cref="RecordedNormalization"/>).</summary>
    private Tensor<T> RecordedJacobian(Tensor<T> v, Tensor<T> z, Tensor<T> deviation) =>
        (v - v.Mean(_axes, keepDims: true) - z * (v * z).Mean(_axes, keepDims: true)) / deviation;

    /// <summary>J·v per row (see the class remarks).</summary>
    private Tensor<T> TimesJacobian(Tensor<T> v)
    {
        if (Recorded(v))
        {
            var (z, deviation) = RecordedNormalization();
            return RecordedJacobian(v, z, deviation);
        }
        var result = Tensor<T>.Uninitialized(v.Shape);
        LayerNormRows.Backward(v.Data, default, _normalized.Data, _deviations.Data, result.Storage, default, default);
        return result;
    }

    /// <summary>The gradients of the class remarks in recorded ops, over one recomputation of z and s.</summary>
    private Tensor<T>[] RecordedGradients(Tensor<T> outputGradient)
    {
        if (!HasAffine)
        {
            return [TimesJacobian(outputGradient)];
        }
        var (z, deviation) = RecordedNormalization();
        var leading = Enumerable.Range(0, Output.Rank - _axes.Length).ToArray();
        Tensor<T> OverRows(Tensor<T> t) => leading.Length == 0 ? t : t.Sum(leading);
        return [RecordedJacobian(outputGradient * Input(1), z, deviation), OverRows(outputGradient * z), OverRows(outputGradient)];
    }

    /// <summary>All the gradients in two sweeps per row over the saved z and s.</summary>
    private Tensor<T>[] Gradients(Tensor<T> outputGradient)
    {
        var input = Tensor<T>.Uninitialized(Output.Shape);
        if (!HasAffine)
        {
            LayerNormRows.Backward(outputGradient.Data, default, _normalized.Data, _deviations.Data, input.Storage, default, default);
            return [input];
        }
        var (weight, bias) = (Tensor<T>.ZerosOf(Input(1).Shape), Tensor<T>.ZerosOf(Input(2).Shape));
        LayerNormRows.Backward(outputGradient.Data, Input(1).Data, _normalized.Data, _deviations.Data, input.Storage, weight.Storage, bias.Storage);
        return [input, weight, bias];
    }
}
