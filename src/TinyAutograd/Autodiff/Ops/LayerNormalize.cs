using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;

namespace TinyAutograd;

/// <summary>
/// The normalization of <see cref="Nn.LayerNorm{T}"/> in one node: for each row x of n elements (the trailing axes
/// flattened), z = (x − μ)/s with μ = Σx/n, s = √(Σ(x − μ)²/n + ε).
/// </summary>
/// <remarks>
/// The Jacobian of a row is (I − 𝟙𝟙ᵀ/n − z·zᵀ/n)/s, symmetric, so the gradient and the tangent are the same map:
/// v ↦ (v − mean(v) − z·mean(v ⊙ z))/s. Written in recorded ops when anything is tracked, with s recomputed from the
/// input by recorded ops and z the node's own output, so derivatives of every order follow; otherwise one sweep per
/// row over the saved s. The composite it replaces (mean, subtract, square, mean, add, square root, divide) recorded
/// seven full-size nodes and their backward made about twenty temporaries.
/// </remarks>
internal sealed class LayerNormalizeNode<T> : Node<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int[] _axes;
    private readonly double _epsilon;
    private readonly Tensor<T> _deviations;

    private LayerNormalizeNode(Tensor<T> input, int[] axes, double epsilon, Tensor<T> deviations)
        : base("LayerNorm", input)
    {
        _axes = axes;
        _epsilon = epsilon;
        _deviations = deviations;
    }

    /// <summary>z of <paramref name="input"/>, normalized over its last <paramref name="axes"/>.Length axes.</summary>
    /// <param name="input">The input; its trailing axes are the normalized ones.</param>
    /// <param name="axes">The normalized axes, counted from the end (−k … −1).</param>
    /// <param name="epsilon">ε ≥ 0, added to the variance.</param>
    /// <param name="call">The caller's place.</param>
    public static Tensor<T> Apply(Tensor<T> input, int[] axes, double epsilon, OpCall call = default)
    {
        int length = 1;
        foreach (int axis in axes)
        {
            length *= input.Shape[axis];
        }
        var result = Tensor<T>.Uninitialized(input.Shape);
        var deviations = Tensor<T>.Uninitialized(new Shape(input.Length / length));
        Rows(input.Data, length, T.CreateTruncating(epsilon), result.Storage, deviations.Storage);
        return Tape.Record(call, result, Tape.Tracks(input) ? new LayerNormalizeNode<T>(input, axes, epsilon, deviations) : null);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows(ReadOnlySpan<T> x, int length, T epsilon, Span<T> z, Span<T> deviations)
    {
        T count = T.CreateTruncating(length);
        for (int row = 0; row < deviations.Length; row++)
        {
            var xRow = x.Slice(row * length, length);
            var zRow = z.Slice(row * length, length);
            TensorPrimitives.Subtract(xRow, TensorPrimitives.Sum(xRow) / count, zRow);
            T deviation = T.Sqrt(TensorPrimitives.SumOfSquares<T>(zRow) / count + epsilon);
            TensorPrimitives.Divide(zRow, deviation, zRow);
            deviations[row] = deviation;
        }
    }

    public override Tensor<T> InputGradient(int index, Tensor<T> outputGradient) => TimesJacobian(outputGradient);

    public override Tensor<T> OutputTangent(int index, Tensor<T> inputTangent) => TimesJacobian(inputTangent);

    /// <summary>(v − mean(v) − z·mean(v ⊙ z))/s per row (see the class remarks).</summary>
    private Tensor<T> TimesJacobian(Tensor<T> v)
    {
        var z = Output;
        if (Tape.Tracks(v) || Tape.Tracks(z))
        {
            var x = Input(0);
            var deviation = ((x - x.Mean(_axes, keepDims: true)).Square().Mean(_axes, keepDims: true) + _epsilon).Sqrt();
            return (v - v.Mean(_axes, keepDims: true) - z * (v * z).Mean(_axes, keepDims: true)) / deviation;
        }
        var result = Tensor<T>.Uninitialized(z.Shape);
        JacobianRows(v.Data, z.Data, _deviations.Data, result.Storage);
        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void JacobianRows(ReadOnlySpan<T> v, ReadOnlySpan<T> z, ReadOnlySpan<T> deviations, Span<T> result)
    {
        int length = deviations.IsEmpty ? 0 : v.Length / deviations.Length;
        T count = T.CreateTruncating(length);
        for (int row = 0; row < deviations.Length; row++)
        {
            var vRow = v.Slice(row * length, length);
            var zRow = z.Slice(row * length, length);
            var target = result.Slice(row * length, length);
            T projection = TensorPrimitives.Dot(vRow, zRow) / count;
            TensorPrimitives.Subtract(vRow, TensorPrimitives.Sum(vRow) / count, target);
            TensorPrimitives.MultiplyAdd(zRow, -projection, target, target);
            TensorPrimitives.Divide(target, deviations[row], target);
        }
    }
}
