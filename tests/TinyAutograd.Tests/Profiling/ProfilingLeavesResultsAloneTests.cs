using TinyAutograd.Nn;
using TinyAutograd.Optim;
using TinyAutograd.Profiling;

namespace TinyAutograd.Tests.Profiling;

/// <summary>Profiling changes no bit of any result: losses, gradients, updated weights, tangents.</summary>
[Collection(nameof(ProfilerCollection))]
public sealed class ProfilingLeavesResultsAloneTests
{
    [Fact]
    public void TrainingStepsGiveTheSameBitsWithAndWithoutTheProfiler()
    {
        var plain = TrainedWeights(profiled: false);
        var profiled = TrainedWeights(profiled: true);

        Assert.Equal(plain.Count, profiled.Count);
        for (int i = 0; i < plain.Count; i++)
        {
            Assert.Equal(plain[i].Select(BitConverter.SingleToInt32Bits), profiled[i].Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public void AHessianVectorProductGivesTheSameBitsWithAndWithoutTheProfiler()
    {
        var x = Tensor.Normal<double>([5, 3], seed: 7);
        var v = Tensor.Normal<double>([5, 3], seed: 8);
        static Tensor<double> Loss(Tensor<double> p) => (p.MatMul(p, transposeRight: true).Tanh() * 1.5).Sigmoid().Sum();

        var plain = AutoDiff.HessianVectorProduct(Loss, x, v).ToArray();
        double[] profiled = [];
        Profiler.Profile(() => profiled = AutoDiff.HessianVectorProduct(Loss, x, v).ToArray());

        Assert.Equal(plain.Select(BitConverter.DoubleToInt64Bits), profiled.Select(BitConverter.DoubleToInt64Bits));
    }

    /// <summary>Three Adam steps of a small convolutional classifier inside an arena; returns the loss and every weight after them.</summary>
    private static List<float[]> TrainedWeights(bool profiled)
    {
        var random = new RandomSource(11);
        var model = new Sequential<float>(
            new Conv2d<float>(1, 3, new Size2d(3, 3), random, padding: 1), new Relu<float>(), new Flatten<float>(),
            new Linear<float>(3 * 6 * 6, 16, random), new Tanh<float>(), new Linear<float>(16, 4, random));
        var optimizer = new Adam<float>(model.Parameters(), new AdamOptions { LearningRate = 0.01 });
        var inputs = Tensor.Normal<float>([8, 1, 6, 6], seed: 12);
        int[] labels = [0, 1, 2, 3, 3, 2, 1, 0];
        var results = new List<float[]>();
        using var profiler = profiled ? Profiler.Start() : null;
        for (int step = 0; step < 3; step++)
        {
            using var arena = TensorArena.Begin();
            optimizer.ZeroGrad();
            var loss = Loss.CrossEntropy(model.Forward(inputs), labels);
            loss.Backward();
            optimizer.Step();
            results.Add([loss.ToScalar()]);
        }
        results.AddRange(model.Parameters().Select(parameter => parameter.ToArray()));
        return results;
    }
}
