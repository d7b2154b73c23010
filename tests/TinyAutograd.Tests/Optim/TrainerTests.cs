using TinyAutograd.Data;
using TinyAutograd.Nn;
using TinyAutograd.Optim;
using static TinyAutograd.Tests.Optim.TestProblems;

namespace TinyAutograd.Tests.Optim;

public sealed class TrainerTests
{
    [Fact]
    public void FullBatch_StopsWhenTheGradientNormIsSmall_ReportingEachEpoch()
    {
        var start = new double[] { 0.5, -1.0, 2.0 };
        var theta = Parameter<double>(start);
        var trainer = new Trainer<double>(new GradientDescent<double>([theta], new() { LearningRate = 0.1 }),
            new TrainerOptions { MaxEpochs = 1000, GradientTolerance = 1e-6 });
        var reports = new List<EpochReport>();
        var result = trainer.Fit(() => Quadratic.Coupled.Loss(theta), reports.Add);

        Assert.Equal(StopReason.GradientNormBelowTolerance, result.StopReason);
        Assert.Equal(reports.Count, result.Epochs);
        Assert.True(result.Epochs < 1000);
        Assert.True(result.LastEpoch.GradientNorm <= 1e-6);
        Assert.True(reports[^2].GradientNorm > 1e-6, "training must stop at the first epoch below the tolerance");
        Assert.Equal(Norm(Quadratic.Coupled.Gradient(start)), reports[0].GradientNorm, 12);
        Assert.Equal(0.1, reports[0].LearningRate);
        Assert.Equal(Enumerable.Range(0, reports.Count), reports.Select(r => r.Epoch));
    }

    [Fact]
    public void MiniBatches_TrainALinearModel_AndReportMetricsAndWeightedLoss()
    {
        var random = new RandomSource(21);
        var x = random.Uniform<double>([32, 2], -1, 1);
        var trueWeight = Tensor.FromArray([2.0, -3.0], 2, 1);
        var y = x.MatMul(trueWeight) + 0.5;
        var layer = new Linear<double>(2, 1, new RandomSource(22));
        Func<Tensor<double>, Tensor<double>> model = layer.Forward;
        var loader = new DataLoader<double>(x, y, batchSize: 8, seed: 3);
        var losses = new List<double>();
        var trainer = new Trainer<double>(new Momentum<double>(layer.Parameters(), new() { LearningRate = 0.1 }), new TrainerOptions { MaxEpochs = 60 });

        var result = trainer.Fit(loader, batch => Loss.SquaredError(model(batch.Features), batch.Targets),
            report => losses.Add(report.Loss),
            () => new Dictionary<string, double> { ["fullLoss"] = Loss.SquaredError(model(x), y).ToScalar() });

        Assert.Equal(StopReason.MaxEpochs, result.StopReason);
        Assert.Equal(60, losses.Count);
        Assert.True(losses[^1] < losses[0] * 1e-4, $"loss went from {losses[0]} to {losses[^1]}");
        Assert.True(result.LastEpoch.Metrics["fullLoss"] < 1e-6);
        Assert.Equal(2.0, layer.Weight[0, 0], 3);
        Assert.Equal(-3.0, layer.Weight[0, 1], 3);
        Assert.Equal(0.5, layer.Bias![0], 3);
    }

    [Fact]
    public void EveryOptimizer_RunsUnderTheTrainer()
    {
        foreach (var name in OptimizerCatalog.FirstOrderNames.Concat(OptimizerCatalog.SecondOrderNames))
        {
            var model = new SmallRegression<double>();
            double before = model.Loss().ToScalar();
            var result = new Trainer<double>(OptimizerCatalog.Create(name, model.Parameters), new TrainerOptions { MaxEpochs = 5 }).Fit(model.Loss);
            Assert.True(model.Loss().ToScalar() < before, $"{name}: the loss did not decrease under the trainer");
            Assert.Equal(5, result.Epochs);
        }
    }
}
