using System.Numerics;

namespace TinyAutograd;

/// <summary>
/// What a <see cref="CustomOperation{T}"/>'s all-inputs backward rule works with: the inputs and the output (both
/// differentiable), ∂L/∂y, the tensors its forward saved, and which inputs need a gradient.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class CustomBackward<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    internal CustomBackward(IReadOnlyList<Tensor<T>> inputs, Tensor<T> output, Tensor<T> outputGradient, IReadOnlyList<Tensor<T>> saved, bool isDifferentiated)
    {
        Inputs = inputs;
        Output = output;
        OutputGradient = outputGradient;
        Saved = saved;
        IsDifferentiated = isDifferentiated;
    }

    /// <summary>The inputs as given to <see cref="CustomOperation{T}.Apply"/> (differentiable: use them, not copies).</summary>
    public IReadOnlyList<Tensor<T>> Inputs { get; }

    /// <summary>The result of the forward computation (differentiable too).</summary>
    public Tensor<T> Output { get; }

    /// <summary>∂L/∂y, in the output's shape.</summary>
    public Tensor<T> OutputGradient { get; }

    /// <summary>The tensors the forward passed to <c>SaveForBackward</c>, in that order: values, constant to any
    /// further differentiation.</summary>
    public IReadOnlyList<Tensor<T>> Saved { get; }

    /// <summary>
    /// Whether this backward is itself being differentiated (<c>createGraph: true</c>, or tangents flowing for a
    /// forward-over-reverse Hessian-vector product). Saved tensors are then constants to the second derivative:
    /// recompute from <see cref="Inputs"/> with differentiable ops whatever depends on the inputs.
    /// </summary>
    public bool IsDifferentiated { get; }

    /// <summary>Whether input <paramref name="index"/> needs a gradient; return null for it otherwise.</summary>
    public bool NeedsGradient(int index) => Inputs[index].RequiresGrad;
}
