using System.CommandLine;
using System.Diagnostics;
using System.Runtime;
using TinyAutograd.Data;
using TinyAutograd.Distributed;
using TinyAutograd.Examples.Cli;
using TinyAutograd.Examples.Datasets;
using TinyAutograd.Examples.Models;
using TinyAutograd.Kernels;
using TinyAutograd.Nn;
using TinyAutograd.Optim;

namespace TinyAutograd.Examples.Demos;

/// <summary>
/// Data-parallel training over MPI: launched with <c>mpirun -np N</c>, the 784-256-256-10 perceptron (or the CNN) learns
/// Fashion-MNIST on N ranks, each with its own shard of every batch; rank 0 also trains the same model alone with
/// N times the batch, alternating with the ranks over a few rounds, so the run reports the speed-up (a median over the
/// rounds) and that both reach the same loss.
/// </summary>
internal static class DistributedDemo
{
    public const string Name = "distributed";

    /// <summary>Steps of each phase left out of its throughput, while its buffers reach their steady sizes.</summary>
    private const int WarmUpSteps = 10;

    /// <summary>
    /// How many steps in a row the runtime must have compiled nothing, on every rank, before a warm-up ends: more than
    /// the calls after which tiered compilation recompiles a method (30), so that even the code that runs once a step
    /// has reached its final, optimized form rather than merely waiting for its next recompilation.
    /// </summary>
    private const int QuietCompilerSteps = 40;

    /// <summary>
    /// How long the runtime must have compiled nothing, on every rank, before a warm-up ends: longer than the pause
    /// (0.1 s, ten times that in a process bound to one processor, as mpirun binds each rank) during which tiered
    /// compilation waits before it starts counting calls.
    /// </summary>
    private static readonly TimeSpan QuietCompilerTime = TimeSpan.FromSeconds(2);

    /// <summary>The most steps a warm-up takes, in case some rank's runtime keeps compiling.</summary>
    private const int MaxWarmUpSteps = 2000;

    public static Command Command(ConsoleStreams streams)
    {
        var command = new Command(Name,
            "Data-parallel training of the Fashion-MNIST MLP (or, with --model cnn, the CNN) over MPI: run it with 'mpirun -np 2 dotnet TinyAutograd.Examples.dll distributed' (needs: apt-get install openmpi-bin libopenmpi-dev dataset-fashion-mnist).");
        var common = new CommonOptions(command);
        var epochs = command.AddOption("--epochs", "Passes over the training images.", 2, 1);
        var rounds = command.AddOption("--rounds", "Times the single-rank and the data-parallel training alternate; the figures are medians over the rounds.", 3, 1);
        var batchSize = command.AddOption("--batch-size", "Images per mini-batch on each rank (one rank alone takes ranks × this); each step sends the whole gradient (1 MB), so larger batches amortize it.", 256, 1);
        var learningRate = command.AddOption("--learning-rate", "Adam's step size.", 0.001, 0.0);
        var threads = command.AddOption("--threads", "Threads per rank for the matrix products.", 1, 1);
        var bucketKilobytes = command.AddOption("--bucket-kb", "Size of a bucket of gradients summed over the ranks at once, in KiB.", 256, 1);
        var timeout = command.AddOption("--timeout", "Seconds a rank waits for the others before it gives up on them.", 300.0, 1.0);
        var model = new Option<DistributedModel>("--model")
        {
            Description = "The model: mlp (784-256-256-10 perceptron) or cnn (the convolutional network of the cnn example).",
            DefaultValueFactory = _ => DistributedModel.Mlp,
        };
        command.Options.Add(model);
        var source = FashionMnistSource.AddOptions(command);
        command.SetAction(parse =>
        {
            var communicator = Communicator.World;
            communicator.Timeout = TimeSpan.FromSeconds(parse.GetValue(timeout));
            Parallelism.MaxThreads = parse.GetValue(threads);
            var context = common.Read(parse, streams);
            // Only rank 0 prints: the others run with a silent terminal and discard their result.
            var rankContext = communicator.IsRoot ? context : new RunContext(context.OutputDirectory, context.Seed, json: true, streams.Terminal, TextWriter.Null);
            var settings = new Settings(parse.GetValue(model), parse.GetValue(epochs), parse.GetValue(rounds), parse.GetValue(batchSize), parse.GetValue(learningRate),
                parse.GetValue(threads), parse.GetValue(bucketKilobytes) * 1024);
            rankContext.Finish(Run(rankContext, communicator, settings, source(parse)));
        });
        return command;
    }

    /// <summary>The options of one run.</summary>
    internal sealed record Settings(DistributedModel Model, int Epochs, int Rounds, int BatchSize, double LearningRate, int Threads, int BucketBytes)
    {
        /// <summary>The model in words.</summary>
        public string Description => Model == DistributedModel.Cnn ? "convolutional network (conv1, conv2, fc1, fc2)" : "784-256-256-10 MLP";

        /// <summary>A new model, its initial weights drawn from <paramref name="seed"/> (dropout's masks too).</summary>
        public Layer<float> Create(int features, int classes, ulong seed) => Model == DistributedModel.Cnn
            ? new ConvNet<float>(new RandomSource(seed), imageSize: (int)Math.Sqrt(features), classes: classes)
            : new Mlp([features, 256, 256, classes], seed);
    }

    public static DistributedResult Run(RunContext context, Communicator communicator, Settings settings, FashionMnistSource source)
    {
        int ranks = communicator.Size;
        context.Heading("Distributed training",
            $"{settings.Description} on Fashion-MNIST, {Format.Count(ranks, "rank")} × {Format.Count(settings.Threads, "thread")}, batches of {settings.BatchSize} per rank, " +
            $"Adam (η = {Format.Number(settings.LearningRate)}), {Format.Count(settings.Epochs, "epoch")}");
        if (source.TryLoad(context) is not (var train, var test))
        {
            return DistributedResult.Unavailable(FashionMnistData.InstallCommand);
        }
        Layer<float> NewModel(ulong seed) => settings.Create(train.FeatureCount, train.ClassNames.Count, seed);
        var features = train.FeatureTensor();

        // Each timed loop starts once the runtime has compiled its code in final form, on a throwaway model.
        var warmUpLoader = new DataLoader<float>(features, train.Labels, settings.BatchSize, shuffle: true, seed: context.Seed);
        var warmUpModel = NewModel(context.Seed);
        int warmUpSteps = WarmUp(warmUpModel, new DistributedSampler<float>(warmUpLoader, communicator).Epoch, settings,
            new DataParallel<float>(warmUpModel, communicator, settings.BucketBytes));
        context.Say($"warm-up: {Format.Count(warmUpSteps, "step")} on every rank, until the runtime had compiled nothing for {QuietCompilerSteps} steps and {Format.Number(QuietCompilerTime.TotalSeconds)} s");

        // Rank 0 alone (batches of ranks × b, the other ranks asleep) and all ranks together (each on its shard of
        // batches of b, gradients averaged), in alternating order over the rounds, each from fresh models: the machine's
        // slow spells then fall on both sides alike, and the medians over the rounds are compared.
        int singleWarmUpSteps = 0;
        var singleLoader = new DataLoader<float>(features, train.Labels, ranks * settings.BatchSize, shuffle: true, seed: context.Seed);
        if (communicator.IsRoot)
        {
            singleWarmUpSteps = WarmUp(NewModel(context.Seed), singleLoader.Epoch, settings, parallel: null);
            context.Say($"one rank's warm-up: {Format.Count(singleWarmUpSteps, "step")}");
        }
        var singles = new Phase[settings.Rounds];
        var gathered = new double[settings.Rounds][];
        var finalLosses = new double[settings.Rounds];
        Layer<float>? distributedModel = null;
        DataParallel<float>? parallel = null;
        int width = 1 + PhaseFractions.Length;
        for (int round = 0; round < settings.Rounds; round++)
        {
            if (round % 2 == 1)
            {
                (distributedModel, parallel, gathered[round], finalLosses[round]) = TrainTogether(round);
            }
            singles[round] = TrainAlone(round);
            if (round % 2 == 0)
            {
                (distributedModel, parallel, gathered[round], finalLosses[round]) = TrainTogether(round);
            }
        }

        Phase TrainAlone(int round)
        {
            var phase = new Phase(double.NaN, double.NaN, PhaseFractions.None);
            if (communicator.IsRoot)
            {
                phase = Train(context, $"one rank, round {round + 1}/{settings.Rounds}", NewModel(context.Seed), singleLoader.Epoch, singleLoader.BatchesPerEpoch, settings, parallel: null);
                context.Say($"round {round + 1}, one rank: {Format.Integer((long)phase.SamplesPerSecond)} images/s, final training loss {Format.Fixed(phase.FinalLoss, 4)}; {Describe(phase.Times)}");
            }
            communicator.Barrier(TimeSpan.FromHours(1));
            return phase;
        }

        // Each rank's throughput and phases, gathered by summing arrays that are zero but for each rank's own entries.
        (Layer<float> Model, DataParallel<float> Parallel, double[] Gathered, double FinalLoss) TrainTogether(int round)
        {
            var model = NewModel(context.Seed + (ulong)communicator.Rank);
            var wrapper = new DataParallel<float>(model, communicator, settings.BucketBytes);
            var shardLoader = new DataLoader<float>(features, train.Labels, settings.BatchSize, shuffle: true, seed: context.Seed);
            var sampler = new DistributedSampler<float>(shardLoader, communicator);
            var mine = Train(context, $"{ranks} ranks, round {round + 1}/{settings.Rounds}", model, sampler.Epoch, sampler.BatchesPerEpoch, settings, wrapper);
            var all = new double[ranks * width];
            all[communicator.Rank * width] = mine.SamplesPerSecond;
            mine.Times.ToArray().CopyTo(all, communicator.Rank * width + 1);
            communicator.Sum(all.AsSpan());
            double loss = communicator.Average(mine.FinalLoss);
            context.Say($"round {round + 1}, {Format.Count(ranks, "rank")} together: {Format.Integer((long)Together(all))} images/s");
            return (model, wrapper, all, loss);
        }

        // The ranks' throughputs added: the first entry of each rank's slice of a gathered array.
        double Together(double[] all) => Enumerable.Range(0, ranks).Sum(r => all[r * width]);

        // The round of median speed-up gives the per-rank figures; the throughputs are medians over the rounds.
        var togetherByRound = gathered.Select(Together).ToArray();
        var speedUps = togetherByRound.Select((together, round) => together / singles[round].SamplesPerSecond).ToArray();
        int median = Enumerable.Range(0, settings.Rounds).OrderBy(round => speedUps[round]).ElementAt(settings.Rounds / 2);
        var perRank = Enumerable.Range(0, ranks).Select(r => gathered[median][r * width]).ToArray();
        var perRankTimes = Enumerable.Range(0, ranks).Select(r => PhaseFractions.FromArray(gathered[median], r * width + 1)).ToArray();
        var single = singles[median];
        double together = Median(togetherByRound);
        double singleRate = Median(singles.Select(phase => phase.SamplesPerSecond).ToArray());
        double speedUp = speedUps[median];
        double finalLoss = finalLosses[median];
        for (int r = 0; r < ranks; r++)
        {
            context.Say($"rank {r} (round {median + 1}): {Format.Integer((long)perRank[r])} images/s; {Describe(perRankTimes[r])}");
        }
        var evaluation = Classification.Evaluate(distributedModel!, test);
        context.Say($"{Format.Count(ranks, "rank")} together: {Format.Integer((long)together)} images/s against {Format.Integer((long)singleRate)} for one rank (medians over {Format.Count(settings.Rounds, "round")}); " +
            $"speed-up {Format.Fixed(speedUp, 2)}× (median; rounds: {string.Join(", ", speedUps.Select(x => Format.Fixed(x, 2) + "×"))}); " +
            $"final training loss {Format.Fixed(finalLoss, 4)} (one rank: {Format.Fixed(single.FinalLoss, 4)}); test accuracy {Format.Percent(evaluation.Accuracy)}; " +
            $"gradients in {Format.Count(parallel!.BucketCount, "bucket")}.");
        return new DistributedResult(true, null, ranks, settings.Threads, settings.Epochs, settings.BatchSize, settings.Rounds, together, singleRate, speedUp, speedUps, perRank,
            perRankTimes, single.Times, warmUpSteps, singleWarmUpSteps, finalLoss, single.FinalLoss, evaluation.Accuracy, parallel.BucketCount, []);
    }

    /// <summary>The middle value (the upper one of an even count).</summary>
    private static double Median(double[] values) => values.Order().ElementAt(values.Length / 2);

    /// <summary>The phases of a training loop in words.</summary>
    private static string Describe(PhaseFractions times) =>
        $"of the time: {Format.Percent(times.Compute)} forward and backward, {Format.Percent(times.Synchronize)} finishing the gradients' sums (Synchronize), " +
        $"{Format.Percent(times.Step)} optimizer step, {Format.Percent(times.Data)} fetching batches; garbage collection paused it {Format.Percent(times.GarbageCollection)} " +
        $"({Format.Count(times.Collections, "collection")}); the runtime compiled {Format.Count(times.CompiledMethods, "method")} for {Format.Percent(times.Compiling)} of it" +
        (double.IsNaN(times.ProcessorWait) ? "" : $"; waiting for a processor held by other work: {Format.Percent(times.ProcessorWait)}");

    /// <summary>
    /// Trains a throwaway <paramref name="model"/> (on every rank together when <paramref name="parallel"/> is given)
    /// until the runtime has compiled nothing new for <see cref="QuietCompilerSteps"/> steps and
    /// <see cref="QuietCompilerTime"/>, on every rank; returns the number of steps. Without it, tiered compilation
    /// would still be replacing a rank's first, unoptimized code (several times slower) during the timed steps: the
    /// timed loop would measure the compiler, and a rank whose code is ready would wait in Synchronize for the others.
    /// </summary>
    private static int WarmUp(Layer<float> model, Func<int, IEnumerable<Batch<float>>> epochBatches, Settings settings, DataParallel<float>? parallel)
    {
        var optimizer = new Adam<float>(model.Parameters(), new AdamOptions { LearningRate = settings.LearningRate });
        long compiled = -1;
        long quietSince = 0;
        int quietFrom = 0;
        Span<double> compiling = [0];
        int step = 0;
        for (int epoch = 0; ; epoch++)
        {
            foreach (var batch in epochBatches(epoch))
            {
                using (TensorArena.Begin())
                {
                    TrainStep(model, optimizer, batch, parallel, out _, out _);
                }
                step++;
                long now = JitInfo.GetCompiledMethodCount();
                if (now != compiled)
                {
                    compiled = now;
                    quietSince = Stopwatch.GetTimestamp();
                    quietFrom = step;
                }
                compiling[0] = step - quietFrom < QuietCompilerSteps || Stopwatch.GetElapsedTime(quietSince) < QuietCompilerTime ? 1 : 0;
                // Every rank takes the same decision, so all make the same number of steps.
                parallel?.Communicator.Sum(compiling);
                if (compiling[0] == 0 || step == MaxWarmUpSteps)
                {
                    return step;
                }
            }
        }
    }

    /// <summary>Trains for the epochs; returns the phases' times after the warm-up steps and the last epoch's mean loss.</summary>
    private static Phase Train(RunContext context, string label, Layer<float> model, Func<int, IEnumerable<Batch<float>>> epochBatches, int batchesPerEpoch,
        Settings settings, DataParallel<float>? parallel)
    {
        var optimizer = new Adam<float>(model.Parameters(), new AdamOptions { LearningRate = settings.LearningRate });
        var times = new StepTimes();
        int step = 0;
        double lastEpochLoss = double.NaN;
        for (int epoch = 0; epoch < settings.Epochs; epoch++)
        {
            double total = 0;
            int examples = 0;
            context.WithProgress($"{label}, epoch {epoch + 1}/{settings.Epochs}", batchesPerEpoch, advance =>
            {
                using var batches = epochBatches(epoch).GetEnumerator();
                while (true)
                {
                    long begin = Stopwatch.GetTimestamp();
                    // The step's tensors, the batch included, give their buffers back for the next step.
                    using var arena = TensorArena.Begin();
                    if (!batches.MoveNext())
                    {
                        break;
                    }
                    var batch = batches.Current;
                    long fetched = Stopwatch.GetTimestamp();
                    double loss = TrainStep(model, optimizer, batch, parallel, out long computed, out long synchronized);
                    total += loss * batch.Count;
                    examples += batch.Count;
                    times.Add(begin, fetched, computed, synchronized, Stopwatch.GetTimestamp(), batch.Count);
                    if (++step == WarmUpSteps)
                    {
                        times.Start();
                    }
                    advance($"loss {Format.Fixed(total / examples, 4)}");
                }
            });
            lastEpochLoss = total / examples;
        }
        times.Stop();
        return new Phase(times.SamplesPerSecond, lastEpochLoss, times.Fractions());
    }

    /// <summary>
    /// One step on <paramref name="batch"/>: forward and backward, the gradients' sums over the ranks when
    /// <paramref name="parallel"/> is given, the optimizer's step; returns the batch's mean loss and the timestamps at
    /// which the backward pass and the synchronization ended. Run it inside a <see cref="TensorArena"/>.
    /// </summary>
    private static double TrainStep(Layer<float> model, Optimizer<float> optimizer, Batch<float> batch, DataParallel<float>? parallel,
        out long computed, out long synchronized)
    {
        optimizer.ZeroGrad();
        var loss = Loss.CrossEntropy(model.Forward(batch.Features), batch.Labels);
        loss.Backward();
        computed = Stopwatch.GetTimestamp();
        parallel?.Synchronize();
        synchronized = Stopwatch.GetTimestamp();
        optimizer.Step();
        return loss.ToScalar();
    }

    private sealed record Phase(double SamplesPerSecond, double FinalLoss, PhaseFractions Times);
}

/// <summary>The figures of a distributed run, as rank 0 reports them.</summary>
internal sealed record DistributedResult(bool Available, string? Install, int Ranks, int ThreadsPerRank, int Epochs, int BatchSizePerRank, int Rounds,
    double SamplesPerSecond, double SingleRankSamplesPerSecond, double SpeedUp, double[] RoundSpeedUps, double[] PerRankSamplesPerSecond, PhaseFractions[] PerRankTimes, PhaseFractions SingleRankTimes, int WarmUpSteps, int SingleRankWarmUpSteps,
    double FinalLoss,
    double SingleRankFinalLoss, double TestAccuracy, int Buckets, IReadOnlyList<string> Pictures) : IDemoResult
{
    public static DistributedResult Unavailable(string install) =>
        new(false, install, 0, 0, 0, 0, 0, double.NaN, double.NaN, double.NaN, [], [], [], PhaseFractions.None, 0, 0, double.NaN, double.NaN, double.NaN, 0, []);

    public string Headline() => Available
        ? $"{Format.Count(Ranks, "rank")}: {Format.Integer((long)SamplesPerSecond)} images/s, {Format.Fixed(SpeedUp, 2)}× one rank, test accuracy {Format.Percent(TestAccuracy)}"
        : $"skipped: data not installed ({Install})";
}

/// <summary>The models the distributed example can train.</summary>
internal enum DistributedModel
{
    /// <summary>The 784-256-256-10 perceptron.</summary>
    Mlp,

    /// <summary>The convolutional network of the <c>cnn</c> example.</summary>
    Cnn,
}
