using TinyAutograd.Nn;

namespace TinyAutograd.Tests.Nn;

/// <summary>The three recurrent layers built by kind ("RNN tanh", "RNN relu", "LSTM", "GRU"), for the recurrent tests.</summary>
internal static class RecurrentCase
{
    public static readonly string[] Kinds = ["RNN tanh", "RNN relu", "LSTM", "GRU"];

    public static RecurrentLayer<T> Create<T>(string kind, int inputSize, int hiddenSize, int layers, bool batchFirst, ulong seed, bool bias = true)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var random = new RandomSource(seed);
        return kind switch
        {
            "RNN tanh" => new Rnn<T>(inputSize, hiddenSize, random, layers, RnnNonlinearity.Tanh, batchFirst, bias),
            "RNN relu" => new Rnn<T>(inputSize, hiddenSize, random, layers, RnnNonlinearity.Relu, batchFirst, bias),
            "LSTM" => new Lstm<T>(inputSize, hiddenSize, random, layers, batchFirst, bias),
            "GRU" => new Gru<T>(inputSize, hiddenSize, random, layers, batchFirst, bias),
            _ => throw new ArgumentException($"No recurrent layer of kind {kind}.", nameof(kind)),
        };
    }

    /// <summary>The number of stacked gates: 1, 4 or 3.</summary>
    public static int Gates(string kind) => kind switch { "LSTM" => 4, "GRU" => 3, _ => 1 };
}
