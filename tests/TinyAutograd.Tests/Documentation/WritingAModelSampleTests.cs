using TinyAutograd.Data;
using TinyAutograd.Nn;
using TinyAutograd.Optim;
using TinyAutograd.Persistence;
using TinyAutograd.Tests.Reliability;

namespace TinyAutograd.Tests.Documentation;

/// <summary>The README's "Writing a model" sample, kept compiling and run on a small synthetic problem.</summary>
public sealed class WritingAModelSampleTests
{
    private sealed class Classifier : Layer<float>
    {
        private readonly Linear<float> _fc1, _fc2;
        private readonly Dropout<float> _dropout;

        public Classifier(int inputs, int hidden, int classes, RandomSource random)
        {
            _fc1 = RegisterModule("fc1", new Linear<float>(inputs, hidden, random));   // PyTorch's init, from `random`
            _dropout = RegisterModule("dropout", new Dropout<float>(0.25, random));
            _fc2 = RegisterModule("fc2", new Linear<float>(hidden, classes, random));
        }

        public override Tensor<float> Forward(Tensor<float> x) => _fc2.Forward(_dropout.Forward(_fc1.Forward(x).Relu()));
    }

    [Fact]
    public void TheSampleTrainsCheckpointsResumesAndExchangesSafetensors()
    {
        using var directory = new TemporaryDirectory();
        var (features, labels) = Blobs(count: 100, inputs: 784);
        var (interrupted, startedAt) = Run(directory.Path, features, labels, epochs: 1);
        Assert.Equal(0, startedAt);
        var (resumed, resumedAt) = Run(directory.Path, features, labels, epochs: 3);
        Assert.Equal(1, resumedAt);
        Assert.NotEqual(interrupted, resumed);
        Assert.True(Accuracy(resumed, labels) > 0.9, $"accuracy {Accuracy(resumed, labels)} on well-separated blobs");
    }

    private static double Accuracy(float[] logits, int[] labels) =>
        labels.Where((label, i) => Enumerable.Range(0, 10).MaxBy(c => logits[i * 10 + c]) == label).Count() / (double)labels.Length;

    /// <summary>The README sample, with its files in <paramref name="folder"/>, returning the evaluation logits and the first epoch trained.</summary>
    private static (float[] Logits, int FirstEpoch) Run(string folder, Tensor<float> features, int[] labels, int epochs)
    {
        float[] result;
        string run = Path.Combine(folder, "run.ckpt"), weights = Path.Combine(folder, "model.safetensors");
        // features: [N, 784]; labels: int[N]
        var model = new Classifier(784, 128, 10, new RandomSource(seed: 1));
        var optimizer = new Adam<float>(model.Parameters(), new AdamOptions { LearningRate = 1e-3 });
        var loader = new DataLoader<float>(features, labels, batchSize: 128, seed: 2);
        Console.WriteLine(model);   // the tree: names, shapes and parameter counts

        int firstEpoch = 0;
        if (File.Exists(run))                             // resume: parameters, optimizer state and epoch, all or nothing
        {
            var saved = Checkpoint.Load(run);
            saved.Restore(model.StateDict(), optimizer);
            firstEpoch = (int)saved.GetInteger("epoch") + 1;
        }
        for (int epoch = firstEpoch; epoch < epochs; epoch++)
        {
            model.Train();
            foreach (var batch in loader.Epoch(epoch))
            {
                optimizer.ZeroGrad();
                var loss = Loss.CrossEntropy(model.Forward(batch.Features), batch.Labels);
                loss.Backward();
                optimizer.Step();
            }
            var checkpoint = new Checkpoint();
            checkpoint.AddParameters(model.StateDict());         // fc1.weight, fc1.bias, fc2.weight, fc2.bias
            checkpoint.AddOptimizerState(optimizer.SaveState()); // keyed by the same names
            checkpoint.AddInteger("epoch", epoch);
            checkpoint.Save(run);                         // atomic, checksummed
        }

        model.Eval();                                            // dropout off; batch norm uses its running statistics
        using (GradMode.Disable())
        {
            var logits = model.Forward(features);
            result = logits.ToArray();
        }

        model.StateDict().SaveSafetensors(weights);  // PyTorch: load_state_dict(safetensors.torch.load_file(...))
        model.LoadStateDict(StateDict<float>.LoadSafetensors(weights));
        using (GradMode.Disable())
        {
            Assert.Equal(result, model.Forward(features).ToArray());
        }
        return (result, firstEpoch);
    }

    /// <summary>Ten Gaussian blobs in 784 dimensions.</summary>
    private static (Tensor<float> Features, int[] Labels) Blobs(int count, int inputs)
    {
        var random = new RandomSource(5);
        var labels = Enumerable.Range(0, count).Select(i => i % 10).ToArray();
        var values = new float[count * inputs];
        for (int i = 0; i < count; i++)
        {
            for (int j = 0; j < inputs; j++)
            {
                values[i * inputs + j] = (float)(random.NextNormal() + (j % 10 == labels[i] ? 2 : 0));
            }
        }
        return (Tensor.FromArray(values, count, inputs), labels);
    }
}
