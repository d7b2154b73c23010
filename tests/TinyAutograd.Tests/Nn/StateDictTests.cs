using TinyAutograd.Nn;
using TinyAutograd.Optim;
using TinyAutograd.Persistence;
using TinyAutograd.Tests.Reliability;

namespace TinyAutograd.Tests.Nn;

/// <summary>State dicts: strict loading lists every problem and changes nothing; non-strict loading reports; files round-trip.</summary>
public sealed class StateDictTests
{
    private static Sequential<double> Model(ulong seed, int hidden = 3) =>
        new(new Linear<double>(2, hidden, new RandomSource(seed)), new Relu<double>(), new BatchNorm1d<double>(hidden), new Linear<double>(hidden, 1, new RandomSource(seed + 1)));

    [Fact]
    public void StrictLoadingListsEveryProblemAndLeavesTheModelUntouched()
    {
        var model = Model(1);
        var before = model.StateDict().ToDictionary(pair => pair.Key, pair => pair.Value.ToArray());
        var state = Model(2).StateDict().ToDictionary(pair => pair.Key, pair => pair.Value.Clone());
        state.Remove("2.running_var");
        state.Remove("3.bias");
        state["0.weight"] = Tensor.Zeros<double>(2, 3);
        state["extra.weight"] = Tensor.Zeros<double>(1);

        var error = Assert.Throws<StateDictMismatchException>(() => model.LoadStateDict(state));
        Assert.Equal(["2.running_var", "3.bias"], error.Result.Missing);
        Assert.Equal(["extra.weight"], error.Result.Unexpected);
        Assert.Equal(["0.weight: module [3, 2], state dict [2, 3]"], error.Result.ShapeMismatches);
        Assert.Contains("missing 2: 2.running_var, 3.bias; unexpected 1: extra.weight; shape mismatch 1: 0.weight: module [3, 2], state dict [2, 3]", error.Message, StringComparison.Ordinal);
        Assert.All(model.StateDict(), pair => Assert.Equal(before[pair.Key], pair.Value.ToArray()));

        var result = model.LoadStateDict(state, strict: false);
        Assert.Equal(error.Result.Missing, result.Missing);
        Assert.Equal(error.Result.Unexpected, result.Unexpected);
        Assert.Equal(error.Result.ShapeMismatches, result.ShapeMismatches);
        Assert.Equal(state["0.bias"].ToArray(), model.StateDict()["0.bias"].ToArray());
        Assert.Equal(before["0.weight"], model.StateDict()["0.weight"].ToArray());
        Assert.Equal(before["3.bias"], model.StateDict()["3.bias"].ToArray());
    }

    [Fact]
    public void AModelSurvivesSafetensorsAndCheckpointRoundTrips()
    {
        using var directory = new TemporaryDirectory();
        var model = Model(3);
        model.Forward(Tensor.Uniform<double>([6, 2], -1, 1, seed: 2));
        model.StateDict().SaveSafetensors(directory.File("model.safetensors"));
        var checkpoint = new Checkpoint();
        checkpoint.AddParameters(model.StateDict());
        checkpoint.Save(directory.File("model.ckpt"));

        var fromSafetensors = Model(4);
        fromSafetensors.LoadStateDict(StateDict<double>.LoadSafetensors(directory.File("model.safetensors")));
        var fromCheckpoint = Model(5);
        fromCheckpoint.LoadStateDict(StateDict<double>.FromCheckpoint(Checkpoint.Load(directory.File("model.ckpt"))));
        foreach (var copy in new[] { fromSafetensors, fromCheckpoint })
        {
            Assert.All(model.StateDict(), pair => Assert.Equal(pair.Value.ToArray(), copy.StateDict()[pair.Key].ToArray()));
            var x = Tensor.Uniform<double>([4, 2], -1, 1, seed: 9);
            model.Eval();
            copy.Eval();
            Assert.Equal(model.Forward(x).ToArray(), copy.Forward(x).ToArray());
            model.Train();
        }
    }

    [Fact]
    public void TrainingResumesBitForBitFromACheckpointOfModelAndOptimizer()
    {
        using var directory = new TemporaryDirectory();
        var x = Tensor.Uniform<double>([8, 2], -1, 1, seed: 1);
        var y = (x.Slice(1, 0, 1) * 2.0).Tanh();
        double Step(Sequential<double> model, Adam<double> optimizer)
        {
            optimizer.ZeroGrad();
            var loss = Loss.SquaredError(model.Forward(x), y);
            loss.Backward();
            optimizer.Step();
            return loss.ToScalar();
        }

        var straight = Model(7);
        var straightOptimizer = new Adam<double>(straight.Parameters(), new AdamOptions { LearningRate = 0.05 });
        var interrupted = Model(7);
        var interruptedOptimizer = new Adam<double>(interrupted.Parameters(), new AdamOptions { LearningRate = 0.05 });
        for (int step = 0; step < 5; step++)
        {
            Step(straight, straightOptimizer);
            Step(interrupted, interruptedOptimizer);
        }
        var checkpoint = new Checkpoint();
        checkpoint.AddParameters(interrupted.StateDict());
        checkpoint.AddOptimizerState(interruptedOptimizer.SaveState());
        checkpoint.Save(directory.File("run.ckpt"));

        var resumed = Model(8);
        var resumedOptimizer = new Adam<double>(resumed.Parameters(), new AdamOptions { LearningRate = 0.05 });
        Checkpoint.Load(directory.File("run.ckpt")).Restore(resumed.StateDict(), resumedOptimizer);
        for (int step = 0; step < 5; step++)
        {
            Assert.Equal(Step(straight, straightOptimizer), Step(resumed, resumedOptimizer));
        }
        Assert.All(straight.StateDict(), pair => Assert.Equal(pair.Value.ToArray(), resumed.StateDict()[pair.Key].ToArray()));
    }
}
