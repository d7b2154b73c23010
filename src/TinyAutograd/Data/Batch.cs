using System.Numerics;

namespace TinyAutograd.Data;

/// <summary>
/// One mini-batch from a <see cref="DataLoader{T}"/>: the selected examples' features, their targets (a tensor or
/// integer class labels, whichever the loader holds) and their positions in the data set.
/// </summary>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Batch<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Tensor<T>? _targets;
    private readonly int[]? _labels;
    private readonly int[] _indices;

    internal Batch(Tensor<T> features, Tensor<T>? targets, int[]? labels, int[] indices)
    {
        Features = features;
        _targets = targets;
        _labels = labels;
        _indices = indices;
    }

    /// <summary>The features of the selected examples, shape [batch, …] (rows of the loader's features, in batch order).</summary>
    public Tensor<T> Features { get; }

    /// <summary>The number of examples in this batch.</summary>
    public int Count => _indices.Length;

    /// <summary>Whether the loader holds integer labels (<see cref="Labels"/>) rather than a target tensor (<see cref="Targets"/>).</summary>
    public bool HasLabels => _labels is not null;

    /// <summary>The target tensor rows of the selected examples, shape [batch, …].</summary>
    /// <exception cref="InvalidOperationException">The loader holds integer labels: use <see cref="Labels"/>.</exception>
    public Tensor<T> Targets => _targets ?? throw new InvalidOperationException(
        "Batch.Targets: this loader was built with integer class labels, not a target tensor; use Batch.Labels.");

    /// <summary>The class labels of the selected examples (for <c>Loss.CrossEntropy</c>).</summary>
    /// <exception cref="InvalidOperationException">The loader holds a target tensor: use <see cref="Targets"/>.</exception>
    public ReadOnlySpan<int> Labels => _labels ?? throw new InvalidOperationException(
        "Batch.Labels: this loader was built with a target tensor, not integer labels; use Batch.Targets.");

    /// <summary>The positions of the selected examples in the data set, in batch order.</summary>
    public ReadOnlySpan<int> Indices => _indices;
}
