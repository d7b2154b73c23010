using System.Globalization;
using TinyAutograd.Data;
using TinyAutograd.Nn;
using TinyAutograd.Optim;
using static TinyAutograd.Tests.Optim.TestProblems;

namespace TinyAutograd.Tests.Optim;

/// <summary>A trainer that resumes where a run stopped, a hook between backward and step, and readable epoch reports.</summary>
public sealed class TrainerResumeTests
{
    [Fact]
    public void AResumedRunEndsBitForBitWhereAnUninterruptedOneDoes()
    {
        var straight = new LinearRun();
        straight.Fit(new TrainerOptions { MaxEpochs = 4 });
        var first = new LinearRun();
        first.Fit(new TrainerOptions { MaxEpochs = 2 });
        var resumed = new LinearRun();
        resumed.ContinueFrom(first);

        var result = resumed.Fit(new TrainerOptions { StartEpoch = 2, MaxEpochs = 4 });

        Assert.Equal([2, 3], resumed.Epochs);
        Assert.Equal(4, result.Epochs);
        Assert.Equal(straight.Weight.ToArray(), resumed.Weight.ToArray());
        Assert.Equal(straight.Bias.ToArray(), resumed.Bias.ToArray());
    }

    [Fact]
    public void TheHookRunsBetweenBackwardAndStepAndCanClipTheGradient()
    {
        var start = new double[] { 0.5, -1.0, 2.0 };
        var theta = Parameter<double>(start);
        var trainer = new Trainer<double>(new GradientDescent<double>([theta], new() { LearningRate = 0.1 }), new TrainerOptions { MaxEpochs = 1 });
        var seen = new List<double[]>();

        var result = trainer.Fit(() => Quadratic.Coupled.Loss(theta), afterBackward: () =>
        {
            seen.Add(theta.Grad!.ToArray());
            GradientClipping.ClipByGlobalNorm([theta], 1.0);
        });

        var gradient = Quadratic.Coupled.Gradient(start);
        double norm = Norm(gradient);
        Assert.True(norm > 1, "the test needs a gradient longer than the clipping norm");
        Assert.Single(seen);
        Assert.Equal(gradient, seen[0]);
        Assert.Equal(norm, result.LastEpoch.GradientNorm, 12);
        for (int i = 0; i < start.Length; i++)
        {
            Assert.Equal(start[i] - 0.1 * gradient[i] / norm, theta[i], 12);
        }
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(3)]
    public void AStartEpochOutsideTheRunIsRefused(int start)
    {
        var theta = Parameter<double>([1.0]);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new Trainer<double>(new GradientDescent<double>([theta]), new TrainerOptions { StartEpoch = start, MaxEpochs = 3 }));

        Assert.Contains("StartEpoch", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEpochReportPrintsItsNumbersAndMetrics()
    {
        var report = new EpochReport(3, 0.125, 2.5, 0.01, new Dictionary<string, double> { ["accuracy"] = 0.9375, ["loss/validation"] = 0.25 });

        string text = report.ToString();

        Assert.DoesNotContain("Dictionary", text, StringComparison.Ordinal);
        foreach (string part in new[] { "3", "0.125", "2.5", "0.01", "accuracy", "0.9375", "loss/validation", "0.25" })
        {
            Assert.Contains(part, text, StringComparison.Ordinal);
        }
        Assert.Equal(text, report.ToString());
        Assert.Contains(0.9375.ToString(CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
    }
}

/// <summary>Mini-batch linear regression with shuffled batches and momentum: a run whose result depends on the data order and the optimizer's state.</summary>
internal sealed class LinearRun
{
    private readonly Tensor<double> _x = new RandomSource(21).Uniform<double>([24, 2], -1, 1);
    private readonly Tensor<double> _y;
    private readonly Linear<double> _layer = new(2, 1, new RandomSource(22));
    private readonly Momentum<double> _optimizer;

    public LinearRun()
    {
        // The line y = 2x₁ − 3x₂ + 0.5.
        _y = _x.MatMul(Tensor.FromArray([2.0, -3.0], 2, 1)) + 0.5;
        _optimizer = new Momentum<double>(_layer.Parameters(), new() { LearningRate = 0.05 });
    }

    public Tensor<double> Weight => _layer.Weight;

    public Tensor<double> Bias => _layer.Bias!;

    public List<int> Epochs { get; } = [];

    public TrainingResult Fit(TrainerOptions options) =>
        new Trainer<double>(_optimizer, options).Fit(new DataLoader<double>(_x, _y, batchSize: 5, seed: 3),
            batch => Loss.SquaredError(_layer.Forward(batch.Features), batch.Targets), report => Epochs.Add(report.Epoch));

    /// <summary>Takes over another run's parameters and optimizer state, as a checkpoint would.</summary>
    public void ContinueFrom(LinearRun other)
    {
        using (GradMode.Disable())
        {
            other.Weight.Data.CopyTo(Weight.GetSpanForWrite());
            other.Bias.Data.CopyTo(Bias.GetSpanForWrite());
        }
        _optimizer.LoadState(other._optimizer.SaveState());
    }
}
