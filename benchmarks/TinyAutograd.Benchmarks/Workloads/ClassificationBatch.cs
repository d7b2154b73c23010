using System.Numerics;

namespace TinyAutograd.Benchmarks.Workloads;

/// <summary>A fixed synthetic batch: standard-normal inputs [N, features] and uniform integer labels in [0, classes).</summary>
public sealed class ClassificationBatch<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public ClassificationBatch(int size, int features, int classes, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Inputs = random.Normal<T>([size, features]);
        Labels = new int[size];
        for (int i = 0; i < size; i++)
        {
            Labels[i] = random.NextInt(classes);
        }
    }

    /// <summary>The inputs, [N, features].</summary>
    public Tensor<T> Inputs { get; }

    /// <summary>One class index per example.</summary>
    public int[] Labels { get; }
}
