using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;
using TinyAutograd.Kernels;

namespace TinyAutograd;

/// <summary>
/// Softmax over the last axis restricted to the allowed keys: the attention weights of
/// <see cref="Tensor.ScaledDotProductAttention{T}"/>. For row i of the scores s (all axes but the last flattened),
/// wᵢⱼ = aᵢⱼ·exp(sᵢⱼ − mᵢ) / Σₖ aᵢₖ·exp(sᵢₖ − mᵢ), where aᵢⱼ is 1 where key j is allowed and 0 elsewhere, and mᵢ is
/// the largest allowed score (softmax does not depend on the shift); a row with no allowed key gets zero weights.
/// </summary>
/// <remarks>
/// Per row the Jacobian is diag(w) − w·wᵀ, whose rows and columns at disallowed keys are zero because their weights
/// are. So ∂L/∂s = w ⊙ (g − Σⱼ gⱼwⱼ) and the tangent is w ⊙ (ṡ − Σⱼ ṡⱼwⱼ), both written in recorded ops on the output
/// w (<see cref="JacobianProduct"/>), so derivatives of every order follow. The forward pass is one sweep per row: no indicator, shift or
/// exponential tensor is made.
/// </remarks>
internal sealed class MaskedSoftmaxNode<T> : Node<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private MaskedSoftmaxNode(Tensor<T> scores)
        : base("MaskedSoftmax", scores)
    {
    }

    /// <summary>The weights of <paramref name="scores"/> ([*, Lq, Lk]).</summary>
    /// <param name="scores">The scores; row r is query r mod Lq.</param>
    /// <param name="allowed">A tensor of the scores' shape, non-zero where a key is allowed; null allows every key.</param>
    /// <param name="causal">Whether key j is allowed only for queries i ≥ j as well.</param>
    /// <param name="call">The caller's place.</param>
    public static Tensor<T> Apply(Tensor<T> scores, Tensor<T>? allowed, bool causal, OpCall call = default)
    {
        var result = Tensor<T>.Uninitialized(scores.Shape);
        Rows(scores.Data, allowed is null ? default : allowed.Data, causal, scores.Shape[^2], scores.Shape[^1], result.Storage);
        return Tape.Record(call, result, Tape.Tracks(scores) ? new MaskedSoftmaxNode<T>(scores) : null);
    }

    /// <summary>The forward sweep, row by row; compiled fully optimized at once, since a model calls it only a few times a step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows(ReadOnlySpan<T> values, ReadOnlySpan<T> given, bool causal, int queries, int keys, Span<T> weights)
    {
        for (int start = 0, row = 0; start < values.Length; start += keys, row++)
        {
            var scoresRow = values.Slice(start, keys);
            var givenRow = given.IsEmpty ? given : given.Slice(start, keys);
            // Keys past the causal horizon are never allowed: their weights are zero, and only the rest is swept.
            int visible = causal ? Math.Min(row % queries + 1, keys) : keys;
            var weightsRow = weights.Slice(start, keys);
            T largest = givenRow.IsEmpty ? (visible == 0 ? T.NegativeInfinity : TensorPrimitives.Max(scoresRow[..visible])) : Allowed(scoresRow, givenRow, weightsRow[..visible]);
            if (T.IsNegativeInfinity(largest))
            {
                weightsRow.Clear();
                continue;
            }
            ExponentialKernels.Softmax(givenRow.IsEmpty ? scoresRow : weightsRow, visible, largest, T.One, weightsRow);
        }
    }

    /// <summary>Writes the allowed scores to <paramref name="weightsRow"/> (−∞ elsewhere) and returns the largest.</summary>
    private static T Allowed(ReadOnlySpan<T> scoresRow, ReadOnlySpan<T> givenRow, Span<T> weightsRow)
    {
        T largest = T.NegativeInfinity;
        for (int j = 0; j < weightsRow.Length; j++)
        {
            bool ok = givenRow[j] != T.Zero;
            weightsRow[j] = ok ? scoresRow[j] : T.NegativeInfinity;
            largest = ok ? T.Max(largest, scoresRow[j]) : largest;
        }
        return largest;
    }

    public override Tensor<T> InputGradient(int index, Tensor<T> outputGradient) => JacobianProduct(Output, outputGradient);

    public override Tensor<T> OutputTangent(int index, Tensor<T> inputTangent) => JacobianProduct(Output, inputTangent);

    /// <summary>
    /// J·v = w ⊙ (v − Σⱼ vⱼwⱼ) per row of the weights <paramref name="w"/> (J is symmetric, so this is both the gradient
    /// and the tangent map), formed as w ⊙ (u − Σⱼ uⱼwⱼ) with u = v − c, c the row's entry of v at its heaviest weight
    /// (<see cref="SoftmaxJacobian"/>): as recorded ops when anything is tracked (so derivatives of every order follow,
    /// c held constant), else in one sweep per row that makes the same products, sums and differences in the same order
    /// (the same bits) without the temporaries.
    /// </summary>
    internal static Tensor<T> JacobianProduct(Tensor<T> w, Tensor<T> v)
    {
        int keys = w.Shape[^1];
        if (Tape.Tracks(v) || Tape.Tracks(w))
        {
            var centered = v - HeaviestEntries(w, v, keys);
            return w * (centered - (centered * w).Sum(-1, keepDims: true));
        }
        var result = Tensor<T>.Uninitialized(w.Shape);
        JacobianRows(v.Data, w.Data, keys, result.Storage);
        return result;
    }

    /// <summary>Each row's c (<see cref="SoftmaxJacobian.HeaviestEntry{T}"/>), unrecorded, [*, 1].</summary>
    private static Tensor<T> HeaviestEntries(Tensor<T> w, Tensor<T> v, int keys)
    {
        var result = Tensor<T>.Uninitialized(new Shape([.. w.Shape.Dimensions[..^1], 1]));
        ReadOnlySpan<T> weights = w.Data, values = v.Data;
        var entries = result.Storage;
        for (int row = 0; row < entries.Length; row++)
        {
            entries[row] = SoftmaxJacobian.HeaviestEntry(weights.Slice(row * keys, keys), values.Slice(row * keys, keys));
        }
        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void JacobianRows(ReadOnlySpan<T> v, ReadOnlySpan<T> w, int keys, Span<T> result)
    {
        for (int start = 0; start < v.Length; start += keys)
        {
            SoftmaxJacobian.Row(w.Slice(start, keys), v.Slice(start, keys), T.One, result.Slice(start, keys));
        }
    }
}
