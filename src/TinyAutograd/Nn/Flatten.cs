using System.Numerics;

namespace TinyAutograd.Nn;

/// <summary>Merges the axes from <see cref="StartAxis"/> to <see cref="EndAxis"/> into one (PyTorch's <c>nn.Flatten</c>), e.g. [N, C, H, W] → [N, C·H·W].</summary>
/// <remarks>A reshape: y has the same elements in the same order; ∂L/∂x is ∂L/∂y reshaped back.</remarks>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Flatten<T> : Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Flattens axes <paramref name="startAxis"/> through <paramref name="endAxis"/> (negative values count from the end).</summary>
    public Flatten(int startAxis = 1, int endAxis = -1)
    {
        StartAxis = startAxis;
        EndAxis = endAxis;
    }

    /// <summary>The first axis merged.</summary>
    public int StartAxis { get; }

    /// <summary>The last axis merged.</summary>
    public int EndAxis { get; }

    /// <inheritdoc/>
    public override string Description => $"Flatten axes {StartAxis}..{EndAxis}";

    /// <inheritdoc/>
    public override Tensor<T> Forward(Tensor<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int start = StartAxis < 0 ? StartAxis + input.Rank : StartAxis;
        int end = EndAxis < 0 ? EndAxis + input.Rank : EndAxis;
        if (start < 0 || end >= input.Rank || start > end)
        {
            throw ShapeError($"input has shape {input.Shape} (rank {input.Rank}), expected at least {Math.Max(StartAxis < 0 ? -StartAxis : StartAxis + 1, EndAxis < 0 ? -EndAxis : EndAxis + 1)} axes with the start axis before the end axis");
        }
        var source = input.Shape.Dimensions;
        Span<int> dims = stackalloc int[source.Length - (end - start)];
        source[..start].CopyTo(dims);
        dims[start] = 1;
        for (int axis = start; axis <= end; axis++)
        {
            dims[start] *= source[axis];
        }
        source[(end + 1)..].CopyTo(dims[(start + 1)..]);
        return input.Reshape(dims);
    }
}
