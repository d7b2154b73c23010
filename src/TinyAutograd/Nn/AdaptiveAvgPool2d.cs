using System.Numerics;

namespace TinyAutograd.Nn;

/// <summary>
/// Average pooling of NCHW images to a fixed output size whatever the input size (PyTorch's
/// <c>nn.AdaptiveAvgPool2d</c>); an output size of 1 is global average pooling.
/// </summary>
/// <remarks>
/// <para>
/// Output row i averages input rows s_i … e_i − 1 with s_i = ⌊i·H/OH⌋ and e_i = ⌈(i + 1)·H/OH⌉ (PyTorch's rule; the
/// windows may overlap or differ in size by one), and likewise for columns:
/// y[n, c, i, j] = Σ_{h = s_i}^{e_i − 1} Σ_{w = t_j}^{f_j − 1} x[n, c, h, w] / ((e_i − s_i)·(f_j − t_j)).
/// </para>
/// <para>
/// The average factors over the two axes, so y = A·x·Bᵀ per image and channel, with A [OH, H] holding 1/(e_i − s_i)
/// on row i's window and B [OW, W] likewise: two recorded matrix products, through which gradients, JVPs and
/// Hessian-vector products go.
/// </para>
/// </remarks>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class AdaptiveAvgPool2d<T> : Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Pools to <paramref name="outputSize"/> (an int means square; 1 is global average pooling).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    public AdaptiveAvgPool2d(Size2d outputSize)
    {
        outputSize.RequirePositive(nameof(outputSize));
        OutputSize = outputSize;
    }

    /// <summary>OH × OW.</summary>
    public Size2d OutputSize { get; }

    /// <inheritdoc/>
    public override string Description => $"AdaptiveAvgPool2d to {OutputSize.Height}×{OutputSize.Width}";

    /// <summary>The window averages of an input of shape [N, C, H, W]; the output has shape [N, C, OH, OW].</summary>
    /// <exception cref="ArgumentException">The input is not 4-d or has an empty image.</exception>
    public override Tensor<T> Forward(Tensor<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4 || input.Shape[2] == 0 || input.Shape[3] == 0)
        {
            throw ShapeError($"input has shape {input.Shape}, expected [N, C, H, W] with H, W ≥ 1");
        }
        var rows = Averaging(OutputSize.Height, input.Shape[2]);
        var columns = Averaging(OutputSize.Width, input.Shape[3]);
        return rows.MatMul(input.MatMul(columns, transposeRight: true));
    }

    /// <summary>The [outputs, size] matrix whose row i holds 1/(e_i − s_i) on s_i … e_i − 1 and 0 elsewhere.</summary>
    private static Tensor<T> Averaging(int outputs, int size)
    {
        var matrix = new T[outputs * size];
        for (int i = 0; i < outputs; i++)
        {
            int start = (int)((long)i * size / outputs);
            int end = (int)(((long)(i + 1) * size + outputs - 1) / outputs);
            T weight = T.One / T.CreateTruncating(end - start);
            matrix.AsSpan(i * size + start, end - start).Fill(weight);
        }
        return Tensor.FromArray(matrix, outputs, size);
    }
}
