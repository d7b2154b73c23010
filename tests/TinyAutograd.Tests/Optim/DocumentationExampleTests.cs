using TinyAutograd.Data;
using TinyAutograd.Nn;
using TinyAutograd.Optim;

namespace TinyAutograd.Tests.Optim;

/// <summary>The usage example of the README's Optimizers section, kept compiling and checked to learn the line it should.</summary>
public sealed class DocumentationExampleTests
{
    [Fact]
    public void UsageExample_RecoversTheLine_AndItsCheckpointLoads()
    {
        // Data: y = 2x₁ − 3x₂ + 0.5, 256 examples.
        var random = new RandomSource(42);
        var x = random.Uniform<double>([256, 2], -1, 1);
        var y = x.MatMul(Tensor.FromArray([2.0, -3.0], 2, 1)) + 0.5;

        // Model: a linear layer 2 → 1 (weight [1, 2], bias [1]), started at zero.
        var layer = new Linear<double>(2, 1, random);
        Init.Constant(layer.Weight, 0);
        Init.Constant(layer.Bias!, 0);
        var (w, b) = (layer.Weight, layer.Bias!);
        Tensor<double> Predict(Tensor<double> input) => layer.Forward(input);

        // Mini-batch SGD with momentum, the rate halved every 10 epochs, gradients clipped at norm 1.
        var optimizer = new Momentum<double>([w, b], new MomentumOptions { LearningRate = 0.1, Momentum = 0.9 });
        var scheduler = new LearningRateScheduler(optimizer, new StepDecay(0.1, interval: 10, factor: 0.5));
        var loader = new DataLoader<double>(x, y, batchSize: 32, shuffle: true, seed: 7);

        for (int epoch = 0; epoch < 30; epoch++)
        {
            foreach (var batch in loader.Epoch(epoch))
            {
                optimizer.ZeroGrad();
                var loss = Loss.SquaredError(Predict(batch.Features), batch.Targets);
                loss.Backward();
                GradientClipping.ClipByGlobalNorm(optimizer.Parameters, maxNorm: 1.0);
                optimizer.Step();
            }
            scheduler.Step();
        }

        // Methods that re-evaluate the loss (Nesterov's look-ahead, L-BFGS, Newton-CG) take a closure that zeroes the
        // gradients, recomputes the loss, calls Backward and returns the loss. Every optimizer accepts this form.
        var lbfgs = new Lbfgs<double>([w, b]);
        lbfgs.Step(() =>
        {
            lbfgs.ZeroGrad();
            var loss = Loss.SquaredError(Predict(x), y);
            loss.Backward();
            return loss;
        });

        // Checkpoint: a plain snapshot of the optimizer's memory; a fresh optimizer resumes bit for bit.
        OptimizerState state = optimizer.SaveState();
        var resumed = new Momentum<double>([w, b], new MomentumOptions { LearningRate = 0.1, Momentum = 0.9 });
        resumed.LoadState(state);

        Assert.Equal(2.0, w[0, 0], 1e-4);
        Assert.Equal(-3.0, w[0, 1], 1e-4);
        Assert.Equal(0.5, b[0], 1e-4);
        Assert.Equal(0.1 * 0.5 * 0.5 * 0.5, resumed.LearningRate, 1e-15);
        Assert.Equal(optimizer.StateOf(0).Buffers["update"], resumed.StateOf(0).Buffers["update"]);
    }
}
