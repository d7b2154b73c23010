using TinyAutograd.Optim;
using TinyAutograd.Persistence;

namespace TinyAutograd.Tests.Reliability;

/// <summary>The checkpoint example of the README's Reliability section, kept compiling and checked to restore what it saved.</summary>
public sealed class ReliabilityDocumentationTests
{
    [Fact]
    public void CheckpointExample_RestoresParametersOptimizerStateAndEpoch()
    {
        using var directory = new TemporaryDirectory();
        var w1 = Tensor.Normal<double>([3, 2], seed: 1).RequireGrad();
        var b1 = Tensor.Zeros<double>(3).RequireGrad();
        var optimizer = new Adam<double>([w1, b1]);
        (w1.Square().Sum() + b1.Sum()).Backward();
        optimizer.Step();
        long epoch = 4;
        var saved = w1.ToArray().Concat(b1.ToArray()).ToArray();
        string path = directory.File("run.ckpt");

        var parameters = new Dictionary<string, Tensor<double>> { ["layer1.weight"] = w1, ["layer1.bias"] = b1 };
        var checkpoint = new Checkpoint();
        checkpoint.AddParameters(parameters);                 // copies; any IEnumerable<KeyValuePair<string, Tensor<T>>>
        checkpoint.AddOptimizerState(optimizer.SaveState());
        checkpoint.AddInteger("epoch", epoch);
        checkpoint.Save(path);                                // atomic

        optimizer.ZeroGrad();
        (w1.Square().Sum() + b1.Sum()).Backward();
        optimizer.Step();

        var loaded = Checkpoint.Load(path);                   // verified, or CheckpointException
        loaded.Restore(parameters, optimizer);                // all or nothing
        long resumeAt = loaded.GetInteger("epoch") + 1;

        Assert.Equal(5, resumeAt);
        Assert.Equal(saved, w1.ToArray().Concat(b1.ToArray()));
        Assert.Equal(1, optimizer.StateOf(0).Step);
    }
}
