using TinyAutograd.Nn;

namespace TinyAutograd.Benchmarks.Workloads;

/// <summary>
/// The peer's pre-norm causal transformer block: x + attention(ln₁(x)), then x + mlp(ln₂(x)) with mlp = linear d→4d,
/// GELU (erf form), linear 4d→d. The attention's input and output projections start as PyTorch's <c>nn.Linear</c>
/// layers do in the peer (uniform on ±1/√d, biases included), since the peer builds them from two linear layers.
/// </summary>
public sealed class PreNormBlock : Layer<float>
{
    private readonly LayerNorm<float> _attentionNorm;
    private readonly MultiheadAttention<float> _attention;
    private readonly LayerNorm<float> _mlpNorm;
    private readonly Linear<float> _expand;
    private readonly Linear<float> _contract;

    public PreNormBlock(int modelSize, int heads, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        _attentionNorm = RegisterModule("ln1", new LayerNorm<float>(modelSize));
        _attention = RegisterModule("attention", new MultiheadAttention<float>(modelSize, heads, random));
        double bound = 1 / Math.Sqrt(modelSize);
        Init.Uniform(_attention.InProjectionWeight, -bound, bound, random);
        Init.Uniform(_attention.InProjectionBias!, -bound, bound, random);
        Init.Uniform(_attention.OutProjection.Bias!, -bound, bound, random);
        _mlpNorm = RegisterModule("ln2", new LayerNorm<float>(modelSize));
        _expand = RegisterModule("fc", new Linear<float>(modelSize, 4 * modelSize, random));
        _contract = RegisterModule("out", new Linear<float>(4 * modelSize, modelSize, random));
    }

    public override Tensor<float> Forward(Tensor<float> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var x = input + _attention.Forward(_attentionNorm.Forward(input), causal: true);
        return x + _contract.Forward(_expand.Forward(_mlpNorm.Forward(x)).Gelu());
    }
}
