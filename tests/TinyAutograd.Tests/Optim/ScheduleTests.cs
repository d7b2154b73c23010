using TinyAutograd.Optim;
using static TinyAutograd.Tests.Optim.TestProblems;

namespace TinyAutograd.Tests.Optim;

/// <summary>Each schedule at the step indices where its value changes (and where it must not).</summary>
public sealed class ScheduleTests
{
    private const int Precision = 15;

    [Fact]
    public void Constant_NeverChanges()
    {
        var schedule = new ConstantLearningRate(0.05);
        Assert.All(new[] { 0, 1, 2, 1000 }, t => Assert.Equal(0.05, schedule.LearningRateAt(t)));
    }

    [Fact]
    public void StepDecay_CutsExactlyEveryNSteps()
    {
        var schedule = new StepDecay(0.1, interval: 3, factor: 0.5);
        double[] expected = [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025];
        for (int t = 0; t < expected.Length; t++)
        {
            Assert.Equal(expected[t], schedule.LearningRateAt(t), Precision);
        }
    }

    [Fact]
    public void ExponentialDecay_FollowsAlpha0TimesExpMinusKt()
    {
        var schedule = new ExponentialDecay(0.2, 0.1);
        Assert.Equal(0.2, schedule.LearningRateAt(0));
        Assert.Equal(0.2 * Math.Exp(-0.1), schedule.LearningRateAt(1), Precision);
        Assert.Equal(0.2 * Math.Exp(-1.0), schedule.LearningRateAt(10), Precision);
        Assert.All(Enumerable.Range(0, 20), t => Assert.True(schedule.LearningRateAt(t + 1) < schedule.LearningRateAt(t)));
    }

    [Fact]
    public void InverseTimeDecay_FollowsAlpha0OverOnePlusKt()
    {
        var schedule = new InverseTimeDecay(0.2, 0.5);
        Assert.Equal(0.2, schedule.LearningRateAt(0));
        Assert.Equal(0.2 / 1.5, schedule.LearningRateAt(1), Precision);
        Assert.Equal(0.2 / 6, schedule.LearningRateAt(10), Precision);
        Assert.All(Enumerable.Range(0, 20), t => Assert.True(schedule.LearningRateAt(t + 1) < schedule.LearningRateAt(t)));
    }

    [Fact]
    public void CosineDecay_FallsFromAlpha0ToAlphaMinAtT_ThenStays()
    {
        var schedule = new CosineDecay(1.0, totalSteps: 10, finalRate: 0.1);
        Assert.Equal(1.0, schedule.LearningRateAt(0), Precision);
        Assert.Equal(0.55, schedule.LearningRateAt(5), Precision);
        Assert.Equal(0.1 + 0.45 * (1 + Math.Cos(Math.PI * 0.3)), schedule.LearningRateAt(3), Precision);
        Assert.Equal(0.1, schedule.LearningRateAt(10), Precision);
        Assert.Equal(0.1, schedule.LearningRateAt(11), Precision);
        Assert.All(Enumerable.Range(0, 10), t => Assert.True(schedule.LearningRateAt(t + 1) < schedule.LearningRateAt(t)));
    }

    [Fact]
    public void LinearWarmup_RampsUp_ThenHandsOverToTheNextSchedule()
    {
        var schedule = new LinearWarmup(3, new StepDecay(0.1, interval: 2, factor: 0.5));
        double[] expected = [0.025, 0.05, 0.075, 0.1, 0.1, 0.05, 0.05, 0.025];
        for (int t = 0; t < expected.Length; t++)
        {
            Assert.Equal(expected[t], schedule.LearningRateAt(t), Precision);
        }
    }

    [Fact]
    public void Schedules_RejectNegativeStepsAndBadArguments_NamingThemselves()
    {
        Assert.Contains("ExponentialDecay", Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialDecay(0.1, 0.1).LearningRateAt(-1)).Message, StringComparison.Ordinal);
        Assert.Contains("factor", Assert.Throws<ArgumentOutOfRangeException>(() => new StepDecay(0.1, 2, 1.5)).Message, StringComparison.Ordinal);
        Assert.Contains("interval", Assert.Throws<ArgumentOutOfRangeException>(() => new StepDecay(0.1, 0, 0.5)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new InverseTimeDecay(-0.1, 1));
    }

    [Fact]
    public void LearningRateScheduler_DrivesEveryGroupOfAnyOptimizer()
    {
        var a = Parameter<double>([1.0]);
        var b = Parameter<double>([1.0]);
        var optimizer = new Adam<double>([
            new ParameterGroup<double>([a], new AdamOptions()),
            new ParameterGroup<double>([b], new AdamOptions { LearningRate = 0.5 }),
        ]);
        var scheduler = new LearningRateScheduler(optimizer, new StepDecay(0.2, interval: 2, factor: 0.1));
        Assert.Equal(0.2, optimizer.LearningRate);
        scheduler.Step();
        Assert.Equal(0.2, optimizer.LearningRate);
        scheduler.Step();
        Assert.Equal(2, scheduler.StepCount);
        Assert.All(optimizer.ParameterGroups, group => Assert.Equal(0.02, group.LearningRate, Precision));
        scheduler.Resume(5);
        Assert.Equal(0.002, optimizer.LearningRate, Precision);
    }

    [Fact]
    public void DecayOnLossIncrease_CutsOnlyWhenTheLossRises_DownToTheFloor()
    {
        var optimizer = new GradientDescent<double>([Parameter<double>([1.0])], new GradientDescentOptions { LearningRate = 0.4 });
        var decay = new DecayOnLossIncrease(optimizer, factor: 0.5, minimumRate: 0.08);
        (double Loss, bool Cut, double Rate)[] reports =
        [
            (1.0, false, 0.4), (0.8, false, 0.4), (0.9, true, 0.2), (0.85, false, 0.2),
            (0.85, false, 0.2), (0.95, true, 0.1), (1.0, true, 0.08), (2.0, true, 0.08),
        ];
        foreach (var (loss, cut, rate) in reports)
        {
            Assert.Equal(cut, decay.Report(loss));
            Assert.Equal(rate, optimizer.LearningRate, Precision);
        }
        Assert.Throws<ArgumentException>(() => decay.Report(double.NaN));
    }
}
