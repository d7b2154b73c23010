using TinyAutograd.Differentiation;

namespace TinyAutograd.Tests.Reliability;

/// <summary>
/// Graphs belong to the computation that built them and the modes are per thread, so independent trainings on
/// different threads cannot affect each other; one graph walked by two backward passes at once is refused.
/// </summary>
public sealed class ThreadIsolationTests
{
    private const int Steps = 30;

    [Fact]
    public void TwoModelsTrainedAtOnceOnTwoThreadsMatchTrainingThemOneAfterTheOtherBitForBit()
    {
        var firstAlone = TinyMlp.TrainedBits(seed: 11, Steps);
        var secondAlone = TinyMlp.TrainedBits(seed: 12, Steps);

        var results = new long[2][];
        using var start = new Barrier(2);
        var threads = new[] { 11UL, 12UL }.Select((seed, i) => new Thread(() =>
        {
            start.SignalAndWait();
            results[i] = TinyMlp.TrainedBits(seed, Steps);
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }
        foreach (var thread in threads)
        {
            thread.Join();
        }

        Assert.Equal(firstAlone, results[0]);
        Assert.Equal(secondAlone, results[1]);
        Assert.NotEqual(firstAlone, secondAlone);
    }

    [Fact]
    public void GradModeAnomalyModeAndArenasOfOneThreadDoNotReachAnother()
    {
        using var scopesOpen = new ManualResetEventSlim();
        using var checkedOther = new ManualResetEventSlim();
        var other = Tensor.FromArray([1.0, 2.0]).RequireGrad();
        Tensor<double>? madeOnOtherThread = null;
        bool gradEnabledElsewhere = false, anomalyEnabledElsewhere = true;
        var scoped = new Thread(() =>
        {
            using (GradMode.Disable())
            using (AnomalyMode.Enable())
            using (TensorArena.Begin())
            {
                scopesOpen.Set();
                checkedOther.Wait();
            }
        });
        scoped.Start();
        scopesOpen.Wait();

        gradEnabledElsewhere = GradMode.IsEnabled;
        anomalyEnabledElsewhere = AnomalyMode.IsEnabled;
        madeOnOtherThread = other.Exp();
        var nanWithoutAnomaly = other.Log() * double.NaN;
        checkedOther.Set();
        scoped.Join();

        Assert.True(gradEnabledElsewhere);
        Assert.False(anomalyEnabledElsewhere);
        Assert.True(madeOnOtherThread.RequiresGrad);
        Assert.True(double.IsNaN(nanWithoutAnomaly[0]));
        Assert.False(madeOnOtherThread.IsRetired);
        Assert.Equal(Math.Exp(1.0), madeOnOtherThread[0]);
    }

    [Fact]
    public void ASecondBackwardOverAGraphThatIsBeingWalkedIsRefusedAndTheFirstCompletesCorrectly()
    {
        var x = Tensor.FromArray([1.5, -2.0]).RequireGrad();
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var loss = GateNode.Apply(x, entered, release).Square().Sum();

        var first = new Thread(() => loss.Backward(retainGraph: true));
        first.Start();
        entered.Wait();
        var error = Assert.Throws<InvalidOperationException>(() => loss.Backward(retainGraph: true));
        release.Set();
        first.Join();

        Assert.Contains("another backward pass is walking this part of the graph", error.Message, StringComparison.Ordinal);
        Assert.Equal([3.0, -4.0], x.Grad!.ToArray());
        loss.Backward();
        Assert.Equal([6.0, -8.0], x.Grad!.ToArray());
    }

    [Fact]
    public void HammeringOneGraphFromTwoThreadsDoesNotDisturbAModelTrainedMeanwhile()
    {
        var reference = TinyMlp.TrainedBits(seed: 21, Steps);
        var shared = Tensor.FromArray([0.5, 1.5, -0.5]).RequireGrad();
        var sharedLoss = (shared.Tanh() * shared).Sum();
        long[]? trained = null;
        int attempts = 0;
        using var hammering = new CountdownEvent(2);
        using var done = new ManualResetEventSlim();

        var hammers = Enumerable.Range(0, 2).Select(_ => new Thread(() =>
        {
            bool first = true;
            while (!done.IsSet)
            {
                try
                {
                    sharedLoss.Backward(retainGraph: true);
                }
                catch (InvalidOperationException error) when (error.Message.Contains("another backward pass", StringComparison.Ordinal))
                {
                }
                Interlocked.Increment(ref attempts);
                if (first)
                {
                    hammering.Signal();
                    first = false;
                }
            }
        })).ToArray();
        var trainer = new Thread(() =>
        {
            hammering.Wait();
            trained = TinyMlp.TrainedBits(seed: 21, Steps);
            done.Set();
        });
        foreach (var hammer in hammers)
        {
            hammer.Start();
        }
        trainer.Start();
        trainer.Join();
        foreach (var hammer in hammers)
        {
            hammer.Join();
        }

        Assert.Equal(reference, trained);
        Assert.True(attempts >= 2);
    }

    /// <summary>The identity, whose backward rule signals that it started and then waits to be released.</summary>
    private sealed class GateNode : Node<double>
    {
        private readonly ManualResetEventSlim _entered;
        private readonly ManualResetEventSlim _release;

        private GateNode(Tensor<double> x, ManualResetEventSlim entered, ManualResetEventSlim release)
            : base("Gate", x)
        {
            _entered = entered;
            _release = release;
        }

        public static Tensor<double> Apply(Tensor<double> x, ManualResetEventSlim entered, ManualResetEventSlim release) =>
            Tape.Record(default, x.Clone(), new GateNode(x, entered, release));

        public override Tensor<double> InputGradient(int index, Tensor<double> outputGradient)
        {
            _entered.Set();
            _release.Wait();
            return outputGradient;
        }

        public override Tensor<double> OutputTangent(int index, Tensor<double> inputTangent) => inputTangent;
    }
}
