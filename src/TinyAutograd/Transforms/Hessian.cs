using System.Numerics;

namespace TinyAutograd;

public static partial class AutoDiff
{
    /// <summary>
    /// The dense Hessian ∇²f(x) of a scalar function, of shape x.Shape ++ x.Shape, from one exact Hessian-vector product
    /// per element of x; meant for small problems.
    /// </summary>
    /// <remarks>H[i…, j…] = ∂²f/∂x[i…]∂x[j…]; column j is H·eⱼ. It is symmetric for a twice continuously
    /// differentiable f.</remarks>
    /// <exception cref="ArgumentException">f does not return a single element.</exception>
    public static Tensor<T> Hessian<T>(Func<Tensor<T>, Tensor<T>> function, Tensor<T> x, HessianVectorMethod method = HessianVectorMethod.ForwardOverReverse)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(x);
        return Hessian(inputs => function(inputs[0]), [x], method)[0][0];
    }

    /// <summary>
    /// The dense Hessian of a scalar function of several tensors, as blocks: <c>result[i][j]</c> has shape
    /// xᵢ.Shape ++ xⱼ.Shape and holds ∂²f/∂xᵢ[a…]∂xⱼ[b…].
    /// </summary>
    /// <remarks>One Hessian-vector product per element of all inputs: with v = eⱼ,b (one in input j at b, zero
    /// elsewhere), the product's part for input i is column b of block (i, j).</remarks>
    /// <exception cref="ArgumentException">No inputs were given, or f does not return a single element.</exception>
    public static Tensor<T>[][] Hessian<T>(Func<Tensor<T>[], Tensor<T>> function, Tensor<T>[] inputs, HessianVectorMethod method = HessianVectorMethod.ForwardOverReverse)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        Argument.ThrowIfAnyNull(inputs, "Hessian");
        if (inputs.Length == 0)
        {
            throw new ArgumentException("Hessian: no inputs given; pass at least one tensor to differentiate with respect to.", nameof(inputs));
        }
        var blocks = inputs.Select(row => inputs.Select(column => Tensor<T>.ZerosOf(Concatenate(row.Shape, column.Shape))).ToArray()).ToArray();
        var vectors = inputs.Select(input => Tensor<T>.ZerosOf(input.Shape)).ToArray();
        for (int j = 0; j < inputs.Length; j++)
        {
            int columns = inputs[j].Length;
            for (int column = 0; column < columns; column++)
            {
                vectors[j] = BasisVector<T>(inputs[j].Shape, column);
                var products = HessianVectorProduct(function, inputs, vectors, method);
                for (int i = 0; i < inputs.Length; i++)
                {
                    WriteColumn(blocks[i][j], products[i].Data, column, columns);
                }
            }
            vectors[j] = Tensor<T>.ZerosOf(inputs[j].Shape);
        }
        return blocks;
    }
}
