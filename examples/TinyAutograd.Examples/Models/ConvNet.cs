using System.Numerics;
using TinyAutograd.Nn;

namespace TinyAutograd.Examples.Models;

/// <summary>
/// A small convolutional classifier for square grey images (Fashion-MNIST at its full size): two blocks of 3×3
/// convolution, ReLU and 2×2 max pooling, then two linear layers with dropout between them.
/// </summary>
/// <remarks>
/// <para>
/// conv1: conv 1→32, 3×3, padding 1, relu, maxpool 2 (28×28 → 14×14); conv2: conv 32→64, 3×3, padding 1, relu, maxpool 2
/// (→ 7×7); flatten (64·7·7 = 3136); fc1: linear 3136→128, relu, dropout 0.25; fc2: linear 128→10 (the logits).
/// </para>
/// <para>
/// The parameters are named as the same model written in PyTorch would name them (<c>conv1.weight</c>, <c>fc2.bias</c>,
/// …), with PyTorch's layouts and default initialization, so a state dict moves between the two. The sizes are
/// parameters so that tests can build the same architecture at a tiny size.
/// </para>
/// <para>
/// The forward pass applies <see cref="Stages"/> in order, and that list is also what ONNX export writes
/// (<c>OnnxExport.Save(model.Stages, …)</c>): the file and the model compute the same thing by construction.
/// </para>
/// </remarks>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
internal sealed class ConvNet<T> : Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Conv2d<T> _conv1;
    private readonly Conv2d<T> _conv2;
    private readonly MaxPool2d<T> _pool;
    private readonly Linear<T> _fc1;
    private readonly Dropout<T> _dropout;
    private readonly Linear<T> _fc2;
    private readonly Layer<T>[] _stages;

    /// <param name="random">The generator of the initial weights and of the dropout masks.</param>
    /// <param name="imageSize">The images' height and width (a multiple of 4).</param>
    /// <param name="channels1">conv1's output channels.</param>
    /// <param name="channels2">conv2's output channels.</param>
    /// <param name="hidden">fc1's output features.</param>
    /// <param name="classes">The number of classes (fc2's output features).</param>
    /// <param name="dropout">The dropout probability after fc1.</param>
    public ConvNet(RandomSource random, int imageSize = 28, int channels1 = 32, int channels2 = 64, int hidden = 128, int classes = 10, double dropout = 0.25)
    {
        if (imageSize <= 0 || imageSize % 4 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(imageSize), imageSize, "ConvNet: the image size must be a positive multiple of 4 (two 2×2 poolings).");
        }
        ImageSize = imageSize;
        _conv1 = RegisterModule("conv1", new Conv2d<T>(1, channels1, 3, random, padding: 1));
        _conv2 = RegisterModule("conv2", new Conv2d<T>(channels1, channels2, 3, random, padding: 1));
        _pool = RegisterModule("pool", new MaxPool2d<T>(2));
        _fc1 = RegisterModule("fc1", new Linear<T>(channels2 * (imageSize / 4) * (imageSize / 4), hidden, random));
        _dropout = RegisterModule("dropout", new Dropout<T>(dropout, random));
        _fc2 = RegisterModule("fc2", new Linear<T>(hidden, classes, random));
        _stages = [_conv1, new Relu<T>(), _pool, _conv2, new Relu<T>(), _pool, new Flatten<T>(), _fc1, new Relu<T>(), _dropout, _fc2];
    }

    /// <summary>The layers the forward pass applies to [N, 1, size, size] images, in order (the pooling layer twice; the ReLUs and the flattening are layers of no parameters, outside the module tree).</summary>
    public IReadOnlyList<Layer<T>> Stages => _stages;

    /// <summary>The images' height and width.</summary>
    public int ImageSize { get; }

    /// <inheritdoc/>
    public override string Description => $"ConvNet {ImageSize}×{ImageSize}";

    /// <summary>The logits [N, classes] of images [N, 1, H, W], or of the same images flattened to [N, H·W].</summary>
    public override Tensor<T> Forward(Tensor<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank == 2 && input.Shape[1] != ImageSize * ImageSize)
        {
            throw ShapeError($"input has shape {input.Shape}, expected [N, {ImageSize * ImageSize}] (flattened {ImageSize}×{ImageSize} images) or [N, 1, {ImageSize}, {ImageSize}]");
        }
        var x = input.Rank == 2 ? input.Reshape(input.Shape[0], 1, ImageSize, ImageSize) : input;
        foreach (var stage in _stages)
        {
            x = stage.Forward(x);
        }
        return x;
    }
}
