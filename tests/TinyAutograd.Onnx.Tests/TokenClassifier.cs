using TinyAutograd.Nn;

namespace TinyAutograd.Onnx.Tests;

/// <summary>
/// A model of one's own: a module (not a layer) whose forward pass embeds token ids and applies a perceptron head.
/// It cannot be exported as itself, but its two children are exportable stages.
/// </summary>
internal sealed class TokenClassifier : Module<float>
{
    public const int Vocabulary = 12;

    public TokenClassifier(RandomSource random)
    {
        Embedding = RegisterModule("embedding", new Embedding<float>(Vocabulary, 5, random));
        Head = RegisterModule("head", new Sequential<float>(new LayerNorm<float>(5), new Linear<float>(5, 7, random), new Relu<float>(), new Linear<float>(7, 3, random)));
    }

    public Embedding<float> Embedding { get; }

    public Sequential<float> Head { get; }

    public Tensor<float> Forward(int[] ids, params int[] shape) => Head.Forward(Embedding.Forward(ids, shape));
}
