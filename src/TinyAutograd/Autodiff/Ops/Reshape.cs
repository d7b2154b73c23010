using System.Numerics;
using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// The same elements, in the same row-major order, under another shape of the same element count; one dimension
    /// may be −1 to be inferred. No data is copied: the result shares storage (and the in-place write counter).
    /// </summary>
    /// <remarks>∂L/∂x = ∂L/∂y reshaped back.</remarks>
    /// <exception cref="ArgumentException">The element counts differ, or −1 appears twice or cannot be inferred.</exception>
    public Tensor<T> Reshape(params ReadOnlySpan<int> shape) => Reshape(ResolveReshape(shape));

    /// <summary>The same elements under another shape of the same element count (no copy).</summary>
    /// <exception cref="ArgumentException">The element counts differ.</exception>
    public Tensor<T> Reshape(Shape shape, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0) => ReshapeNode<T>.Apply(this, shape, OpCall.At("Reshape", file, line));

    private Shape ResolveReshape(ReadOnlySpan<int> shape)
    {
        int inferred = shape.IndexOf(-1);
        if (inferred < 0)
        {
            return new Shape(shape);
        }
        if (shape.LastIndexOf(-1) != inferred)
        {
            throw new ArgumentException($"Reshape: at most one dimension may be −1 in [{string.Join(", ", shape.ToArray())}].", nameof(shape));
        }
        var known = shape.ToArray();
        known[inferred] = 1;
        int rest = new Shape(known).Length;
        if (rest == 0 || Length % rest != 0)
        {
            throw new ArgumentException($"Reshape: {Describe()} has {Length} elements, which cannot fill [{string.Join(", ", shape.ToArray())}] for any size of the −1 dimension.", nameof(shape));
        }
        known[inferred] = Length / rest;
        return Shape.FromOwned(known);
    }
}

internal sealed class ReshapeNode<T> : LinearNode<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private ReshapeNode(Tensor<T> x)
        : base("Reshape", x)
    {
    }

    public static Tensor<T> Apply(Tensor<T> x, Shape shape, OpCall call = default)
    {
        if (shape.Length != x.Length)
        {
            throw new ArgumentException($"Reshape: {x.Describe()} has {x.Length} elements but shape {shape} holds {shape.Length}.", nameof(shape));
        }
        if (shape == x.Shape && !Tape.Tracks(x))
        {
            return x;
        }
        var result = x.Alias(shape);
        return Tape.Record(call, result, Tape.Tracks(x) ? new ReshapeNode<T>(x) : null);
    }

    protected override Tensor<T> Map(ReadOnlySpan<Tensor<T>> operands) => Apply(operands[0], Output.Shape);

    protected override Tensor<T> Transpose(int index, Tensor<T> outputGradient) => Apply(outputGradient, Input(0).Shape);
}
