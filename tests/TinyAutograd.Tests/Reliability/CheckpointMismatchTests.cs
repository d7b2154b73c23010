using TinyAutograd.Optim;
using TinyAutograd.Persistence;

namespace TinyAutograd.Tests.Reliability;

/// <summary>
/// A checkpoint that does not fit the model or the optimizer is refused with a CheckpointException naming the entry,
/// and nothing — no parameter, no optimizer buffer — is changed.
/// </summary>
public sealed class CheckpointMismatchTests
{
    [Fact]
    public void AFloatEntryForADoubleParameterIsRefusedAndTheModelIsUntouched()
    {
        var saved = new Checkpoint();
        saved.AddParameters(new Dictionary<string, Tensor<float>> { ["w"] = Tensor.Ones<float>(2, 2) });
        var model = Model();
        var before = Snapshot(model);

        var error = Assert.Throws<CheckpointException>(() => saved.RestoreParameters(model));

        Assert.Equal(CheckpointProblem.ElementTypeMismatch, error.Problem);
        Assert.Equal("parameters/w", error.EntryName);
        Assert.Contains("holds float32 values but parameter 'w' is float64", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(model));
    }

    [Fact]
    public void AShapeMismatchIsRefusedEvenWhenOtherParametersFitAndNothingIsWritten()
    {
        var saved = new Checkpoint();
        saved.AddParameters(new Dictionary<string, Tensor<double>> { ["w"] = Tensor.Full(9.0, 2, 2), ["b"] = Tensor.Full(9.0, 3) });
        var model = Model();
        var before = Snapshot(model);

        var error = Assert.Throws<CheckpointException>(() => saved.RestoreParameters(model));

        Assert.Equal(CheckpointProblem.ShapeMismatch, error.Problem);
        Assert.Equal("parameters/b", error.EntryName);
        Assert.Contains("entry 'parameters/b' (float64, shape [3]) does not fit parameter 'b' of shape [2]", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(model));
    }

    [Fact]
    public void MissingAndUnexpectedParametersAreAllListed()
    {
        var saved = new Checkpoint();
        saved.AddParameters(new Dictionary<string, Tensor<double>> { ["w"] = Tensor.Zeros<double>(2, 2), ["gamma"] = Tensor.Zeros<double>(2) });
        var model = Model();
        var before = Snapshot(model);

        var error = Assert.Throws<CheckpointException>(() => saved.RestoreParameters(model));

        Assert.Equal(CheckpointProblem.MissingEntry, error.Problem);
        Assert.Equal("parameters/b", error.EntryName);
        Assert.Contains("2 problems", error.Message, StringComparison.Ordinal);
        Assert.Contains("has no entry 'parameters/b'", error.Message, StringComparison.Ordinal);
        Assert.Contains("entry 'parameters/gamma' (float64, shape [2]) matches no parameter", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(model));
    }

    [Fact]
    public void AnOptimizerStateOfAnotherMethodIsRefusedAndNeitherModelNorOptimizerChange()
    {
        var trained = Model();
        var adam = new Adam<double>(trained.Values);
        TakeStep(trained, adam);
        var saved = new Checkpoint();
        saved.AddParameters(trained);
        saved.AddOptimizerState(adam.SaveState());

        var model = Model();
        var momentum = new Momentum<double>(model.Values);
        TakeStep(model, momentum);
        var before = Snapshot(model);
        var stateBefore = Describe(momentum.SaveState());

        var error = Assert.Throws<CheckpointException>(() => saved.Restore(model, momentum));

        Assert.Equal(CheckpointProblem.OptimizerMismatch, error.Problem);
        Assert.Contains("saved by Adam", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(model));
        Assert.Equal(stateBefore, Describe(momentum.SaveState()));
    }

    [Fact]
    public void AnOptimizerStateForOtherParameterCountsIsRefusedAndNothingChanges()
    {
        var small = new Dictionary<string, Tensor<double>> { ["w"] = Tensor.Ones<double>(2, 2).RequireGrad() };
        var adam = new Adam<double>(small.Values);
        TakeStep(small, adam);
        var saved = new Checkpoint();
        saved.AddParameters(Model());
        saved.AddOptimizerState(adam.SaveState());

        var model = Model();
        var optimizer = new Adam<double>(model.Values);
        var before = Snapshot(model);

        var error = Assert.Throws<CheckpointException>(() => saved.Restore(model, optimizer));

        Assert.Equal(CheckpointProblem.OptimizerMismatch, error.Problem);
        Assert.Equal(before, Snapshot(model));
        Assert.All(Enumerable.Range(0, 2), i => Assert.Equal(0, optimizer.StateOf(i).Step));
    }

    [Fact]
    public void RestoringWithoutAnOptimizerStateNamesTheMissingEntry()
    {
        var saved = new Checkpoint();
        saved.AddParameters(Model());
        var model = Model();
        var before = Snapshot(model);

        var error = Assert.Throws<CheckpointException>(() => saved.Restore(model, new Adam<double>(model.Values)));

        Assert.Equal(CheckpointProblem.MissingEntry, error.Problem);
        Assert.Equal("optimizer/method", error.EntryName);
        Assert.Equal(before, Snapshot(model));
    }

    [Fact]
    public void TypedReadsNameTheEntryTheyCannotServe()
    {
        var checkpoint = new Checkpoint();
        checkpoint.AddArray("losses", [1.0, 2.0]);
        checkpoint.AddInteger("epoch", 3);

        Assert.Equal(CheckpointProblem.MissingEntry, Assert.Throws<CheckpointException>(() => checkpoint.GetScalar("lr")).Problem);
        var wrongType = Assert.Throws<CheckpointException>(() => checkpoint.GetTensor<float>("losses"));
        Assert.Equal(CheckpointProblem.ElementTypeMismatch, wrongType.Problem);
        Assert.Equal("losses", wrongType.EntryName);
        Assert.Equal(CheckpointProblem.ShapeMismatch, Assert.Throws<CheckpointException>(() => checkpoint.GetScalar("losses")).Problem);
        Assert.Equal(CheckpointProblem.ElementTypeMismatch, Assert.Throws<CheckpointException>(() => checkpoint.GetText("epoch")).Problem);
    }

    [Fact]
    public void AddingRefusesRepeatedNamesAndLoneSurrogates()
    {
        var checkpoint = new Checkpoint();
        checkpoint.AddInteger("epoch", 1);
        checkpoint.AddInteger("parameters/b", 2);

        Assert.Throws<ArgumentException>(() => checkpoint.AddScalar("epoch", 1.0));
        Assert.Throws<ArgumentException>(() => checkpoint.AddText("note", "\uD800"));
        Assert.Throws<ArgumentException>(() => checkpoint.AddArray("", [1.0]));
        Assert.Throws<ArgumentException>(() => checkpoint.AddParameters(new Dictionary<string, Tensor<double>> { ["a"] = Tensor.Zeros<double>(1), ["b"] = Tensor.Zeros<double>(1) }));
        Assert.Equal(["epoch", "parameters/b"], checkpoint.Entries.Select(e => e.Name));
    }

    [Fact]
    public void RestoringBumpsVersionsSoAStaleGraphRefusesBackward()
    {
        var saved = new Checkpoint();
        saved.AddParameters(Model());
        var model = Model();
        var stale = (model["w"] * 2.0).Sum();

        saved.RestoreParameters(model);

        Assert.Equal(1, model["w"].Version);
        Assert.Throws<InvalidOperationException>(() => stale.Backward());
    }

    private static Dictionary<string, Tensor<double>> Model() => new()
    {
        ["w"] = Tensor.FromArray([1.0, 2.0, 3.0, 4.0], 2, 2).RequireGrad(),
        ["b"] = Tensor.FromArray([0.5, -0.5]).RequireGrad(),
    };

    private static void TakeStep(Dictionary<string, Tensor<double>> model, Optimizer<double> optimizer)
    {
        optimizer.ZeroGrad();
        model.Values.Select(p => p.Square().Sum()).Aggregate((a, b) => a + b).Backward();
        optimizer.Step();
    }

    private static string Snapshot(Dictionary<string, Tensor<double>> model) =>
        string.Join(" | ", model.Select(pair => $"{pair.Key} v{pair.Value.Version} {string.Join(",", pair.Value.ToArray().Select(BitConverter.DoubleToInt64Bits))}"));

    private static string Describe(OptimizerState state) =>
        $"{state.Method} {string.Join(",", state.LearningRates)} " + string.Join(" | ", state.Parameters.Select(p =>
            $"{p.Step}: " + string.Join(";", p.Buffers.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => $"{b.Key}={string.Join(",", b.Value.Select(BitConverter.DoubleToInt64Bits))}"))));
}
