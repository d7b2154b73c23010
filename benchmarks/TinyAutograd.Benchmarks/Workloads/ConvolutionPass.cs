using TinyAutograd.Nn;

namespace TinyAutograd.Benchmarks.Workloads;

/// <summary>
/// One 3×3 float32 convolution of the peer's conv group, stride 1, zero padding 1, NCHW: a <see cref="Conv2d{T}"/> whose
/// weight is drawn from N(0, 1/(cin·9)) and whose bias is zero, a standard-normal input and output gradient.
/// </summary>
public sealed class ConvolutionPass
{
    private readonly Conv2d<float> _layer;
    private readonly Tensor<float> _input;
    private readonly Tensor<float> _outputGradient;

    public ConvolutionPass(int batch, int inChannels, int outChannels, int size, ulong seed = 0)
    {
        var random = new RandomSource(seed);
        (Batch, InChannels, OutChannels, Size) = (batch, inChannels, outChannels, size);
        _layer = new Conv2d<float>(inChannels, outChannels, 3, random, padding: 1);
        Init.Normal(_layer.Weight, 0, 1 / Math.Sqrt(inChannels * 9), random);
        Init.Constant(_layer.Bias!, 0);
        _input = random.Normal<float>([batch, inChannels, size, size]).RequireGrad();
        _outputGradient = random.Normal<float>([batch, outChannels, size, size]);
    }

    public int Batch { get; }

    public int InChannels { get; }

    public int OutChannels { get; }

    /// <summary>The input's height and width.</summary>
    public int Size { get; }

    /// <summary>The peer's name stem, e.g. <c>conv2d_3x3_b128_c1-32_28x28</c>.</summary>
    public string Label => $"conv2d_3x3_b{Batch}_c{InChannels}-{OutChannels}_{Size}x{Size}";

    /// <summary>Multiply-adds ×2 of the forward: 2·N·cout·H·W·cin·9.</summary>
    public double ForwardFlops => 2.0 * Batch * OutChannels * Size * Size * InChannels * 9;

    /// <summary>The forward alone, unrecorded.</summary>
    public Tensor<float> Forward()
    {
        using var unrecorded = GradMode.Disable();
        return _layer.Forward(_input);
    }

    /// <summary>The forward and the backward of the given output gradient into the input, weight and bias gradients.</summary>
    public void ForwardBackward()
    {
        _input.ZeroGrad();
        _layer.ZeroGrad();
        _layer.Forward(_input).Backward(_outputGradient);
    }
}
