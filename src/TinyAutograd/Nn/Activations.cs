using System.Numerics;

namespace TinyAutograd.Nn;

/// <summary>A layer without parameters that applies one tensor function: the activations as modules.</summary>
/// <param name="function">The function applied to the input.</param>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public abstract class FunctionLayer<T>(Func<Tensor<T>, Tensor<T>> function) : Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public sealed override Tensor<T> Forward(Tensor<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return function(input);
    }
}

/// <summary>max(x, 0) elementwise, as a layer (PyTorch's <c>nn.ReLU</c>); see <see cref="Tensor{T}.Relu"/>.</summary>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Relu<T>() : FunctionLayer<T>(x => x.Relu())
    where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>tanh(x) elementwise, as a layer (PyTorch's <c>nn.Tanh</c>); see <see cref="Tensor{T}.Tanh"/>.</summary>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Tanh<T>() : FunctionLayer<T>(x => x.Tanh())
    where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>σ(x) = 1/(1 + e⁻ˣ) elementwise, as a layer (PyTorch's <c>nn.Sigmoid</c>); see <see cref="Tensor{T}.Sigmoid"/>.</summary>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Sigmoid<T>() : FunctionLayer<T>(x => x.Sigmoid())
    where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>log(1 + eˣ) elementwise, as a layer (PyTorch's <c>nn.Softplus</c> with β = 1); see <see cref="Tensor{T}.Softplus"/>.</summary>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Softplus<T>() : FunctionLayer<T>(x => x.Softplus())
    where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>Softmax along an axis, as a layer (PyTorch's <c>nn.Softmax(dim)</c>); see <see cref="Tensor{T}.Softmax"/>.</summary>
/// <param name="axis">The axis whose slices sum to 1 (negative counts from the end).</param>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Softmax<T>(int axis = -1) : FunctionLayer<T>(x => x.Softmax(axis))
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The axis normalized.</summary>
    public int Axis { get; } = axis;

    /// <inheritdoc/>
    public override string Description => $"Softmax axis {Axis}";
}

/// <summary>Log-softmax along an axis, as a layer (PyTorch's <c>nn.LogSoftmax(dim)</c>); see <see cref="Tensor{T}.LogSoftmax"/>.</summary>
/// <param name="axis">The axis normalized (negative counts from the end).</param>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class LogSoftmax<T>(int axis = -1) : FunctionLayer<T>(x => x.LogSoftmax(axis))
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The axis normalized.</summary>
    public int Axis { get; } = axis;

    /// <inheritdoc/>
    public override string Description => $"LogSoftmax axis {Axis}";
}
