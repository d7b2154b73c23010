using System.Numerics;
using TinyAutograd.Differentiation;

namespace TinyAutograd;

/// <summary>
/// Function transforms in the JAX habit: gradients, vector–Jacobian and Jacobian–vector products of a function at a
/// point. They never touch the <see cref="Tensor{T}.Grad"/> of any tensor.
/// </summary>
public static partial class AutoDiff
{
    /// <summary>
    /// ∂output/∂inputs (PyTorch's <c>torch.autograd.grad</c>): for a scalar output, its gradient with respect to each
    /// input; for a non-scalar output, seedᵀ·J. Inputs the output does not depend on get zeros.
    /// </summary>
    /// <param name="output">The value to differentiate; must require grad.</param>
    /// <param name="inputs">The tensors to differentiate with respect to (leaves or intermediate results).</param>
    /// <param name="seed">∂L/∂output; required when the output is not a scalar.</param>
    /// <param name="createGraph">Record the backward pass so that the gradients can be differentiated again.</param>
    /// <param name="retainGraph">Keep the graph for another backward; defaults to <paramref name="createGraph"/>.</param>
    /// <exception cref="InvalidOperationException">The output does not require grad, or its graph was already freed.</exception>
    /// <exception cref="ArgumentException">The output is not a scalar and no seed was given, or the seed's shape differs.</exception>
    public static Tensor<T>[] Gradients<T>(Tensor<T> output, ReadOnlySpan<Tensor<T>> inputs, Tensor<T>? seed = null, bool createGraph = false, bool? retainGraph = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(output);
        if (seed is null && output.Length != 1)
        {
            throw new ArgumentException(
                $"Gradients: the output has shape {output.Shape}, not a single element; pass a seed of that shape (the vector of the vector–Jacobian product).", nameof(seed));
        }
        seed ??= Tensor<T>.Filled(output.Shape, T.One);
        if (inputs.IsEmpty)
        {
            return [];
        }
        return BackwardEngine.Run(output, seed, inputs, createGraph, retainGraph ?? createGraph, "Gradients")!;
    }

    /// <summary>The gradient ∇f(x) of a scalar function at <paramref name="x"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="function"/> does not return a single element.</exception>
    public static Tensor<T> Gradient<T>(Func<Tensor<T>, Tensor<T>> function, Tensor<T> x, bool createGraph = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(x);
        return ValueAndGradient(function, x, createGraph).Gradient;
    }

    /// <summary>f(x) and ∇f(x) for a scalar function, from one forward and one backward pass.</summary>
    /// <exception cref="ArgumentException"><paramref name="function"/> does not return a single element.</exception>
    public static (Tensor<T> Value, Tensor<T> Gradient) ValueAndGradient<T>(Func<Tensor<T>, Tensor<T>> function, Tensor<T> x, bool createGraph = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(x);
        var (value, gradients) = ValueAndGradients(inputs => function(inputs[0]), [x], createGraph);
        return (value, gradients[0]);
    }

    /// <summary>f(x₁, …, xₙ) and its gradient with respect to every argument, for a scalar function of several tensors.</summary>
    /// <exception cref="ArgumentException"><paramref name="function"/> does not return a single element.</exception>
    public static (Tensor<T> Value, Tensor<T>[] Gradients) ValueAndGradients<T>(Func<Tensor<T>[], Tensor<T>> function, Tensor<T>[] inputs, bool createGraph = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        Argument.ThrowIfAnyNull(inputs, "ValueAndGradients");
        var leaves = Leaves(inputs, createGraph);
        using var recording = GradMode.Enable();
        var value = function(leaves);
        RequireScalar(value, "ValueAndGradients");
        if (!value.RequiresGrad)
        {
            return (value, [.. inputs.Select(input => Tensor<T>.ZerosOf(input.Shape))]);
        }
        var gradients = Gradients(value, leaves, createGraph: createGraph);
        return (createGraph ? value : value.Detach(), gradients);
    }

    /// <summary>
    /// The vector–Jacobian product: f(x) and uᵀ·J_f(x), the gradient of ⟨u, f(x)⟩ (one reverse pass).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="cotangent"/>'s shape differs from f(x)'s.</exception>
    public static (Tensor<T> Value, Tensor<T> Product) Vjp<T>(Func<Tensor<T>, Tensor<T>> function, Tensor<T> x, Tensor<T> cotangent)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(cotangent);
        var (value, products) = Vjp(inputs => function(inputs[0]), [x], cotangent);
        return (value, products[0]);
    }

    /// <summary>
    /// The vector–Jacobian product for a function of several tensors: f(x) and uᵀ·∂f/∂xᵢ for every input i, the
    /// gradients of ⟨u, f(x)⟩ (one reverse pass). Inputs that f does not depend on get zeros.
    /// </summary>
    /// <remarks>The reverse-mode twin of <see cref="Jvp{T}(Func{Tensor{T}[], Tensor{T}}, Tensor{T}[], Tensor{T}[])"/>: Σᵢ ⟨uᵀ·∂f/∂xᵢ, vᵢ⟩ = ⟨u, Σᵢ ∂f/∂xᵢ·vᵢ⟩.</remarks>
    /// <exception cref="ArgumentException"><paramref name="cotangent"/>'s shape differs from f(x)'s.</exception>
    public static (Tensor<T> Value, Tensor<T>[] Products) Vjp<T>(Func<Tensor<T>[], Tensor<T>> function, Tensor<T>[] inputs, Tensor<T> cotangent)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        Argument.ThrowIfAnyNull(inputs, "Vjp");
        ArgumentNullException.ThrowIfNull(cotangent);
        var leaves = Leaves(inputs, createGraph: false);
        using var recording = GradMode.Enable();
        var value = function(leaves);
        if (value.Shape != cotangent.Shape)
        {
            throw new ArgumentException($"Vjp: the cotangent has shape {cotangent.Shape} but f(x) has shape {value.Shape}; they must match.", nameof(cotangent));
        }
        if (!value.RequiresGrad)
        {
            return (value, [.. inputs.Select(input => Tensor<T>.ZerosOf(input.Shape))]);
        }
        return (value.Detach(), Gradients(value, leaves, cotangent));
    }

    /// <summary>
    /// The Jacobian–vector product by forward mode: f(x) and J_f(x)·v, from one forward pass that carries the tangent v
    /// through every op's JVP rule.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="tangent"/>'s shape differs from x's.</exception>
    public static (Tensor<T> Value, Tensor<T> Product) Jvp<T>(Func<Tensor<T>, Tensor<T>> function, Tensor<T> x, Tensor<T> tangent)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(tangent);
        var (value, products) = Jvp(inputs => function(inputs[0]), [x], [tangent]);
        return (value, products);
    }

    /// <summary>Forward mode for a function of several tensors: f(x) and Σᵢ ∂f/∂xᵢ·vᵢ.</summary>
    /// <exception cref="ArgumentException">The numbers or shapes of inputs and tangents differ.</exception>
    public static (Tensor<T> Value, Tensor<T> Product) Jvp<T>(Func<Tensor<T>[], Tensor<T>> function, Tensor<T>[] inputs, Tensor<T>[] tangents)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        Argument.ThrowIfAnyNull(inputs, "Jvp");
        Argument.ThrowIfAnyNull(tangents, "Jvp");
        var duals = WithTangents(inputs, tangents, requireGrad: false, "Jvp");
        var value = function(duals);
        var product = value.Tangent ?? Tensor<T>.ZerosOf(value.Shape);
        return (value.Detach(), product);
    }

    /// <summary>Fresh leaves sharing the inputs' values, each carrying its tangent, for forward mode.</summary>
    internal static Tensor<T>[] WithTangents<T>(Tensor<T>[] inputs, Tensor<T>[] tangents, bool requireGrad, string operation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(tangents);
        if (inputs.Length != tangents.Length)
        {
            throw new ArgumentException($"{operation}: {inputs.Length} inputs but {tangents.Length} tangent vectors; give one per input.", nameof(tangents));
        }
        var duals = new Tensor<T>[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            if (tangents[i].Shape != inputs[i].Shape)
            {
                throw new ArgumentException($"{operation}: tangent {i} has shape {tangents[i].Shape} but input {i} has shape {inputs[i].Shape}; they must match.", nameof(tangents));
            }
            duals[i] = inputs[i].Detach().RequireGrad(requireGrad);
            duals[i].Tangent = tangents[i].Detach();
        }
        return duals;
    }

    /// <summary>Fresh leaves that require grad; with <paramref name="createGraph"/> the inputs' own graphs are kept.</summary>
    private static Tensor<T>[] Leaves<T>(Tensor<T>[] inputs, bool createGraph)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var leaves = new Tensor<T>[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(inputs[i]);
            leaves[i] = createGraph && inputs[i].RequiresGrad ? inputs[i] : inputs[i].Detach().RequireGrad();
            if (!ReferenceEquals(leaves[i], inputs[i]))
            {
                leaves[i].Tangent = inputs[i].Tangent;
            }
        }
        return leaves;
    }

    private static void RequireScalar<T>(Tensor<T> value, string operation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (value.Length != 1)
        {
            throw new ArgumentException($"{operation}: the function returned shape {value.Shape}; a gradient needs a single-element (scalar) output.", nameof(value));
        }
    }
}
