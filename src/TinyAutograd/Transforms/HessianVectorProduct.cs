using System.Numerics;
using System.Runtime.InteropServices;
using TinyAutograd.Differentiation;

namespace TinyAutograd;

/// <summary>How a Hessian-vector product is computed; both are exact (no finite differences).</summary>
/// <remarks>
/// H·v is the directional derivative of the gradient along v, which costs a small constant times one gradient without
/// forming H (Pearlmutter 1994, "Fast exact multiplication by the Hessian", Neural Computation 6(1)).
/// </remarks>
public enum HessianVectorMethod
{
    /// <summary>
    /// The JVP of the gradient: one forward pass carrying the tangent v, then one backward pass whose rules carry it
    /// too. The default and the fastest; it also yields f and ∇f.
    /// </summary>
    ForwardOverReverse,

    /// <summary>
    /// The gradient of ⟨∇f, v⟩: a recorded backward pass, then a second backward through it, seeded with v at the
    /// gradients. The gradients' own values, which nothing reads, are not computed where their last op can be recorded
    /// without them (a matrix product: a layer's weight gradient).
    /// </summary>
    ReverseOverReverse,
}

public static partial class AutoDiff
{
    /// <summary>The exact Hessian-vector product ∇²f(x)·v of a scalar function of one tensor.</summary>
    /// <remarks>
    /// ∇²f(x)·v = d/dε ∇f(x + εv) at ε = 0, computed exactly by differentiating the gradient (Pearlmutter 1994); see
    /// <see cref="HessianVectorMethod"/> for the two ways.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="vector"/>'s shape differs from x's, or f is not scalar.</exception>
    public static Tensor<T> HessianVectorProduct<T>(Func<Tensor<T>, Tensor<T>> function, Tensor<T> x, Tensor<T> vector, HessianVectorMethod method = HessianVectorMethod.ForwardOverReverse)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(vector);
        return HessianVectorProduct(inputs => function(inputs[0]), [x], [vector], method)[0];
    }

    /// <summary>
    /// The exact Hessian-vector product for a scalar function of several tensors (e.g. all of a model's parameters):
    /// with v given per input, returns (H·v)ᵢ = Σⱼ ∂²f/∂xᵢ∂xⱼ·vⱼ for each input i.
    /// </summary>
    /// <exception cref="ArgumentException">The numbers or shapes of inputs and vectors differ, or f is not scalar.</exception>
    public static Tensor<T>[] HessianVectorProduct<T>(Func<Tensor<T>[], Tensor<T>> function, Tensor<T>[] inputs, Tensor<T>[] vectors, HessianVectorMethod method = HessianVectorMethod.ForwardOverReverse)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        Argument.ThrowIfAnyNull(inputs, "HessianVectorProduct");
        Argument.ThrowIfAnyNull(vectors, "HessianVectorProduct");
        return method == HessianVectorMethod.ForwardOverReverse ? ForwardOverReverse(function, inputs, vectors) : ReverseOverReverse(function, inputs, vectors);
    }

    /// <summary>
    /// f(x), ∇f(x) and ∇²f(x)·v together, forward-over-reverse: the gradient pass carries the tangent v, so the
    /// Hessian-vector product costs one extra tangent per op rather than a second backward pass.
    /// </summary>
    /// <exception cref="ArgumentException">The numbers or shapes of inputs and vectors differ, or f is not scalar.</exception>
    public static (Tensor<T> Value, Tensor<T>[] Gradients, Tensor<T>[] Products) ValueGradientsAndHessianVectorProduct<T>(
        Func<Tensor<T>[], Tensor<T>> function, Tensor<T>[] inputs, Tensor<T>[] vectors)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        Argument.ThrowIfAnyNull(inputs, "ValueGradientsAndHessianVectorProduct");
        Argument.ThrowIfAnyNull(vectors, "ValueGradientsAndHessianVectorProduct");
        var (duals, value) = RecordWithTangents(function, inputs, vectors);
        if (!value.RequiresGrad)
        {
            var zeros = inputs.Select(input => Tensor<T>.ZerosOf(input.Shape)).ToArray();
            return (value.Detach(), zeros, zeros);
        }
        var gradients = Gradients(value, duals);
        var products = new Tensor<T>[gradients.Length];
        for (int i = 0; i < gradients.Length; i++)
        {
            products[i] = gradients[i].Tangent ?? Tensor<T>.ZerosOf(inputs[i].Shape);
            gradients[i] = gradients[i].Detach();
        }
        return (value.Detach(), gradients, products);
    }

    /// <summary>
    /// ∇²f·v alone, forward-over-reverse: as <see cref="ValueGradientsAndHessianVectorProduct{T}"/>, but the rules that
    /// end at the inputs form only the tangent of their gradient, not the gradient itself (which nothing reads).
    /// </summary>
    private static Tensor<T>[] ForwardOverReverse<T>(Func<Tensor<T>[], Tensor<T>> function, Tensor<T>[] inputs, Tensor<T>[] vectors)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (duals, value) = RecordWithTangents(function, inputs, vectors);
        if (!value.RequiresGrad)
        {
            return [.. inputs.Select(input => Tensor<T>.ZerosOf(input.Shape))];
        }
        return BackwardEngine.Run(value, Tensor<T>.Filled(value.Shape, T.One), duals, createGraph: false, retainGraph: false, "HessianVectorProduct", RequestedForm.Tangents)!;
    }

    /// <summary>f at leaves that share the inputs' values, require grad and carry the vectors as tangents, recorded.</summary>
    private static (Tensor<T>[] Duals, Tensor<T> Value) RecordWithTangents<T>(Func<Tensor<T>[], Tensor<T>> function, Tensor<T>[] inputs, Tensor<T>[] vectors)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        var duals = WithTangents(inputs, vectors, requireGrad: true, "HessianVectorProduct");
        Tensor<T> value;
        using (GradMode.Enable())
        {
            value = function(duals);
        }
        RequireScalar(value, "HessianVectorProduct");
        return (duals, value);
    }

    /// <summary>
    /// ∇²f·v, reverse-over-reverse: a recorded backward pass for ∇f, then a second backward pass through it that starts
    /// at each gradient ∇ᵢf with vᵢ as its seed (the gradient of ⟨∇f, v⟩ without forming that dot product). Nothing reads
    /// the gradients' values, so the first pass records them for their graph alone (<see cref="RequestedForm.Graphs"/>):
    /// a layer's weight gradient, the costliest product of its backward, is recorded but never computed.
    /// </summary>
    private static Tensor<T>[] ReverseOverReverse<T>(Func<Tensor<T>[], Tensor<T>> function, Tensor<T>[] inputs, Tensor<T>[] vectors)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        var leaves = WithTangents(inputs, vectors, requireGrad: true, "HessianVectorProduct");
        foreach (var leaf in leaves)
        {
            leaf.Tangent = null;
        }
        using var recording = GradMode.Enable();
        var value = function(leaves);
        RequireScalar(value, "HessianVectorProduct");
        if (!value.RequiresGrad || leaves.Length == 0)
        {
            return [.. inputs.Select(input => Tensor<T>.ZerosOf(input.Shape))];
        }
        var gradients = BackwardEngine.Run(value, Tensor<T>.Filled(value.Shape, T.One), leaves, createGraph: true, retainGraph: true, "HessianVectorProduct", RequestedForm.Graphs)!;
        var roots = new List<Tensor<T>>(gradients.Length);
        var seeds = new List<Tensor<T>>(gradients.Length);
        for (int i = 0; i < gradients.Length; i++)
        {
            if (gradients[i].RequiresGrad)
            {
                roots.Add(gradients[i]);
                seeds.Add(vectors[i]);
            }
        }
        if (roots.Count == 0)
        {
            return [.. inputs.Select(input => Tensor<T>.ZerosOf(input.Shape))];
        }
        return BackwardEngine.Run(CollectionsMarshal.AsSpan(roots), CollectionsMarshal.AsSpan(seeds), leaves, createGraph: false, retainGraph: false, "HessianVectorProduct")!;
    }
}
