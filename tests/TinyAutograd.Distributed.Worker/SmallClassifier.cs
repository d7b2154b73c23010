using System.Numerics;
using TinyAutograd.Data;
using TinyAutograd.Nn;

namespace TinyAutograd.Distributed.Worker;

/// <summary>
/// A small two-layer classifier (features → tanh hidden layer → class scores) made of <see cref="Linear{T}"/> layers
/// named <c>hidden</c> and <c>output</c>, and its data, the same on every rank for a seed, so a distributed run can be
/// compared with a single-process one.
/// </summary>
public sealed class SmallClassifier<T> : Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public const int Features = 6;
    public const int Classes = 3;
    public const int Examples = 48;

    private readonly Linear<T> _hidden;
    private readonly Linear<T> _output;

    public SmallClassifier(int hidden = 8, ulong seed = 7)
    {
        var random = new RandomSource(seed);
        _hidden = RegisterModule("hidden", new Linear<T>(Features, hidden, random));
        _output = RegisterModule("output", new Linear<T>(hidden, Classes, random));
        Named = [.. NamedParameters()];
    }

    /// <summary>hidden.weight, hidden.bias, output.weight, output.bias.</summary>
    public KeyValuePair<string, Tensor<T>>[] Named { get; }

    public IReadOnlyList<Tensor<T>> Tensors => Named.Select(p => p.Value).ToArray();

    public override Tensor<T> Forward(Tensor<T> input) => _output.Forward(_hidden.Forward(input).Tanh());

    public Tensor<T> Loss(Batch<T> batch) => TinyAutograd.Loss.CrossEntropy(Forward(batch.Features), batch.Labels);

    /// <summary>The same random data set on every rank.</summary>
    public static DataLoader<T> Data(int batchSize, ulong seed = 11)
    {
        var random = new RandomSource(seed);
        var features = random.Normal<T>([Examples, Features]);
        var labels = Enumerable.Range(0, Examples).Select(_ => random.NextInt(Classes)).ToArray();
        return new DataLoader<T>(features, labels, batchSize, shuffle: true, seed: seed);
    }
}
