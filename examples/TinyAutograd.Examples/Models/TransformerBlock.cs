using TinyAutograd.Nn;

namespace TinyAutograd.Examples.Models;

/// <summary>A pre-norm transformer block: causal self-attention and a ReLU MLP, each on a layer-normalized input and added back.</summary>
/// <remarks>x ← x + MHA(LN₁(x)) (causal); x ← x + W₂·relu(W₁·LN₂(x) + b₁) + b₂, with the MLP 4× wider than the model.</remarks>
internal sealed class TransformerBlock : Layer<float>
{
    private readonly LayerNorm<float> _attentionNorm;
    private readonly MultiheadAttention<float> _attention;
    private readonly LayerNorm<float> _mlpNorm;
    private readonly Sequential<float> _mlp;

    public TransformerBlock(int modelSize, int heads, RandomSource random)
    {
        _attentionNorm = RegisterModule("ln_1", new LayerNorm<float>(modelSize));
        _attention = RegisterModule("attention", new MultiheadAttention<float>(modelSize, heads, random));
        _mlpNorm = RegisterModule("ln_2", new LayerNorm<float>(modelSize));
        _mlp = RegisterModule("mlp", new Sequential<float>(new Linear<float>(modelSize, 4 * modelSize, random), new Relu<float>(), new Linear<float>(4 * modelSize, modelSize, random)));
    }

    /// <inheritdoc/>
    public override Tensor<float> Forward(Tensor<float> input)
    {
        var x = input + _attention.Forward(_attentionNorm.Forward(input), causal: true);
        return x + _mlp.Forward(_mlpNorm.Forward(x));
    }
}
