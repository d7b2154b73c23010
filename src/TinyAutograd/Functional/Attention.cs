using System.Numerics;

namespace TinyAutograd;

public static partial class Tensor
{
    /// <summary>
    /// Scaled dot-product attention (Vaswani et al., 2017, "Attention Is All You Need"): each query's output is the
    /// average of the values weighted by the softmax of its scaled scores against the keys (PyTorch's
    /// <c>torch.nn.functional.scaled_dot_product_attention</c>).
    /// </summary>
    /// <remarks>
    /// <para>
    /// y = softmax(q·kᵀ·s + M)·v, with q of shape [*, Lq, d], k [*, Lk, d], v [*, Lk, dv] (leading axes broadcast as
    /// in <see cref="Tensor{T}.MatMul(Tensor{T}, bool, bool, string, int)"/>), y of shape [*, Lq, dv], s = 1/√d unless
    /// <paramref name="scale"/> is given, and Mᵢⱼ = 0 where query i may attend to key j, −∞ where it may not.
    /// </para>
    /// <para>
    /// A key is allowed when <paramref name="mask"/> (broadcast to [*, Lq, Lk]) is non-zero there, PyTorch's boolean
    /// convention, and, if <paramref name="causal"/>, when j ≤ i (PyTorch's top-left alignment). A query with no allowed
    /// key gets all-zero weights, so its output row is zero and no gradient flows through its scores (PyTorch gives
    /// NaN there). With <paramref name="dropout"/> p &gt; 0 the weights go through inverted dropout drawn from
    /// <paramref name="random"/>; pass p = 0 in evaluation. Without a mask tensor or dropout (and with a positive scale and
    /// the same leading axes for all three), one node computes it block by block, skipping the products that causal
    /// masking zeroes; otherwise it is built from MatMul (transpose flag, no copy of kᵀ), a masked softmax whose backward
    /// is written in recorded ops, and products. Either way gradients of every order follow.
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentException">
    /// The shapes do not fit [*, Lq, d], [*, Lk, d], [*, Lk, dv]; the mask does not broadcast to the scores' shape; or
    /// dropout is requested without a generator.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">The dropout probability is outside [0, 1].</exception>
    public static Tensor<T> ScaledDotProductAttention<T>(Tensor<T> query, Tensor<T> key, Tensor<T> value, Tensor<T>? mask = null, bool causal = false, double dropout = 0, RandomSource? random = null, double? scale = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (query.Rank < 2 || key.Rank < 2 || value.Rank < 2 || query.Shape[^1] != key.Shape[^1] || key.Shape[^2] != value.Shape[^2])
        {
            throw new ArgumentException(
                $"ScaledDotProductAttention: expected query [*, Lq, d], key [*, Lk, d] and value [*, Lk, dv]; got query {query.Shape}, key {key.Shape} and value {value.Shape}.",
                nameof(query));
        }
        if (!(dropout >= 0 && dropout <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "ScaledDotProductAttention: the dropout probability must lie in [0, 1].");
        }
        if (dropout > 0 && random is null)
        {
            throw new ArgumentException($"ScaledDotProductAttention: dropout {dropout} needs a generator; pass random, or dropout 0 in evaluation.", nameof(random));
        }
        double s = scale ?? 1 / Math.Sqrt(query.Shape[^1]);
        if (mask is null && dropout == 0 && s > 0 && AttentionNode<T>.Handles(query, key, value))
        {
            return AttentionNode<T>.Apply(query, key, value, causal, s);
        }
        // q·kᵀ·s as (s·q)·kᵀ when the queries are the smaller tensor (d < Lk): one pass over [*, Lq, d], not over the scores.
        var scores = query.Shape[^1] < key.Shape[^2] ? (query * s).MatMul(key, transposeRight: true) : query.MatMul(key, transposeRight: true) * s;
        var weights = mask is null && !causal ? scores.Softmax(-1) : MaskedSoftmax(scores, mask, causal);
        if (dropout > 0)
        {
            weights = weights.Dropout(dropout, random!);
        }
        return weights.MatMul(value);
    }

    /// <summary>The weights over the allowed keys (<see cref="MaskedSoftmaxNode{T}"/>), after checking the mask's shape.</summary>
    private static Tensor<T> MaskedSoftmax<T>(Tensor<T> scores, Tensor<T>? mask, bool causal)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shape = scores.Shape;
        if (mask is not null && !mask.Shape.CanBroadcastTo(shape))
        {
            throw new ArgumentException($"ScaledDotProductAttention: the mask has shape {mask.Shape}, which does not broadcast to the scores' shape {shape} ([*, Lq, Lk]).", nameof(mask));
        }
        return MaskedSoftmaxNode<T>.Apply(scores, mask?.Detach().BroadcastTo(shape), causal);
    }
}
