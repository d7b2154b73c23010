using System.Numerics;
using TinyAutograd.Differentiation;
using TinyAutograd.Kernels;

namespace TinyAutograd;

/// <summary>
/// A 3×3, stride-1 convolution of <see cref="Nn.Conv2d{T}"/> with enough channels for Winograd's F(2×2, 3×3)
/// (<see cref="WinogradConvolution"/>) in one node: y[n, o] = b[o] + Σ_c W[o, c] ⋆ x[n, c], zero padding of at most 2
/// on each side.
/// </summary>
/// <remarks>
/// <para>
/// ∂L/∂x is the convolution of g = ∂L/∂y with the kernel W'[c, o] = W[o, c] rotated by 180° and padding 2 − p on each
/// side (p the forward padding there), so it runs through the same Winograd kernel. ∂L/∂W[o, c, i, j] =
/// Σ_n Σ_position g[n, o, position]·x[n, c, position + (i, j) − (top, left)] is formed in the Winograd domain too: the
/// adjoint of the output transform applied to g, times the transformed input, summed over the tiles, transformed back.
/// ∂L/∂b = Σ over images and positions of g.
/// </para>
/// <para>
/// When anything is tracked (higher orders, tangents), the gradients are the recorded composite's instead: im2col as
/// a recorded op, products, col2im, so derivatives of every order follow. The tangent is the convolution itself applied
/// to the input's or the weight's tangent (it is bilinear), and the bias tangent broadcast.
/// </para>
/// </remarks>
internal sealed class Convolution3x3Node<T> : Node<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The axes a bias gradient sums over: images and positions.</summary>
    private static readonly int[] ImagesAndPositions = [0, 2, 3];

    private readonly ConvGeometry _geometry;

    private Convolution3x3Node(Tensor<T>[] inputs, ConvGeometry geometry)
        : base("Conv2d", inputs) => _geometry = geometry;

    /// <summary>y = W ⋆ x + b, [N, O, OH, OW].</summary>
    /// <param name="input">x, of <paramref name="geometry"/>'s image shape.</param>
    /// <param name="weight">W, [O, C, 3, 3].</param>
    /// <param name="bias">b, [O], or null.</param>
    /// <param name="geometry">The convolution; <see cref="WinogradConvolution.Handles"/> holds for it.</param>
    /// <param name="call">The caller's place.</param>
    public static Tensor<T> Apply(Tensor<T> input, Tensor<T> weight, Tensor<T>? bias, in ConvGeometry geometry, OpCall call = default)
    {
        int outChannels = weight.Shape[0];
        var output = Tensor<T>.Uninitialized(new Shape(geometry.Batch, outChannels, geometry.OutHeight, geometry.OutWidth));
        WinogradConvolution.Forward(geometry, outChannels, input.Data, weight.Data, adjoint: false, bias is null ? default : bias.Data, output.Storage);
        bool tracks = Tape.Tracks(input, weight) || (bias is not null && Tape.Tracks(bias));
        return Tape.Record(call, output, tracks ? new Convolution3x3Node<T>(bias is null ? [input, weight] : [input, weight, bias], geometry) : null);
    }

    public override Tensor<T> InputGradient(int index, Tensor<T> outputGradient)
    {
        bool tracks = Tape.Tracks(outputGradient) || Tape.Tracks(Input(0), Input(1)) || (InputCount > 2 && Tape.Tracks(Input(2)));
        return index switch
        {
            0 => tracks ? RecordedInputGradient(outputGradient) : InputGradient(outputGradient),
            1 => tracks ? RecordedWeightGradient(outputGradient) : WeightGradient(outputGradient),
            _ => outputGradient.Sum(ImagesAndPositions),
        };
    }

    public override Tensor<T> OutputTangent(int index, Tensor<T> inputTangent) => index switch
    {
        0 => Apply(inputTangent, Input(1), null, _geometry),
        1 => Apply(Input(0), inputTangent, null, _geometry),
        _ => inputTangent.Reshape(1, inputTangent.Length, 1, 1).BroadcastTo(Output.Shape),
    };

    /// <summary>g ⋆ W' with padding 2 − p (see the class remarks), by the Winograd kernel.</summary>
    private Tensor<T> InputGradient(Tensor<T> outputGradient)
    {
        var g = _geometry;
        var adjoint = g with
        {
            Channels = Output.Shape[1], Height = g.OutHeight, Width = g.OutWidth,
            PadTop = 2 - g.PadTop, PadBottom = 2 - g.PadBottom, PadLeft = 2 - g.PadLeft, PadRight = 2 - g.PadRight,
        };
        var result = Tensor<T>.Uninitialized(g.ImageShape);
        WinogradConvolution.Forward(adjoint, g.Channels, outputGradient.Data, Input(1).Data, adjoint: true, default, result.Storage);
        return result;
    }

    /// <summary>∂L/∂W by the Winograd kernel (see the class remarks).</summary>
    private Tensor<T> WeightGradient(Tensor<T> outputGradient)
    {
        var result = Tensor<T>.Uninitialized(Input(1).Shape);
        WinogradConvolution.WeightGradient(_geometry, Output.Shape[1], Input(0).Data, outputGradient.Data, result.Storage);
        return result;
    }

    /// <summary>col2im(Wᵀ·g) in recorded ops.</summary>
    private Tensor<T> RecordedInputGradient(Tensor<T> outputGradient)
    {
        var (g, weight) = (_geometry, Input(1));
        var columnsGradient = weight.Reshape(weight.Shape[0], g.Rows).MatMul(Flattened(outputGradient), transposeLeft: true);
        return Col2imNode<T>.Apply(columnsGradient.Reshape(g.Rows, g.Batch, g.Positions), g, ColumnLayout.Batched);
    }

    /// <summary>g·im2col(x)ᵀ in recorded ops.</summary>
    private Tensor<T> RecordedWeightGradient(Tensor<T> outputGradient)
    {
        var g = _geometry;
        var columns = Im2colNode<T>.Apply(Input(0), g, ColumnLayout.Batched).Reshape(g.Rows, g.Batch * g.Positions);
        return Flattened(outputGradient).MatMul(columns, transposeRight: true).Reshape(Input(1).Shape);
    }

    /// <summary>g [N, O, OH, OW] as [O, N·OH·OW], the batched columns' order.</summary>
    private Tensor<T> Flattened(Tensor<T> outputGradient)
    {
        int outChannels = Output.Shape[1];
        return outputGradient.Reshape(_geometry.Batch, outChannels, _geometry.Positions).Permute(1, 0, 2).Reshape(outChannels, _geometry.Batch * _geometry.Positions);
    }
}
