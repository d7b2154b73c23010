using System.Numerics;
using TinyAutograd.Data;

namespace TinyAutograd.Distributed.Worker;

/// <summary>
/// A small two-layer classifier (features → tanh hidden layer → class scores) and its data, the same on every rank
/// for a seed, so a distributed run can be compared with a single-process one.
/// </summary>
public sealed class SmallClassifier<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public const int Features = 6;
    public const int Classes = 3;
    public const int Examples = 48;

    public SmallClassifier(int hidden = 8, ulong seed = 7)
    {
        var random = new RandomSource(seed);
        Parameters =
        [
            KeyValuePair.Create("hidden.weight", random.Normal<T>([Features, hidden], 0, 0.5).RequireGrad()),
            KeyValuePair.Create("hidden.bias", random.Normal<T>([hidden], 0, 0.1).RequireGrad()),
            KeyValuePair.Create("output.weight", random.Normal<T>([hidden, Classes], 0, 0.5).RequireGrad()),
            KeyValuePair.Create("output.bias", Tensor.Zeros<T>(Classes).RequireGrad()),
        ];
    }

    public KeyValuePair<string, Tensor<T>>[] Parameters { get; }

    public IReadOnlyList<Tensor<T>> Tensors => Parameters.Select(p => p.Value).ToArray();

    public Tensor<T> Loss(Batch<T> batch)
    {
        var hidden = (Tensor.MatMul(batch.Features, Parameters[0].Value) + Parameters[1].Value).Tanh();
        var logits = Tensor.MatMul(hidden, Parameters[2].Value) + Parameters[3].Value;
        return TinyAutograd.Loss.CrossEntropy(logits, batch.Labels);
    }

    /// <summary>The same random data set on every rank.</summary>
    public static DataLoader<T> Data(int batchSize, ulong seed = 11)
    {
        var random = new RandomSource(seed);
        var features = random.Normal<T>([Examples, Features]);
        var labels = Enumerable.Range(0, Examples).Select(_ => random.NextInt(Classes)).ToArray();
        return new DataLoader<T>(features, labels, batchSize, shuffle: true, seed: seed);
    }
}
