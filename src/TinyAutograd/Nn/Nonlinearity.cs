namespace TinyAutograd.Nn;

/// <summary>The nonlinearity that follows a layer, which sets the gain of <see cref="Init"/>'s scaled initializers.</summary>
public enum Nonlinearity
{
    /// <summary>None (a linear or convolution layer alone): gain 1.</summary>
    Linear,

    /// <summary>Logistic sigmoid: gain 1.</summary>
    Sigmoid,

    /// <summary>tanh: gain 5/3.</summary>
    Tanh,

    /// <summary>ReLU: gain √2.</summary>
    Relu,

    /// <summary>Leaky ReLU with negative slope a: gain √(2 / (1 + a²)).</summary>
    LeakyRelu,

    /// <summary>SELU: gain 3/4.</summary>
    Selu,
}

/// <summary>Which fan scales <see cref="Init.KaimingUniform{T}"/> and <see cref="Init.KaimingNormal{T}"/>.</summary>
public enum FanMode
{
    /// <summary>The number of inputs of a unit (size(1) × receptive field): keeps the forward pass's variance.</summary>
    FanIn,

    /// <summary>The number of outputs (size(0) × receptive field): keeps the backward pass's variance.</summary>
    FanOut,
}
