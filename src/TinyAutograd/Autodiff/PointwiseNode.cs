using System.Numerics;

namespace TinyAutograd.Differentiation;

/// <summary>
/// An op whose backward is pointwise whenever its inputs have its output's shape: element i of ∂L/∂input depends only
/// on element i of ∂L/∂output and of the tensors the op saved. The backward pass then runs a whole chain of such ops
/// over one cache-sized block of elements at a time (<see cref="PointwiseRegion{T}"/>), so the gradients between them
/// never go to memory.
/// </summary>
internal abstract class PointwiseNode<T> : Node<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    protected PointwiseNode(string name, Tensor<T> input)
        : base(name, input)
    {
    }

    protected PointwiseNode(string name, Tensor<T> first, Tensor<T> second)
        : base(name, first, second)
    {
    }

    /// <summary>
    /// destination = addend + ∂L/∂input[<paramref name="index"/>] on the elements [start, start + g.Length), given g =
    /// ∂L/∂output there; an empty <paramref name="addend"/> adds nothing. <paramref name="destination"/> may be
    /// <paramref name="addend"/>. The values are rounded exactly as the op's recorded rule followed by a sum rounds them.
    /// </summary>
    /// <remarks>The saved tensors the rule reads come from <paramref name="saved"/>.</remarks>
    public abstract void AddInputGradient(int index, int start, ReadOnlySpan<T> g, ReadOnlySpan<T> addend, Span<T> destination, in SavedBlocks<T> saved);

    /// <summary>Whether ∂L/∂input[<paramref name="index"/>] is g itself (a sum's partials), as the rule states it.</summary>
    public abstract bool PassesGradient(int index);

    /// <summary>Adds the saved tensors <see cref="AddInputGradient"/> reads (for either input) to <paramref name="read"/>.</summary>
    public abstract void AddSavedTensors(List<Tensor<T>> read);
}
