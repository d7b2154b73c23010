namespace TinyAutograd.Benchmarks.Workloads;

/// <summary>One training step of a model of the peer's model groups, on a fixed batch.</summary>
public interface IModelStep
{
    /// <summary>The peer's record name.</summary>
    string Label { get; }

    /// <summary>The number of trainable values.</summary>
    long ParameterCount { get; }

    /// <summary>Runs one step and returns the loss before the update.</summary>
    float Run();
}
