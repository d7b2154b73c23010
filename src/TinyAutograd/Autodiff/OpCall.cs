using System.Runtime.CompilerServices;

namespace TinyAutograd.Differentiation;

/// <summary>
/// The call that made a node: the op's name as the user called it (<c>Mean</c>, even when the node is the division
/// inside it) and the caller's source file and line, taken from <see cref="CallerFilePathAttribute"/> and
/// <see cref="CallerLineNumberAttribute"/> at the public op, so it is exact in Release builds too. Operators
/// (<c>a * b</c>) cannot take caller arguments: their place is unknown (null) unless anomaly mode fills it in.
/// </summary>
/// <remarks>
/// Anomaly reports, the "made by" origin of derivation checks and profilers read it from <see cref="Node{T}.Call"/>.
/// While a <see cref="Profiling.Profiler"/> runs, a call also carries the moment it was made (<see cref="Start"/>): the
/// op's start mark, taken before it computes.
/// </remarks>
/// <param name="Name">The op's public name; null while a library-internal call has not named it (the node's own name is then used).</param>
/// <param name="File">The caller's source file, or null when unknown.</param>
/// <param name="Line">The caller's line, 0 when unknown.</param>
internal readonly record struct OpCall(string? Name, string? File, int Line)
{
    /// <summary>The library's own source folder, to tell its internal calls from the user's.</summary>
    private static readonly string s_libraryFolder = LibraryFolder();

    /// <summary>
    /// When the call was made, as a <see cref="System.Diagnostics.Stopwatch"/> timestamp, while a profiler runs; 0 otherwise
    /// (and for calls made without a place, such as operators, until <see cref="Started"/> marks them).
    /// </summary>
    public long Start { get; init; }

    /// <summary>A call of <paramref name="name"/> from <paramref name="file"/>:<paramref name="line"/> (null or empty file: unknown).</summary>
    public static OpCall At(string name, string? file, int line) =>
        new(name, string.IsNullOrEmpty(file) ? null : file, line) { Start = Profiling.RecordingHooks.Mark() };

    /// <summary>
    /// While a profiler runs, this call named <paramref name="name"/> when unnamed and with its start mark taken now when
    /// it has none (an operator's call); otherwise the call itself.
    /// </summary>
    /// <remarks>Inlined down to one check while no profiler runs: every elementwise op calls it.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public OpCall Started(string name) => Profiling.RecordingHooks.IsOn ? Named(name) : this;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private OpCall Named(string name) => this with { Name = Name ?? name, Start = Start != 0 ? Start : Profiling.RecordingHooks.Mark() };

    /// <summary>The call that encloses a node recorded now: the outermost composite's, else <paramref name="call"/> itself.</summary>
    public static OpCall Enclosing(OpCall call) => RecordingState.Current.Composite ?? call;

    /// <summary>Where the call was made, as <c>file:line</c>, or null when unknown.</summary>
    public string? Place => File is null ? null : $"{File}:{Line}";

    /// <summary>Whether the place is known and lies outside the library's own sources.</summary>
    public bool IsUserPlace => File is not null && !File.StartsWith(s_libraryFolder, StringComparison.Ordinal);

    /// <summary>
    /// Makes <paramref name="call"/> the call of every node recorded until the scope is disposed, unless an outer scope
    /// already holds one: a composite op (Mean = Sum then a division) labels its inner nodes with its own name and caller.
    /// Nothing is opened while recording is off and no profiler runs: no node or record would carry the label.
    /// </summary>
    public static Scope Enter(OpCall call)
    {
        var state = RecordingState.Current;
        if (state.Composite is not null || (state.GradDisabled && !Profiling.RecordingHooks.IsOn))
        {
            return default;
        }
        RecordingState.SetComposite(call);
        return new Scope(opened: true);
    }

    /// <summary>Ends a composite's scope; the default value ends nothing (an outer scope stays).</summary>
    internal readonly struct Scope(bool opened) : IDisposable
    {
        /// <summary>Clears the composite's call.</summary>
        public void Dispose()
        {
            if (opened)
            {
                RecordingState.SetComposite(null);
            }
        }
    }

    private static string LibraryFolder([CallerFilePath] string path = "")
    {
        var autodiff = Path.GetDirectoryName(path) ?? "";
        return (Path.GetDirectoryName(autodiff) ?? autodiff) + Path.DirectorySeparatorChar;
    }
}
