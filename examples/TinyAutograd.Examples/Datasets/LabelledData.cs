namespace TinyAutograd.Examples.Datasets;

/// <summary>
/// A classification data set held in memory: <see cref="Count"/> examples of <see cref="FeatureCount"/> features
/// each (row-major in <see cref="Features"/>), and one class label per example.
/// </summary>
internal sealed class LabelledData
{
    public LabelledData(float[] features, int[] labels, int featureCount, IReadOnlyList<string> classNames)
    {
        if (features.Length != labels.Length * featureCount)
        {
            throw new ArgumentException(
                $"LabelledData: {labels.Length} labels × {featureCount} features needs {labels.Length * featureCount} values; got {features.Length}.",
                nameof(features));
        }
        Features = features;
        Labels = labels;
        FeatureCount = featureCount;
        ClassNames = classNames;
    }

    public float[] Features { get; }

    public int[] Labels { get; }

    public int FeatureCount { get; }

    public IReadOnlyList<string> ClassNames { get; }

    public int Count => Labels.Length;

    /// <summary>The examples at <paramref name="indices"/>, in that order.</summary>
    public LabelledData Subset(ReadOnlySpan<int> indices)
    {
        var features = new float[indices.Length * FeatureCount];
        var labels = new int[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            Features.AsSpan(indices[i] * FeatureCount, FeatureCount).CopyTo(features.AsSpan(i * FeatureCount));
            labels[i] = Labels[indices[i]];
        }
        return new LabelledData(features, labels, FeatureCount, ClassNames);
    }

    /// <summary>A random split into a training part and a held-out test part of <paramref name="testFraction"/> of the examples.</summary>
    public (LabelledData Train, LabelledData Test) Split(double testFraction, ulong seed)
    {
        var order = Enumerable.Range(0, Count).ToArray();
        new RandomSource(seed).Shuffle(order.AsSpan());
        int testCount = (int)Math.Round(Count * testFraction);
        return (Subset(order.AsSpan(testCount)), Subset(order.AsSpan(0, testCount)));
    }

    /// <summary>All features as one [Count, FeatureCount] tensor.</summary>
    public Tensor<float> FeatureTensor() => Tensor.FromArray(Features, Count, FeatureCount);
}
