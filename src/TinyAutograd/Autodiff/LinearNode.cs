using System.Numerics;

namespace TinyAutograd.Differentiation;

/// <summary>
/// The node of a linear op y = A(x₀, …, xₙ₋₁) (sum, reshape, permute, broadcast, slice, pad, gather and scatter, im2col):
/// the op states its transpose Aᵀ once, which is its VJP, and its JVP is the op itself applied to the tangents,
/// ẏ = A(ẋ₀, …, ẋₙ₋₁), never written again (JAX's linear primitives with a transpose rule; PyTorch's <c>auto_linear</c>).
/// </summary>
/// <remarks>
/// Both <see cref="Map"/> and <see cref="Transpose"/> are themselves recorded ops, so the rules stay differentiable.
/// An input without a tangent counts as a zero tangent.
/// </remarks>
internal abstract class LinearNode<T> : Node<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    protected LinearNode(string name, Tensor<T> input)
        : base(name, input)
    {
    }

    protected LinearNode(string name, Tensor<T> first, Tensor<T> second)
        : base(name, first, second)
    {
    }

    protected LinearNode(string name, Tensor<T>[] inputs)
        : base(name, inputs)
    {
    }

    /// <summary>The op A itself, applied to operands shaped like its inputs (the same axes, indices and sizes).</summary>
    protected abstract Tensor<T> Map(ReadOnlySpan<Tensor<T>> operands);

    /// <summary>The transpose Aᵀ for input <paramref name="index"/>: ⟨Aᵀg, v⟩ = ⟨g, A(…, v, …)⟩, in that input's shape.</summary>
    protected abstract Tensor<T> Transpose(int index, Tensor<T> outputGradient);

    /// <summary>
    /// Whether <see cref="AddTranspose"/> can add Aᵀg into a gradient collected so far without forming Aᵀg, which the
    /// backward pass then does instead of adding a materialized transpose (an op whose transpose is mostly zeros).
    /// </summary>
    internal virtual bool AddsTransposeInPlace => false;

    /// <summary>
    /// destination += Aᵀ<paramref name="outputGradient"/> for input <paramref name="index"/>, destination in that input's
    /// shape; called only when <see cref="AddsTransposeInPlace"/>. It must equal adding <see cref="Transpose"/>'s result.
    /// </summary>
    internal virtual void AddTranspose(int index, Tensor<T> outputGradient, Span<T> destination) =>
        throw new NotSupportedException($"'{Name}' does not add its transpose in place.");

    /// <summary>The VJP of a linear op is its transpose.</summary>
    public sealed override Tensor<T> InputGradient(int index, Tensor<T> outputGradient) => Transpose(index, outputGradient);

    /// <summary>A applied to <paramref name="inputTangent"/> in place of input <paramref name="index"/>, zeros for the other inputs.</summary>
    public sealed override Tensor<T> OutputTangent(int index, Tensor<T> inputTangent) =>
        InputCount == 1 ? Map(new ReadOnlySpan<Tensor<T>>(ref inputTangent)) : Map(Tangents(index, inputTangent));

    /// <summary>ẏ = A(ẋ₀, …, ẋₙ₋₁) in one application of the op.</summary>
    internal sealed override Tensor<T> PushForward()
    {
        if (InputCount == 1)
        {
            var tangent = Input(0).Tangent!;
            return Map(new ReadOnlySpan<Tensor<T>>(ref tangent));
        }
        return Map(Tangents(-1, null));
    }

    /// <summary>Each input's tangent (or <paramref name="only"/> for input <paramref name="at"/> alone), zeros in place of the missing ones.</summary>
    private Tensor<T>[] Tangents(int at, Tensor<T>? only)
    {
        var tangents = new Tensor<T>[InputCount];
        for (int i = 0; i < tangents.Length; i++)
        {
            var input = Input(i);
            tangents[i] = (at < 0 ? input.Tangent : i == at ? only : null) ?? Tensor<T>.ZerosOf(input.Shape);
        }
        return tangents;
    }
}
