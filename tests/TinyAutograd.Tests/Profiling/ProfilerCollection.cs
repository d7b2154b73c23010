namespace TinyAutograd.Tests.Profiling;

/// <summary>
/// The tests that start a profiler: one profiler runs at a time and it sees every thread's ops, so these run alone,
/// after the parallel tests.
/// </summary>
[CollectionDefinition(nameof(ProfilerCollection), DisableParallelization = true)]
public sealed class ProfilerCollection;
