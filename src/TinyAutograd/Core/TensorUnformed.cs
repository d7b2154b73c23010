namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// A recorded result of <paramref name="shape"/> whose values are never computed: a gradient wanted for its graph
    /// alone (the inner pass of a reverse-over-reverse Hessian-vector product, whose second pass starts at the gradients
    /// and reads none of their values). It owns no buffer and no arena tracks it; any read of its values throws.
    /// </summary>
    internal static Tensor<T> Unformed(Shape shape) => new(shape);

    /// <summary>A tensor with no buffer, in the <see cref="TensorState.Unformed"/> state.</summary>
    private Tensor(Shape shape)
    {
        Shape = shape;
        _storage = [];
        _state = TensorState.Unformed;
    }

    /// <summary>Whether this tensor was recorded for its graph alone and has no values (<see cref="Unformed"/>).</summary>
    internal bool IsUnformed => (_state & TensorState.Unformed) != 0;

    /// <summary>Throws the error a read of this tensor's values would when it has none (<see cref="Unformed"/>).</summary>
    private void ThrowIfUnformed()
    {
        if (IsUnformed)
        {
            throw new InvalidOperationException(
                $"{Describe()} was recorded for its graph alone (the inner gradient of a reverse-over-reverse Hessian-vector product): " +
                "its values were never computed and cannot be read.");
        }
    }
}
