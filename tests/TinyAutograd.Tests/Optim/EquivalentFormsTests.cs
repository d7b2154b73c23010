using TinyAutograd.Optim;
using static TinyAutograd.Tests.Optim.TestProblems;

namespace TinyAutograd.Tests.Optim;

/// <summary>The lectures' two momentum forms, and the two ways of computing Nesterov's look-ahead, agree.</summary>
public sealed class EquivalentFormsTests
{
    private static readonly double[] Start = [0.5, -1.0, 2.0];

    [Fact]
    public void MomentumForms_GiveBitIdenticalParameters_EvenWhenTheRateChanges()
    {
        var w = Parameter<double>(Start);
        var theta = Parameter<double>(Start);
        var updateForm = new Momentum<double>([w], new MomentumOptions { LearningRate = 0.1, Momentum = 0.85 });
        var velocityForm = new Momentum<double>([theta], new MomentumOptions { LearningRate = 0.1, Momentum = 0.85, Form = MomentumForm.Velocity });
        var schedules = new[] { updateForm, velocityForm }.Select(o => new LearningRateScheduler(o, new ExponentialDecay(0.1, 0.05))).ToArray();
        for (int t = 0; t < 50; t++)
        {
            OptimizerCatalog.Step(updateForm, () => Quadratic.Coupled.Loss(w));
            OptimizerCatalog.Step(velocityForm, () => Quadratic.Coupled.Loss(theta));
            foreach (var schedule in schedules)
            {
                schedule.Step();
            }
            Assert.Equal(w.ToArray(), theta.ToArray());
            var update = updateForm.StateOf(0).Buffers["update"];
            var velocity = velocityForm.StateOf(0).Buffers["velocity"];
            Assert.Equal(update.Select(u => -u), velocity);
        }
        Assert.True(Distance(ToDoubles(w), Start) > 0.5, "the runs must actually move");
    }

    [Fact]
    public void NesterovForms_TraceTheSamePath_ShiftedToTheLookAheadPoints()
    {
        const double gamma = 0.9;
        var w = Parameter<double>(Start);
        var phi = Parameter<double>(Start);
        var lookAhead = new Nesterov<double>([w], new NesterovOptions { LearningRate = 0.05, Momentum = gamma });
        var reformulated = new Nesterov<double>([phi], new NesterovOptions { LearningRate = 0.05, Momentum = gamma, Form = NesterovForm.Reformulated });
        for (int t = 1; t <= 30; t++)
        {
            OptimizerCatalog.Step(lookAhead, () => Quadratic.Coupled.Loss(w));
            OptimizerCatalog.Step(reformulated, () => Quadratic.Coupled.Loss(phi));
            var update = lookAhead.StateOf(0).Buffers["update"];
            var wValues = w.ToArray();
            var phiValues = phi.ToArray();
            for (int i = 0; i < wValues.Length; i++)
            {
                double expected = wValues[i] - gamma * update[i];
                Assert.True(Math.Abs(expected - phiValues[i]) <= 1e-12,
                    $"step {t}, coordinate {i}: w − γ·update = {expected:R} but the reformulated parameter is {phiValues[i]:R}");
            }
        }
    }
}
