using System.Numerics;

namespace TinyAutograd;

/// <summary>How a dense Jacobian is assembled; both are exact and give the same matrix.</summary>
public enum JacobianMode
{
    /// <summary>
    /// One reverse pass (vector–Jacobian product) per output element, each giving a row: cheaper when the output has
    /// fewer elements than the inputs (PyTorch's and JAX's <c>jacrev</c>).
    /// </summary>
    Reverse,

    /// <summary>
    /// One forward pass (Jacobian–vector product) per input element, each giving a column: cheaper when the inputs have
    /// fewer elements than the output (<c>jacfwd</c>).
    /// </summary>
    Forward,
}

public static partial class AutoDiff
{
    /// <summary>
    /// The dense Jacobian of f at <paramref name="x"/>, of shape f(x).Shape ++ x.Shape, meant for small problems.
    /// </summary>
    /// <remarks>J[i…, j…] = ∂f(x)[i…]/∂x[j…]. For a scalar f it is the gradient, of x's shape.</remarks>
    public static Tensor<T> Jacobian<T>(Func<Tensor<T>, Tensor<T>> function, Tensor<T> x, JacobianMode mode = JacobianMode.Reverse)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(x);
        return Jacobian(inputs => function(inputs[0]), [x], mode)[0];
    }

    /// <summary>
    /// The dense Jacobian of a function of several tensors, as one block per input: block i has shape
    /// f(x).Shape ++ xᵢ.Shape.
    /// </summary>
    /// <remarks>Block i holds ∂f[a…]/∂xᵢ[b…]. Reverse mode evaluates f once and runs one backward pass per output
    /// element; forward mode evaluates f once per element of all inputs together.</remarks>
    /// <exception cref="ArgumentException">No inputs were given.</exception>
    public static Tensor<T>[] Jacobian<T>(Func<Tensor<T>[], Tensor<T>> function, Tensor<T>[] inputs, JacobianMode mode = JacobianMode.Reverse)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        Argument.ThrowIfAnyNull(inputs, "Jacobian");
        if (inputs.Length == 0)
        {
            throw new ArgumentException("Jacobian: no inputs given; pass at least one tensor to differentiate with respect to.", nameof(inputs));
        }
        return mode == JacobianMode.Forward ? ForwardJacobian(function, inputs) : ReverseJacobian(function, inputs);
    }

    private static Tensor<T>[] ReverseJacobian<T>(Func<Tensor<T>[], Tensor<T>> function, Tensor<T>[] inputs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var leaves = Leaves(inputs, createGraph: false);
        using var recording = GradMode.Enable();
        var value = function(leaves);
        var blocks = JacobianBlocks(value.Shape, inputs);
        if (!value.RequiresGrad)
        {
            return blocks;
        }
        for (int row = 0; row < value.Length; row++)
        {
            var seed = BasisVector<T>(value.Shape, row);
            var gradients = Gradients(value, leaves, seed, retainGraph: row < value.Length - 1);
            for (int i = 0; i < inputs.Length; i++)
            {
                gradients[i].Data.CopyTo(blocks[i].Storage.AsSpan(row * inputs[i].Length, inputs[i].Length));
            }
        }
        return blocks;
    }

    private static Tensor<T>[] ForwardJacobian<T>(Func<Tensor<T>[], Tensor<T>> function, Tensor<T>[] inputs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Tensor<T>[]? blocks = null;
        var tangents = inputs.Select(input => Tensor<T>.ZerosOf(input.Shape)).ToArray();
        for (int i = 0; i < inputs.Length; i++)
        {
            for (int column = 0; column < inputs[i].Length; column++)
            {
                tangents[i] = BasisVector<T>(inputs[i].Shape, column);
                var (value, product) = Jvp(function, inputs, tangents);
                blocks ??= JacobianBlocks(value.Shape, inputs);
                WriteColumn(blocks[i], product.Data, column, inputs[i].Length);
            }
            tangents[i] = Tensor<T>.ZerosOf(inputs[i].Shape);
        }
        // Every input may be empty, in which case f was never evaluated; evaluate it once for the output's shape.
        return blocks ?? JacobianBlocks(Jvp(function, inputs, tangents).Value.Shape, inputs);
    }

    /// <summary>Writes <paramref name="values"/> into column <paramref name="column"/> of a block viewed as a (values.Length × columns) matrix.</summary>
    private static void WriteColumn<T>(Tensor<T> block, ReadOnlySpan<T> values, int column, int columns)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var storage = block.Storage;
        for (int row = 0; row < values.Length; row++)
        {
            storage[row * columns + column] = values[row];
        }
    }

    /// <summary>Zero blocks of shape outputShape ++ inputᵢ.Shape, one per input.</summary>
    private static Tensor<T>[] JacobianBlocks<T>(Shape outputShape, Tensor<T>[] inputs)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        [.. inputs.Select(input => Tensor<T>.ZerosOf(Concatenate(outputShape, input.Shape)))];

    /// <summary>The shape whose axes are those of <paramref name="first"/> followed by those of <paramref name="second"/>.</summary>
    private static Shape Concatenate(Shape first, Shape second) => new([.. first.Dimensions, .. second.Dimensions]);

    /// <summary>A tensor of the given shape that is one at flat index <paramref name="index"/> and zero elsewhere.</summary>
    private static Tensor<T> BasisVector<T>(Shape shape, int index)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var basis = Tensor<T>.ZerosOf(shape);
        basis.Storage[index] = T.One;
        return basis;
    }
}
