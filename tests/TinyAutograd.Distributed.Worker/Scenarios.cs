using System.Globalization;
using System.Numerics;
using TinyAutograd.Optim;
using TinyAutograd.Persistence;

namespace TinyAutograd.Distributed.Worker;

/// <summary>What the tests run on several ranks. Rank 0 writes the results the tests read to the file it is given.</summary>
public static class Scenarios
{
    /// <summary>Adam's step size in the training scenarios.</summary>
    public const double LearningRate = 0.05;

    /// <summary>
    /// Trains <see cref="SmallClassifier{T}"/> for <paramref name="steps"/> steps of Adam with batches of
    /// <paramref name="batchSize"/> per rank; rank 0 writes the final parameters, one value per line.
    /// </summary>
    public static void Train<T>(Communicator communicator, int batchSize, int steps, string output, int bucketBytes)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var model = new SmallClassifier<T>();
        var parallel = new DataParallel<T>(model.Named, communicator, bucketBytes);
        var optimizer = new Adam<T>(model.Tensors, new AdamOptions { LearningRate = LearningRate });
        var sampler = new DistributedSampler<T>(SmallClassifier<T>.Data(batchSize), communicator);
        int step = 0;
        for (int epoch = 0; step < steps; epoch++)
        {
            foreach (var batch in sampler.Epoch(epoch).Take(steps - step))
            {
                optimizer.ZeroGrad();
                model.Loss(batch).Backward();
                parallel.Synchronize();
                optimizer.Step();
                step++;
            }
        }
        if (communicator.IsRoot)
        {
            File.WriteAllLines(output, Flatten(model.Tensors));
        }
    }

    /// <summary>The parameters' values in order, one per line, round-trippable.</summary>
    public static IEnumerable<string> Flatten<T>(IEnumerable<Tensor<T>> tensors)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        tensors.SelectMany(t => t.ToArray()).Select(v => double.CreateChecked(v).ToString("R", CultureInfo.InvariantCulture));

    /// <summary>Rank 1 builds a hidden layer of another width, so the ranks disagree on the shapes.</summary>
    public static void Mismatch(Communicator communicator)
    {
        var model = new SmallClassifier<double>(hidden: communicator.Rank == 1 ? 5 : 8);
        _ = new DataParallel<double>(model.Named, communicator);
    }

    /// <summary>
    /// Trains; at step 3 both ranks meet and shorten the timeout to 3 s, and rank 1 either kills itself (<paramref name="fault"/> = "kill") or stops
    /// responding (any other value: it sleeps for ever).
    /// </summary>
    public static void Fault(Communicator communicator, string fault)
    {
        var model = new SmallClassifier<double>();
        var parallel = new DataParallel<double>(model.Named, communicator);
        var optimizer = new Adam<double>(model.Tensors);
        var sampler = new DistributedSampler<double>(SmallClassifier<double>.Data(4), communicator);
        int step = 0;
        foreach (var batch in sampler.Epoch(0))
        {
            if (step++ == 3)
            {
                // Both ranks are here: the short timeout now measures the fault, not how unevenly a busy machine
                // started the two processes.
                communicator.Barrier();
                communicator.Timeout = TimeSpan.FromSeconds(3);
            }
            if (step == 4 && communicator.Rank == 1)
            {
                Console.Error.WriteLine($"rank 1: simulating a fault ({fault}) at step 3");
                if (fault == "kill")
                {
                    System.Diagnostics.Process.GetCurrentProcess().Kill();
                }
                Thread.Sleep(Timeout.Infinite);
            }
            optimizer.ZeroGrad();
            model.Loss(batch).Backward();
            parallel.Synchronize();
            optimizer.Step();
        }
    }

    /// <summary>
    /// Trains 3 steps, saves a checkpoint from rank 0, trains 2 more; then every rank resumes from the checkpoint and
    /// trains the same 2 steps again. Rank 0 writes "resumed" when every rank reached the same parameters both ways.
    /// </summary>
    public static void Resume(Communicator communicator, string directory, string output)
    {
        string path = Path.Combine(directory, "run.ckpt");
        var model = new SmallClassifier<double>();
        var parallel = new DataParallel<double>(model.Named, communicator);
        var optimizer = new Adam<double>(model.Tensors, new AdamOptions { LearningRate = LearningRate });
        var batches = new DistributedSampler<double>(SmallClassifier<double>.Data(4), communicator).Epoch(0).ToArray();
        void Step(int index)
        {
            optimizer.ZeroGrad();
            model.Loss(batches[index]).Backward();
            parallel.Synchronize();
            optimizer.Step();
        }
        for (int s = 0; s < 3; s++)
        {
            Step(s);
        }
        DistributedCheckpoint.Save(communicator, path, () =>
        {
            var checkpoint = new Checkpoint();
            checkpoint.AddParameters(model.Named);
            checkpoint.AddOptimizerState(optimizer.SaveState());
            return checkpoint;
        });
        Step(3);
        Step(4);
        var straight = Flatten(model.Tensors).ToArray();

        // Scramble this rank's parameters, then resume: the checkpoint must restore them on every rank.
        using (GradMode.Disable())
        {
            foreach (var tensor in model.Tensors)
            {
                tensor.GetSpanForWrite().Fill(12345.0);
            }
        }
        DistributedCheckpoint.Load(communicator, path).Restore(model.Named, optimizer);
        Step(3);
        Step(4);
        var resumed = Flatten(model.Tensors).ToArray();
        Span<double> agree = [straight.SequenceEqual(resumed) ? 1 : 0];
        communicator.Sum(agree);
        if (communicator.IsRoot)
        {
            File.WriteAllText(output, agree[0] == communicator.Size ? "resumed" : $"only {agree[0]} of {communicator.Size} ranks resumed to the same parameters");
        }
    }

    /// <summary>
    /// Each rank sets a batch-norm layer's buffers to values that depend on its rank (rank r: running_mean[i] = r + i,
    /// running_var[i] = 10·(r + 1), num_batches_tracked = 4), averages them, and rank 0 writes the buffers.
    /// </summary>
    public static void Buffers(Communicator communicator, string output)
    {
        var layer = new TinyAutograd.Nn.BatchNorm1d<double>(3);
        var parallel = new DataParallel<double>(layer, communicator);
        int rank = communicator.Rank;
        using (GradMode.Disable())
        {
            foreach (var (name, buffer) in layer.NamedBuffers())
            {
                var values = buffer.GetSpanForWrite();
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = name switch { "running_mean" => rank + i, "running_var" => 10.0 * (rank + 1), _ => 4 };
                }
            }
        }
        parallel.AverageBuffers();
        if (communicator.IsRoot)
        {
            File.WriteAllLines(output, layer.NamedBuffers().Select(pair => $"{pair.Key} {string.Join(' ', Flatten([pair.Value]))}"));
        }
    }
}
