using TinyAutograd.Kernels;

namespace TinyAutograd.Tests.Core;

/// <summary>In-place copies and fills: every element written, on both sides of the streaming threshold, and the checks.</summary>
public sealed class TensorInPlaceTests
{
    /// <summary>Lengths below one register, a few registers with a ragged end, and past the streamed size with a ragged end.</summary>
    public static TheoryData<int> Lengths() => [3, 1001, (int)(VectorLoops.MinBytes / sizeof(float)) + 37];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void CopyFromWritesEverySourceValueAndAdvancesTheVersion(int length)
    {
        var source = new RandomSource(3).Normal<float>([length]);
        var copy = Tensor.Zeros<float>(length);
        int version = copy.Version;
        copy.CopyFrom(source);
        Assert.Equal(version + 1, copy.Version);
        Assert.True(copy.Data.SequenceEqual(source.Data), $"length {length}: the copy differs from the source.");

        var doubles = new RandomSource(4).Normal<double>([2, length]);
        var target = Tensor.Zeros<double>(2, length);
        target.CopyFrom(doubles);
        Assert.Equal(doubles.ToArray(), target.ToArray());

        // From one element in to one element before the end: the destination starts off a register boundary (a head)
        // and the elements around it stay as they were.
        var shifted = new float[length + 2];
        VectorLoops.Copy<float>(source.Data, shifted.AsSpan(1, length));
        Assert.True(shifted.AsSpan(1, length).SequenceEqual(source.Data), $"length {length}: the shifted copy differs from the source.");
        Assert.Equal((0f, 0f), (shifted[0], shifted[^1]));
        VectorLoops.Fill(shifted.AsSpan(1, length), 7f);
        Assert.Equal(length, shifted.Count(value => value == 7f));
        Assert.Equal((0f, 0f), (shifted[0], shifted[^1]));
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void FillSetsEveryElementAndAdvancesTheVersion(int length)
    {
        var x = new RandomSource(5).Normal<float>([length]);
        int version = x.Version;
        x.Fill(-2.5f);
        Assert.Equal(version + 1, x.Version);
        Assert.All(x.ToArray(), value => Assert.Equal(-2.5f, value));
    }

    [Fact]
    public void CopyFromRefusesAnotherShapeAndRecordedOrTrackedDestinations()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.Zeros<double>(2, 3).CopyFrom(Tensor.Zeros<double>(3)));
        Assert.Contains("CopyFrom", error.Message, StringComparison.Ordinal);
        Assert.Contains("[3]", error.Message, StringComparison.Ordinal);
        Assert.Contains("[2, 3]", error.Message, StringComparison.Ordinal);

        var leaf = Tensor.Zeros<double>(3).RequireGrad();
        Assert.Throws<InvalidOperationException>(() => leaf.CopyFrom(Tensor.Ones<double>(3)));
        Assert.Throws<InvalidOperationException>(() => (leaf * 2).Fill(1));
        using (GradMode.Disable())
        {
            leaf.CopyFrom(Tensor.Ones<double>(3));
        }
        Assert.Equal([1.0, 1.0, 1.0], leaf.ToArray());
    }
}
