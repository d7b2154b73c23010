namespace TinyAutograd.Distributed.Tests;

/// <summary>The tests that launch mpirun run one at a time: each job already uses both processors of a small machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MpiCollection
{
    public const string Name = "mpirun";
}
