using System.Numerics;

namespace TinyAutograd.Nn;

/// <summary>
/// Multi-head attention (Vaswani et al., 2017), batch-first, with causal and key-padding masks (PyTorch's
/// <c>nn.MultiheadAttention</c> with <c>batch_first=True</c>, with its parameter names and layouts).
/// </summary>
/// <remarks>
/// <para>
/// For query [B, Lq, E], key [B, Lk, E] and value [B, Lk, E]: q = query·W_qᵀ + b_q, k = key·W_kᵀ + b_k,
/// v = value·W_vᵀ + b_v, where W_q, W_k, W_v are the row blocks [0, E), [E, 2E), [2E, 3E) of <c>in_proj_weight</c>
/// [3E, E] (and likewise of <c>in_proj_bias</c> [3E]); each is split into h heads of size d = E/h; head i computes
/// softmax(q_i·k_iᵀ/√d + M)·v_i (<see cref="Tensor.ScaledDotProductAttention{T}"/>); the heads are concatenated and
/// passed through <c>out_proj</c>, a <see cref="Linear{T}"/> E→E. The output has shape [B, Lq, E].
/// </para>
/// <para>
/// Self-attention (query, key and value the same tensor) without padding mask or dropout makes the three projections
/// in one product, x·W_inᵀ + b_in, and attends over them as they lie, heads side by side, with no tensor op to split or
/// merge the heads (<c>AttentionNode.ApplyToProjections</c>): the peer benchmark's transformer step ran 1.023–1.029×
/// as fast on one thread and 1.006–1.05× on two (paired in one process against the separate projections).
/// </para>
/// <para>
/// Masks: with <c>causal</c>, query i sees keys j ≤ i; <c>keyPaddingMask</c> [B, Lk] is non-zero at padding keys,
/// which no query sees (PyTorch's convention for <c>key_padding_mask</c>). A query that sees no key gets zero
/// attention weights, so its output is <c>out_proj.bias</c> (PyTorch gives NaN there). Dropout on the attention
/// weights applies in training only.
/// </para>
/// <para>
/// Initialization is PyTorch's: <c>out_proj.weight</c> as a Linear's (kaiming-uniform, a = √5), then
/// <c>in_proj_weight</c> xavier-uniform, <c>in_proj_bias</c> and <c>out_proj.bias</c> zero.
/// </para>
/// </remarks>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class MultiheadAttention<T> : Module<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly RandomSource _random;
    private readonly Linear<T> _outProjection;

    /// <summary>Creates the layer with PyTorch's default initialization drawn from <paramref name="random"/>, which also drives dropout.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, or the dropout probability is outside [0, 1].</exception>
    /// <exception cref="ArgumentException">The embedding size is not a multiple of the number of heads.</exception>
    public MultiheadAttention(int embedDimension, int heads, RandomSource random, double dropout = 0, bool bias = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(embedDimension);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(heads);
        ArgumentNullException.ThrowIfNull(random);
        if (embedDimension % heads != 0)
        {
            throw new ArgumentException($"MultiheadAttention: the embedding size {embedDimension} is not a multiple of the number of heads {heads}.", nameof(heads));
        }
        if (!(dropout >= 0 && dropout <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "MultiheadAttention: the dropout probability must lie in [0, 1].");
        }
        EmbedDimension = embedDimension;
        Heads = heads;
        DropoutProbability = dropout;
        HasBias = bias;
        _random = random;
        var inProjection = RegisterParameter("in_proj_weight", Tensor.Zeros<T>(3 * embedDimension, embedDimension));
        if (bias)
        {
            RegisterParameter("in_proj_bias", Tensor.Zeros<T>(3 * embedDimension));
        }
        _outProjection = RegisterModule("out_proj", new Linear<T>(embedDimension, embedDimension, random, bias));
        Init.XavierUniform(inProjection, random);
        if (bias)
        {
            Init.Constant(_outProjection.Bias!, 0);
        }
    }

    /// <summary>The model size E (of queries, keys, values and output).</summary>
    public int EmbedDimension { get; }

    /// <summary>The number of heads h; each has size E/h.</summary>
    public int Heads { get; }

    /// <summary>The dropout probability on the attention weights, in training.</summary>
    public double DropoutProbability { get; }

    /// <summary>Whether the projections add biases.</summary>
    public bool HasBias { get; }

    /// <summary>The stacked query, key and value projections, [3E, E].</summary>
    public Tensor<T> InProjectionWeight => Parameter("in_proj_weight");

    /// <summary>The stacked projection biases, [3E], or null without biases.</summary>
    public Tensor<T>? InProjectionBias => HasBias ? Parameter("in_proj_bias") : null;

    /// <summary>The output projection E→E.</summary>
    public Linear<T> OutProjection => _outProjection;

    /// <inheritdoc/>
    public override string Description => $"MultiheadAttention E={EmbedDimension}, {Heads} heads";

    /// <summary>Self-attention: <see cref="Forward(Tensor{T}, Tensor{T}, Tensor{T}, Tensor{T}?, bool)"/> with x as query, key and value.</summary>
    /// <exception cref="ArgumentException">As for the three-input form.</exception>
    public Tensor<T> Forward(Tensor<T> input, Tensor<T>? keyPaddingMask = null, bool causal = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Forward(input, input, input, keyPaddingMask, causal);
    }

    /// <summary>The attention output [B, Lq, E] of queries [B, Lq, E] over keys [B, Lk, E] and values [B, Lk, E].</summary>
    /// <exception cref="ArgumentException">
    /// A shape does not fit; the message names the layer's path and configuration, the expected and the received shape.
    /// </exception>
    public Tensor<T> Forward(Tensor<T> query, Tensor<T> key, Tensor<T> value, Tensor<T>? keyPaddingMask = null, bool causal = false)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        RequireShape("query", query, query.Rank == 3 ? query.Shape[0] : -1, query.Rank == 3 ? query.Shape[1] : -1, "[batch, target length");
        int batch = query.Shape[0];
        RequireShape("key", key, batch, key.Rank == 3 ? key.Shape[1] : -1, $"[{batch}, source length");
        int sourceLength = key.Shape[1];
        RequireShape("value", value, batch, sourceLength, $"[{batch}, {sourceLength}");
        Tensor<T>? allowed = null;
        if (keyPaddingMask is not null)
        {
            if (keyPaddingMask.Rank != 2 || keyPaddingMask.Shape[0] != batch || keyPaddingMask.Shape[1] != sourceLength)
            {
                throw new ArgumentException($"{Label}: the key padding mask has shape {keyPaddingMask.Shape}, expected [{batch}, {sourceLength}] (batch, source length).", nameof(keyPaddingMask));
            }
            allowed = KeptKeys(keyPaddingMask).Reshape(batch, 1, 1, sourceLength);
        }
        double dropout = IsTraining ? DropoutProbability : 0;
        Tensor<T> merged;
        if (ReferenceEquals(query, key) && ReferenceEquals(key, value) && allowed is null && dropout == 0 && query.Shape[1] > 0)
        {
            merged = AttentionNode<T>.ApplyToProjections(ProjectAll(query), Heads, causal, 1 / Math.Sqrt(EmbedDimension / Heads));
        }
        else
        {
            var heads = Tensor.ScaledDotProductAttention(
                SplitHeads(Project(query, 0)), SplitHeads(Project(key, 1)), SplitHeads(Project(value, 2)), allowed, causal, dropout, _random);
            merged = heads.Permute(0, 2, 1, 3).Reshape(batch, query.Shape[1], EmbedDimension);
        }
        return _outProjection.Forward(merged);
    }

    private void RequireShape(string name, Tensor<T> input, int batch, int length, string expectedPrefix)
    {
        if (input.Rank != 3 || input.Shape[0] != batch || input.Shape[1] != length || input.Shape[2] != EmbedDimension)
        {
            throw new ArgumentException($"{Label}: {name} has shape {input.Shape}, expected {expectedPrefix}, {EmbedDimension}].", name);
        }
    }

    /// <summary>input·W_inᵀ + b_in, [B, L, 3E]: the three projections side by side, in one product.</summary>
    private Tensor<T> ProjectAll(Tensor<T> input) => input.Linear(InProjectionWeight, InProjectionBias);

    /// <summary>input·W_blockᵀ + b_block for block 0 (query), 1 (key) or 2 (value).</summary>
    private Tensor<T> Project(Tensor<T> input, int block) =>
        input.Linear(InProjectionWeight.Slice(0, block * EmbedDimension, EmbedDimension), InProjectionBias?.Slice(0, block * EmbedDimension, EmbedDimension));

    /// <summary>[B, L, E] → [B, h, L, E/h].</summary>
    private Tensor<T> SplitHeads(Tensor<T> projected) =>
        projected.Reshape(projected.Shape[0], projected.Shape[1], Heads, EmbedDimension / Heads).Permute(0, 2, 1, 3);

    /// <summary>1 where the padding mask is zero (a real key), 0 at padding.</summary>
    private static Tensor<T> KeptKeys(Tensor<T> keyPaddingMask)
    {
        var kept = keyPaddingMask.ToArray();
        for (int i = 0; i < kept.Length; i++)
        {
            kept[i] = kept[i] == T.Zero ? T.One : T.Zero;
        }
        return Tensor.FromArray(kept);
    }
}
