using System.Numerics;
using TinyAutograd.Differentiation;
using TinyAutograd.Kernels;

namespace TinyAutograd;

/// <summary>
/// A 2-d convolution of <see cref="Nn.Conv2d{T}"/> with one group, in one node: y[n, o] = b[o] + Σ_c W[o, c] ⋆ x[n, c].
/// 3×3 kernels at stride 1 with enough channels run by Winograd's F(2×2, 3×3) (<see cref="WinogradConvolution"/>), the
/// rest image by image (<see cref="ConvolutionKernel"/>), so no columns matrix of the whole batch is stored.
/// </summary>
/// <remarks>
/// <para>
/// ∂L/∂x adds each image's columns' gradient Wᵀ·g[n] (g = ∂L/∂y) back where the columns came from; by Winograd, it is
/// the convolution of g with the kernel W'[c, o] = W[o, c] rotated by 180° and padding 2 − p on each side (p the
/// forward padding there). ∂L/∂W = Σ_n g[n]·columns(x[n])ᵀ; by Winograd, it is formed in the Winograd domain: the
/// adjoint of the output transform applied to g, times the transformed input, summed over the tiles, transformed back.
/// ∂L/∂b = Σ over images and positions of g.
/// </para>
/// <para>
/// When anything is tracked (higher orders, tangents), the gradients are the recorded composite's instead: im2col as
/// a recorded op, products, col2im, so derivatives of every order follow. The tangent is the convolution itself applied
/// to the input's or the weight's tangent (it is bilinear), and the bias tangent broadcast.
/// </para>
/// </remarks>
internal sealed class Convolution2dNode<T> : Node<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The axes a bias gradient sums over: images and positions.</summary>
    private static readonly int[] ImagesAndPositions = [0, 2, 3];

    private readonly ConvGeometry _geometry;

    private Convolution2dNode(Tensor<T>[] inputs, ConvGeometry geometry)
        : base("Conv2d", inputs) => _geometry = geometry;

    /// <summary>Whether Winograd's kernels run this convolution.</summary>
    private bool Winograd => WinogradConvolution.Handles(_geometry, groups: 1, Output.Shape[1]);

    /// <summary>y = W ⋆ x + b, [N, O, OH, OW].</summary>
    /// <param name="input">x, of <paramref name="geometry"/>'s image shape.</param>
    /// <param name="weight">W, O·C·kh·kw values in [O, C, kh, kw] order, of any shape.</param>
    /// <param name="bias">b, [O], or null.</param>
    /// <param name="geometry">The convolution (2-d, one group).</param>
    /// <param name="outChannels">O.</param>
    /// <param name="call">The caller's place.</param>
    public static Tensor<T> Apply(Tensor<T> input, Tensor<T> weight, Tensor<T>? bias, in ConvGeometry geometry, int outChannels, OpCall call = default)
    {
        var output = Tensor<T>.Uninitialized(new Shape(geometry.Batch, outChannels, geometry.OutHeight, geometry.OutWidth));
        var biasData = bias is null ? default : bias.Data;
        if (WinogradConvolution.Handles(geometry, groups: 1, outChannels))
        {
            WinogradConvolution.Forward(geometry, outChannels, input.Data, weight.Data, adjoint: false, biasData, output.Storage);
        }
        else
        {
            ConvolutionKernel.Forward(geometry, groups: 1, outChannels, input.Data, weight.Data, biasData, output.Storage);
        }
        bool tracks = Tape.Tracks(input, weight) || (bias is not null && Tape.Tracks(bias));
        return Tape.Record(call, output, tracks ? new Convolution2dNode<T>(bias is null ? [input, weight] : [input, weight, bias], geometry) : null);
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
        0 => Apply(inputTangent, Input(1), null, _geometry, Output.Shape[1]),
        1 => Apply(Input(0), inputTangent, null, _geometry, Output.Shape[1]),
        _ => inputTangent.Reshape(1, inputTangent.Length, 1, 1).BroadcastTo(Output.Shape),
    };

    /// <summary>col2im(Wᵀ·g) image by image, or g ⋆ W' with padding 2 − p by Winograd (see the class remarks).</summary>
    private Tensor<T> InputGradient(Tensor<T> outputGradient)
    {
        var g = _geometry;
        if (!Winograd)
        {
            var image = Tensor<T>.Uninitialized(g.ImageShape);
            ConvolutionKernel.InputGradient(g, Output.Shape[1], Input(1).Data, outputGradient.Data, image.Storage);
            return image;
        }
        var adjoint = g with
        {
            Channels = Output.Shape[1], Height = g.OutHeight, Width = g.OutWidth,
            PadTop = 2 - g.PadTop, PadBottom = 2 - g.PadBottom, PadLeft = 2 - g.PadLeft, PadRight = 2 - g.PadRight,
        };
        var result = Tensor<T>.Uninitialized(g.ImageShape);
        WinogradConvolution.Forward(adjoint, g.Channels, outputGradient.Data, Input(1).Data, adjoint: true, default, result.Storage);
        return result;
    }

    /// <summary>∂L/∂W image by image or by Winograd (see the class remarks).</summary>
    private Tensor<T> WeightGradient(Tensor<T> outputGradient)
    {
        var result = Tensor<T>.Uninitialized(Input(1).Shape);
        if (Winograd)
        {
            WinogradConvolution.WeightGradient(_geometry, Output.Shape[1], Input(0).Data, outputGradient.Data, result.Storage);
        }
        else
        {
            ConvolutionKernel.WeightGradient(_geometry, Output.Shape[1], Input(0).Data, outputGradient.Data, result.Storage);
        }
        return result;
    }

    /// <summary>col2im(Wᵀ·g) in recorded ops.</summary>
    private Tensor<T> RecordedInputGradient(Tensor<T> outputGradient)
    {
        var (g, weight) = (_geometry, Input(1));
        var columnsGradient = weight.Reshape(Output.Shape[1], g.Rows).MatMul(Flattened(outputGradient), transposeLeft: true);
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
