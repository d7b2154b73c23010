using System.Numerics;
using TinyAutograd.Differentiation;
using TinyAutograd.Kernels;

namespace TinyAutograd.Nn;

/// <summary>
/// What <see cref="Conv1d{T}"/> and <see cref="Conv2d{T}"/> share: the configuration checks, PyTorch's default
/// initialization, the description, the input checks and the computation. Everything is held in 2-d form: a 1-d
/// convolution over [N, C, L] is the 2-d one over [N, C, 1, L] with a kernel, stride, padding and dilation of height 1.
/// </summary>
/// <remarks>
/// y[n, o, p, q] = b[o] + Σ_{c ∈ group(o), i, j} W[o, c, i, j] · x[n, c, p·sh − ph + i·dh, q·sw − pw + j·dw], computed as
/// im2col over the whole batch followed by one matrix product per group,
/// Y_g[O/G, N·P] = W_g[O/G, fan_in] · cols_g[fan_in, N·P], whose columns run over (image, output position); one
/// permute then brings [O, N, P] to [N, O, P]. The backward is the same large products transposed:
/// ∂L/∂W_g = G_g · cols_gᵀ (a reduction over all N·P columns at once) and ∂L/∂cols_g = W_gᵀ · G_g, then col2im.
/// </remarks>
internal readonly record struct ConvolutionSpec(
    int Dimensions, int InChannels, int OutChannels, Size2d Kernel, Size2d Stride, Padding2d Padding, Size2d Dilation, int Groups, bool HasBias)
{
    /// <summary>The layer's kind, e.g. <c>Conv1d</c>.</summary>
    public string Kind => $"Conv{Dimensions}d";

    /// <summary>fan_in = in/groups · kh · kw: the inputs each output sums over.</summary>
    public int FanIn => InChannels / Groups * Kernel.Height * Kernel.Width;

    /// <summary>
    /// The configuration, checked: positive sizes, non-negative padding, groups dividing both channel counts, "same"
    /// only at stride 1. The parameters are named as the layers' constructor parameters, which the exceptions name.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, or padding is negative.</exception>
    /// <exception cref="ArgumentException">The channels do not divide into the groups, or "same" padding with a stride other than 1.</exception>
    public static ConvolutionSpec Create(int dimensions, int inChannels, int outChannels, Size2d kernelSize, Size2d stride, Padding2d padding, Size2d dilation, int groups, bool bias)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(groups);
        var spec = new ConvolutionSpec(dimensions, inChannels, outChannels, kernelSize, stride, padding, dilation, groups, bias);
        foreach (var (size, name) in new[] { (kernelSize, nameof(kernelSize)), (stride, nameof(stride)), (dilation, nameof(dilation)) })
        {
            if (size.Height <= 0 || size.Width <= 0)
            {
                throw new ArgumentOutOfRangeException(name, $"{spec.Kind}: {name} is {spec.Show(size)}; expected positive sizes.");
            }
        }
        if (padding.Height < 0 || padding.Width < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(padding), $"{spec.Kind}: padding is {spec.Show(padding)}; expected non-negative sizes.");
        }
        if (inChannels % groups != 0 || outChannels % groups != 0)
        {
            throw new ArgumentException($"{spec.Kind} {inChannels}→{outChannels}: {groups} groups must divide both channel counts.", nameof(groups));
        }
        if (padding.IsSame && stride != new Size2d(1, 1))
        {
            throw new ArgumentException($"{spec.Kind} {inChannels}→{outChannels}: \"same\" padding needs stride 1, got stride {spec.Show(stride)}.", nameof(padding));
        }
        return spec;
    }

    /// <summary>
    /// PyTorch's default initialization: W from kaiming-uniform with a = √5, which is U(−1/√fan_in, 1/√fan_in), then b
    /// from U(−1/√fan_in, 1/√fan_in), drawn from <paramref name="random"/> in that order.
    /// </summary>
    public void Initialize<T>(Tensor<T> weight, Tensor<T>? bias, RandomSource random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Init.KaimingUniform(weight, random, a: Math.Sqrt(5));
        if (bias is not null)
        {
            double bound = 1 / Math.Sqrt(FanIn);
            Init.Uniform(bias, -bound, bound, random);
        }
    }

    /// <summary>E.g. <c>Conv2d 32→64, 3×3, stride 2</c> or <c>Conv1d 32→64, k=3, padding same</c>: the options that differ from the defaults.</summary>
    public string Description
    {
        get
        {
            var options = new List<string>();
            if (Stride != new Size2d(1, 1)) options.Add($"stride {Show(Stride)}");
            if (Padding != default) options.Add($"padding {Show(Padding)}");
            if (Dilation != new Size2d(1, 1)) options.Add($"dilation {Show(Dilation)}");
            if (Groups != 1) options.Add($"groups {Groups}");
            if (!HasBias) options.Add("no bias");
            string kernel = Dimensions == 1 ? $"k={Kernel.Width}" : $"{Kernel.Height}×{Kernel.Width}";
            return $"{Kind} {InChannels}→{OutChannels}, {kernel}{string.Concat(options.Select(o => ", " + o))}";
        }
    }

    /// <summary>
    /// The convolution of <paramref name="input"/> ([N, C, L] for 1-d, [N, C, H, W] for 2-d) with a weight of any shape
    /// holding [out, in/groups, kh, kw] in row-major order; the output is [N, out, OL] or [N, out, OH, OW].
    /// </summary>
    /// <param name="input">The input batch.</param>
    /// <param name="geometry">The input's geometry, from <see cref="GeometryOf"/>.</param>
    /// <param name="weight">W.</param>
    /// <param name="bias">b, or null.</param>
    public Tensor<T> Apply<T>(Tensor<T> input, ConvGeometry geometry, Tensor<T> weight, Tensor<T>? bias)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Dimensions == 2 && Groups == 1)
        {
            return Convolution2dNode<T>.Apply(input, weight, bias, geometry, OutChannels, OpCall.At(Kind, null, 0));
        }
        if (!Tape.Tracks(input, weight) && (bias is null || !Tape.Tracks(bias)))
        {
            return Unrecorded(input, weight, bias, geometry);
        }
        // One op to the tape's readers (anomaly reports, the profiler): im2col, the product and the bias are the convolution.
        using var composite = OpCall.Enter(OpCall.At(Kind, null, 0));
        var image = Dimensions == 1 ? input.Reshape(geometry.ImageShape) : input;
        var columns = Im2colNode<T>.Apply(image, geometry, ColumnLayout.Batched)
            .Reshape(Groups, FanIn, geometry.Batch * geometry.Positions);
        var product = weight.Reshape(Groups, OutChannels / Groups, FanIn).MatMul(columns)
            .Reshape(OutChannels, geometry.Batch, geometry.Positions);
        var biased = bias is null ? product : product + bias.Reshape(OutChannels, 1, 1);
        return biased.Permute(1, 0, 2).Reshape(OutputShape(geometry));
    }

    /// <summary>
    /// A 1-d or grouped convolution when nothing is recorded: the product forms the columns while packing and writes each
    /// image's output in place, on top of the bias (<see cref="ConvolutionKernel"/>). Recorded, such a convolution stores
    /// the columns of the whole batch instead, since its weight's gradient needs them (2-d convolutions with one group
    /// are one node, <see cref="Convolution2dNode{T}"/>, either way).
    /// </summary>
    private Tensor<T> Unrecorded<T>(Tensor<T> input, Tensor<T> weight, Tensor<T>? bias, ConvGeometry geometry)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var output = Tensor<T>.Uninitialized(OutputShape(geometry));
        ConvolutionKernel.Forward(geometry, Groups, OutChannels, input.Data, weight.Data, bias is null ? default : bias.Data, output.Storage);
        return Tape.Record(OpCall.At(Kind, null, 0), output, null);
    }

    /// <summary>[N, out, OL] for 1-d, [N, out, OH, OW] for 2-d.</summary>
    private Shape OutputShape(ConvGeometry geometry) => Dimensions == 1
        ? new(geometry.Batch, OutChannels, geometry.OutWidth)
        : new(geometry.Batch, OutChannels, geometry.OutHeight, geometry.OutWidth);

    /// <summary>
    /// The geometry of the convolution of an input of shape <paramref name="input"/>, or null when the input does not
    /// fit, with <paramref name="problem"/> saying why (for the layer's shape error).
    /// </summary>
    public ConvGeometry? GeometryOf(Shape input, out string? problem)
    {
        if (input.Rank != Dimensions + 2)
        {
            problem = $"input has shape {input}, expected [N, {InChannels}, {(Dimensions == 1 ? "L" : "H, W")}]";
            return null;
        }
        if (input[1] != InChannels)
        {
            problem = $"input has {input[1]} channels, expected {InChannels} (input shape {input})";
            return null;
        }
        int height = Dimensions == 1 ? 1 : input[2];
        var (top, bottom) = Padding.Along(heightAxis: true, Kernel.Height, Dilation.Height);
        var (left, right) = Padding.Along(heightAxis: false, Kernel.Width, Dilation.Width);
        var geometry = new ConvGeometry(input[0], InChannels, height, input[^1], Kernel.Height, Kernel.Width,
            Stride.Height, Stride.Width, top, bottom, left, right, Dilation.Height, Dilation.Width);
        if (geometry.OutHeight <= 0 || geometry.OutWidth <= 0)
        {
            var extent = new Size2d(Dilation.Height * (Kernel.Height - 1) + 1, Dilation.Width * (Kernel.Width - 1) + 1);
            problem = Dimensions == 1
                ? $"input length {input[^1]} with padding {Show(Padding)} is smaller than the dilated kernel {extent.Width}"
                : $"input {input[2]}×{input[3]} with padding {Show(Padding)} is smaller than the dilated kernel {extent.Height}×{extent.Width}";
            return null;
        }
        problem = null;
        return geometry;
    }

    private string Show(Size2d size) => Dimensions == 1 ? $"{size.Width}" : size.ToString();

    private string Show(Padding2d padding) => Dimensions == 1 && !padding.IsSame ? $"{padding.Width}" : padding.ToString();
}
