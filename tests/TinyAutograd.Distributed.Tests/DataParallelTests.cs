using System.Globalization;
using System.Numerics;
using TinyAutograd.Distributed.Worker;
using TinyAutograd.Optim;

namespace TinyAutograd.Distributed.Tests;

[Collection(MpiCollection.Name)]
public sealed class DataParallelTests
{
    private const int Steps = 6;

    /// <summary>
    /// Two ranks with batches of b reach the parameters of one process with batches of 2b over the same data order.
    /// </summary>
    /// <remarks>
    /// Not bit for bit: one process sums each weight gradient over 2b examples in one product, the ranks sum b each and
    /// the all-reduce adds the two sums, so the roundings differ in the last bits (a few units in the last place per
    /// step). Adam's step ∝ m/√v is scale-free, so those relative errors stay relative: after six steps on parameters of
    /// order 1 the difference stays below 1e-12 in double and 1e-5 in float.
    /// </remarks>
    [Theory]
    [InlineData("double", 1e-12)]
    [InlineData("float", 1e-5)]
    public void Two_ranks_with_batch_b_reach_the_parameters_of_one_process_with_batch_2b(string type, double tolerance)
    {
        var distributed = TrainOnTwoRanks(type, bucketBytes: DataParallel<double>.DefaultBucketBytes);
        var reference = type == "double" ? TrainAlone<double>(batchSize: 12) : TrainAlone<float>(batchSize: 12);
        var initial = type == "double" ? TrainAlone<double>(batchSize: 12, steps: 0) : TrainAlone<float>(batchSize: 12, steps: 0);

        Assert.Equal(reference.Length, distributed.Length);
        for (int i = 0; i < reference.Length; i++)
        {
            Assert.True(Math.Abs(reference[i] - distributed[i]) <= tolerance,
                $"parameter value {i}: {distributed[i]:R} on two ranks, {reference[i]:R} alone (tolerance {tolerance})");
        }
        // Training moved the parameters far more than the tolerance, so the comparison means something.
        Assert.Contains(Enumerable.Range(0, reference.Length), i => Math.Abs(reference[i] - initial[i]) > 1000 * tolerance);
    }

    [Fact]
    public void Many_small_buckets_started_during_backward_give_the_same_bits_as_one_bucket()
    {
        // 64 bytes: every parameter travels in a bucket of its own, started as soon as its gradient is final.
        var small = TrainOnTwoRanks("double", bucketBytes: 64);
        var whole = TrainOnTwoRanks("double", bucketBytes: 1 << 20);

        Assert.Equal(whole, small);
    }

    [Fact]
    public void Every_rank_resumes_from_the_checkpoint_rank_0_saved()
    {
        string directory = MpiRun.TemporaryDirectory();
        string output = Path.Combine(directory, "result.txt");

        var run = MpiRun.Worker(2, "resume", directory, output);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal("resumed", File.ReadAllText(output));
    }

    [Fact]
    public void Batch_norm_buffers_become_their_mean_over_the_ranks()
    {
        string output = Path.Combine(MpiRun.TemporaryDirectory(), "buffers.txt");

        var run = MpiRun.Worker(2, "buffers", output);

        Assert.True(run.ExitCode == 0, run.Output);
        // Ranks 0 and 1: running_mean[i] = (0 + i + 1 + i) / 2, running_var = (10 + 20) / 2, num_batches_tracked = 4.
        Assert.Equal(["running_mean 0.5 1.5 2.5", "running_var 15 15 15", "num_batches_tracked 4"], File.ReadAllLines(output));
    }

    private static double[] TrainOnTwoRanks(string type, int bucketBytes)
    {
        string output = Path.Combine(MpiRun.TemporaryDirectory(), "parameters.txt");
        var run = MpiRun.Worker(2, $"train-{type}", "6", Steps.ToString(CultureInfo.InvariantCulture), output, bucketBytes.ToString(CultureInfo.InvariantCulture));
        Assert.True(run.ExitCode == 0, run.Output);
        return File.ReadAllLines(output).Select(line => double.Parse(line, CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>Plain single-process training: the same model, data order and optimizer, with no MPI at all.</summary>
    private static double[] TrainAlone<T>(int batchSize, int steps = Steps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var model = new SmallClassifier<T>();
        var optimizer = new Adam<T>(model.Tensors, new AdamOptions { LearningRate = Scenarios.LearningRate });
        var loader = SmallClassifier<T>.Data(batchSize);
        int step = 0;
        for (int epoch = 0; step < steps; epoch++)
        {
            foreach (var batch in loader.Epoch(epoch).Take(steps - step))
            {
                optimizer.ZeroGrad();
                model.Loss(batch).Backward();
                optimizer.Step();
                step++;
            }
        }
        return model.Tensors.SelectMany(t => t.ToArray()).Select(double.CreateChecked).ToArray();
    }
}
