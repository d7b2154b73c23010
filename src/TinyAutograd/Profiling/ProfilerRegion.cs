namespace TinyAutograd.Profiling;

/// <summary>A named region entered by <see cref="Profiler.Region"/>; disposing it leaves the region.</summary>
public readonly struct ProfilerRegion : IDisposable, IEquatable<ProfilerRegion>
{
    private readonly ProfileCollector? _collector;

    internal ProfilerRegion(ProfileCollector? collector) => _collector = collector;

    /// <summary>Leaves the region (nothing when no profiler ran as it was entered, or that profiler has stopped).</summary>
    public void Dispose()
    {
        if (_collector is not null && ReferenceEquals(Profiler.Active, _collector.Session))
        {
            _collector.ExitRegion();
        }
    }

    /// <inheritdoc/>
    public bool Equals(ProfilerRegion other) => ReferenceEquals(_collector, other._collector);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ProfilerRegion other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _collector?.GetHashCode() ?? 0;

    /// <summary>Whether two scopes belong to the same thread's profile.</summary>
    public static bool operator ==(ProfilerRegion left, ProfilerRegion right) => left.Equals(right);

    /// <summary>Whether two scopes belong to different threads' profiles.</summary>
    public static bool operator !=(ProfilerRegion left, ProfilerRegion right) => !left.Equals(right);
}
