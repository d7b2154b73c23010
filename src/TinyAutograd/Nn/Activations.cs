using System.Numerics;

namespace TinyAutograd.Nn;

/// <summary>max(x, 0) elementwise, as a layer (PyTorch's <c>nn.ReLU</c>); see <see cref="Tensor{T}.Relu"/>.</summary>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Relu<T> : Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public override Tensor<T> Forward(Tensor<T> input) => Checked(input).Relu();
}

/// <summary>tanh(x) elementwise, as a layer (PyTorch's <c>nn.Tanh</c>); see <see cref="Tensor{T}.Tanh"/>.</summary>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Tanh<T> : Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public override Tensor<T> Forward(Tensor<T> input) => Checked(input).Tanh();
}

/// <summary>σ(x) = 1/(1 + e⁻ˣ) elementwise, as a layer (PyTorch's <c>nn.Sigmoid</c>); see <see cref="Tensor{T}.Sigmoid"/>.</summary>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Sigmoid<T> : Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public override Tensor<T> Forward(Tensor<T> input) => Checked(input).Sigmoid();
}

/// <summary>log(1 + eˣ) elementwise, as a layer (PyTorch's <c>nn.Softplus</c> with β = 1); see <see cref="Tensor{T}.Softplus"/>.</summary>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Softplus<T> : Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public override Tensor<T> Forward(Tensor<T> input) => Checked(input).Softplus();
}

/// <summary>Softmax along an axis, as a layer (PyTorch's <c>nn.Softmax(dim)</c>); see <see cref="Tensor{T}.Softmax"/>.</summary>
/// <param name="axis">The axis whose slices sum to 1 (negative counts from the end).</param>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Softmax<T>(int axis = -1) : Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The axis normalized.</summary>
    public int Axis { get; } = axis;

    /// <inheritdoc/>
    public override string Description => $"Softmax axis {Axis}";

    /// <inheritdoc/>
    public override Tensor<T> Forward(Tensor<T> input) => Checked(input).Softmax(Axis);
}

/// <summary>Log-softmax along an axis, as a layer (PyTorch's <c>nn.LogSoftmax(dim)</c>); see <see cref="Tensor{T}.LogSoftmax"/>.</summary>
/// <param name="axis">The axis normalized (negative counts from the end).</param>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class LogSoftmax<T>(int axis = -1) : Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The axis normalized.</summary>
    public int Axis { get; } = axis;

    /// <inheritdoc/>
    public override string Description => $"LogSoftmax axis {Axis}";

    /// <inheritdoc/>
    public override Tensor<T> Forward(Tensor<T> input) => Checked(input).LogSoftmax(Axis);
}
