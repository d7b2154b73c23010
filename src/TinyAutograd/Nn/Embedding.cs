using System.Numerics;

namespace TinyAutograd.Nn;

/// <summary>A lookup table of learned vectors, one row per token id (PyTorch's <c>nn.Embedding</c>).</summary>
/// <remarks>
/// <para>
/// Token ids travel as plain <see cref="int"/>s, not as tensors: the library's tensors hold floating-point values
/// only, and a float32 represents integers exactly only up to 2²⁴. <see cref="Forward(ReadOnlySpan{int}, int[])"/>
/// takes the ids in row-major order with their shape and returns shape + [dimension].
/// </para>
/// <para>
/// y[i] = W[ids[i]] is <see cref="Tensor{T}.IndexSelect"/> on axis 0; its gradient adds each row of ∂L/∂y into the
/// row of W it came from (a repeated id accumulates). W starts from N(0, 1), as in PyTorch.
/// </para>
/// </remarks>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Embedding<T> : Module<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates a table of <paramref name="count"/> vectors of size <paramref name="dimension"/>, drawn from N(0, 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    public Embedding(int count, int dimension, RandomSource random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        ArgumentNullException.ThrowIfNull(random);
        Count = count;
        Dimension = dimension;
        Init.Normal(RegisterParameter("weight", Tensor.Zeros<T>(count, dimension)), 0, 1, random);
    }

    /// <summary>The number of token ids: valid ids are 0 to Count − 1.</summary>
    public int Count { get; }

    /// <summary>The size of each vector.</summary>
    public int Dimension { get; }

    /// <summary>The table W, of shape [count, dimension].</summary>
    public Tensor<T> Weight => Parameter("weight");

    /// <inheritdoc/>
    public override string Description => $"Embedding {Count}×{Dimension}";

    /// <summary>The vectors of <paramref name="ids"/> (row-major, of <paramref name="shape"/>; one axis of ids.Length if no shape is given): shape + [dimension].</summary>
    /// <exception cref="ArgumentException">The shape does not hold ids.Length elements, or an id is outside [0, Count).</exception>
    public Tensor<T> Forward(ReadOnlySpan<int> ids, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        int[] outer = shape.Length == 0 ? [ids.Length] : shape;
        long elements = 1;
        foreach (int size in outer)
        {
            elements *= size;
        }
        if (elements != ids.Length || outer.Any(size => size < 0))
        {
            throw new ArgumentException($"{Label}: {ids.Length} token ids cannot have shape [{string.Join(", ", outer)}].", nameof(shape));
        }
        for (int i = 0; i < ids.Length; i++)
        {
            if ((uint)ids[i] >= (uint)Count)
            {
                throw new ArgumentException($"{Label}: token id {ids[i]} at position {i} is out of range; expected 0 to {Count - 1}.", nameof(ids));
            }
        }
        return Weight.IndexSelect(0, ids).Reshape([.. outer, Dimension]);
    }

    /// <summary>The vectors of a [rows, columns] array of ids: shape [rows, columns, dimension] (e.g. a batch of sequences).</summary>
    /// <exception cref="ArgumentException">An id is outside [0, Count).</exception>
    public Tensor<T> Forward(int[,] ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var flat = new int[ids.Length];
        int next = 0;
        foreach (int id in ids)
        {
            flat[next++] = id;
        }
        return Forward(flat, ids.GetLength(0), ids.GetLength(1));
    }
}
