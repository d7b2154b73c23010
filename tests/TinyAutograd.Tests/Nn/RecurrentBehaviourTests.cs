using TinyAutograd.Nn;

namespace TinyAutograd.Tests.Nn;

/// <summary>Truncated backpropagation through time, the final state as the next initial state, and the shape errors of the recurrent layers.</summary>
public sealed class RecurrentBehaviourTests
{
    private sealed class Encoder : Module<double>
    {
        public Encoder(RecurrentLayer<double> layer) => Recurrent = RegisterModule("recurrent", layer);

        public RecurrentLayer<double> Recurrent { get; }
    }

    public static TheoryData<string> Kinds => [.. RecurrentCase.Kinds];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void RunningInTwoChunksEqualsRunningOnceWhenTheStateIsPassedOn(string kind)
    {
        var layer = RecurrentCase.Create<double>(kind, 3, 4, 2, batchFirst: true, seed: 31);
        var x = Tensor.Uniform<double>([2, 5, 3], -1, 1, seed: 32);
        var whole = layer.Forward(x);
        var first = layer.Forward(x.Slice(1, 0, 2));
        var second = layer.Forward(x.Slice(1, 2, 3), first.State);
        var joined = Tensor<double>.Concatenate(1, first.Output, second.Output).ToArray();
        var expected = whole.Output.ToArray();
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], joined[i], 13);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void TruncatedBackpropagationThroughTimeStopsAtTheDetachedState(string kind)
    {
        var layer = RecurrentCase.Create<double>(kind, 3, 4, 2, batchFirst: false, seed: 41);
        var first = Tensor.Uniform<double>([3, 2, 3], -1, 1, seed: 42).RequireGrad();
        var second = Tensor.Uniform<double>([2, 2, 3], -1, 1, seed: 43);

        // Through the detached state: the gradient of the second chunk's loss stops at the chunk boundary.
        var carried = layer.Forward(first).State.Detach();
        var truncated = AutoDiff.Gradients(layer.Forward(second, carried).Output.Square().Sum(), [first, .. layer.Parameters()]);
        Assert.All(truncated[0].ToArray(), g => Assert.Equal(0.0, g));

        // It equals the gradient from a fresh start at a constant state holding the same values.
        var constant = new RecurrentState<double>(Copy(carried.Hidden), carried.Cell is { } cell ? Copy(cell) : null);
        var fromConstant = AutoDiff.Gradients(layer.Forward(second, constant).Output.Square().Sum(), [.. layer.Parameters()]);
        for (int p = 0; p < fromConstant.Length; p++)
        {
            Assert.Equal(fromConstant[p].ToArray(), truncated[p + 1].ToArray());
        }

        // Without Detach the gradient reaches the first chunk and changes the parameters' gradients.
        var full = AutoDiff.Gradients(layer.Forward(second, layer.Forward(first).State).Output.Square().Sum(), [first, .. layer.Parameters()]);
        Assert.Contains(full[0].ToArray(), g => Math.Abs(g) > 1e-6);
        Assert.NotEqual(full[1].ToArray(), truncated[1].ToArray());
    }

    [Fact]
    public void ShapeErrorsNameThePathConfigurationAndShapes()
    {
        var encoder = new Encoder(new Lstm<double>(8, 16, new RandomSource(1), layers: 2, batchFirst: true));
        var error = Assert.Throws<ArgumentException>(() => encoder.Recurrent.Forward(Tensor.Zeros<double>(4, 10, 6)));
        Assert.Equal("recurrent (LSTM 8→16, 2 layers, batch-first): input has shape [4, 10, 6], expected [batch, sequence, 8] with a non-empty batch and sequence.", error.Message);
        error = Assert.Throws<ArgumentException>(() => encoder.Recurrent.Forward(Tensor.Zeros<double>(4, 10, 8), new(Tensor.Zeros<double>(1, 4, 16), Tensor.Zeros<double>(2, 4, 16))));
        Assert.Equal("recurrent (LSTM 8→16, 2 layers, batch-first): initial hidden state has shape [1, 4, 16], expected [2, 4, 16] (layers, batch, hidden).", error.Message);
        error = Assert.Throws<ArgumentException>(() => encoder.Recurrent.Forward(Tensor.Zeros<double>(4, 10, 8), new(Tensor.Zeros<double>(2, 4, 16), Tensor.Zeros<double>(2, 3, 16))));
        Assert.Equal("recurrent (LSTM 8→16, 2 layers, batch-first): initial cell state has shape [2, 3, 16], expected [2, 4, 16] (layers, batch, hidden).", error.Message);
        var gru = new Gru<double>(2, 3, new RandomSource(2));
        error = Assert.Throws<ArgumentException>(() => gru.Forward(Tensor.Zeros<double>(5, 2), null));
        Assert.Equal("GRU 2→3: input has shape [5, 2], expected [sequence, batch, 2] with a non-empty batch and sequence.", error.Message);
        error = Assert.Throws<ArgumentException>(() => gru.Forward(Tensor.Zeros<double>(5, 1, 2), new(Tensor.Zeros<double>(1, 1, 3), Tensor.Zeros<double>(1, 1, 3))));
        Assert.Equal("GRU 2→3: an initial cell state was given, but a GRU has none.", error.Message);
    }

    private static Tensor<double> Copy(Tensor<double> x) => Tensor.FromArray(x.ToArray(), x.Shape.ToArray());
}
