namespace TinyAutograd.Tests.Reliability;

/// <summary>Tests that change the process-wide <see cref="Parallelism.MaxThreads"/> run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GemmThreadCountCollection
{
    public const string Name = "Gemm thread count";

    /// <summary>Runs <paramref name="action"/> with <see cref="Parallelism.MaxThreads"/> set to <paramref name="threads"/>, then restores it.</summary>
    public static TResult WithMaxThreads<TResult>(int threads, Func<TResult> action)
    {
        int previous = Parallelism.MaxThreads;
        Parallelism.MaxThreads = threads;
        try
        {
            return action();
        }
        finally
        {
            Parallelism.MaxThreads = previous;
        }
    }
}
