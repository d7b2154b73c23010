using TinyAutograd.Optim;

namespace TinyAutograd.Tests.Optim;

/// <summary>A state that <see cref="Optimizer{T}.LoadState"/> refuses changes nothing: not a rate, not a step count, not a buffer.</summary>
public sealed class LoadStateAllOrNothingTests
{
    [Fact]
    public void ARefusedLearningRateLeavesEveryGroupAndEveryParameterStateAsItWas()
    {
        var model = new SmallRegression<double>();
        var adam = new Adam<double>(
        [
            new ParameterGroup<double>([model.Parameters[0]], new AdamOptions { LearningRate = 0.01 }),
            new ParameterGroup<double>([model.Parameters[1]], new AdamOptions { LearningRate = 0.02 }),
        ]);
        OptimizerCatalog.Step(adam, model.Loss);
        var before = adam.SaveState();
        var other = new Adam<double>(model.Parameters);
        OptimizerCatalog.Step(other, model.Loss);
        OptimizerCatalog.Step(other, model.Loss);
        var saved = other.SaveState();
        var refused = new OptimizerState { Method = saved.Method, LearningRates = [0.5, double.NaN], Parameters = saved.Parameters };

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => adam.LoadState(refused));

        Assert.Contains("NaN", error.Message, StringComparison.Ordinal);
        Assert.Equal([0.01, 0.02], adam.ParameterGroups.Select(group => group.LearningRate));
        var after = adam.SaveState();
        for (int i = 0; i < before.Parameters.Count; i++)
        {
            Assert.Equal(before.Parameters[i].Step, after.Parameters[i].Step);
            Assert.Equal(before.Parameters[i].Buffers["s"], after.Parameters[i].Buffers["s"]);
        }
    }
}
