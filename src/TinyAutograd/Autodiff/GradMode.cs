using TinyAutograd.Differentiation;

namespace TinyAutograd;

/// <summary>
/// Controls whether operations are recorded for reverse-mode differentiation on the current thread.
/// </summary>
/// <remarks>
/// Recording is on by default. <c>using (GradMode.Disable()) { … }</c> turns it off for a scope (PyTorch's
/// <c>no_grad</c>): results then do not require grad and nothing is kept for backward. Scopes nest and are per thread.
/// </remarks>
public static class GradMode
{
    /// <summary>Whether operations on the current thread are being recorded.</summary>
    public static bool IsEnabled => !RecordingState.Current.GradDisabled;

    /// <summary>Turns recording off until the returned scope is disposed.</summary>
    public static Scope Disable() => Set(enabled: false);

    /// <summary>Turns recording on until the returned scope is disposed (used to record a backward pass).</summary>
    public static Scope Enable() => Set(enabled: true);

    /// <summary>Turns recording on or off until the returned scope is disposed.</summary>
    public static Scope Set(bool enabled)
    {
        var scope = new Scope(!RecordingState.Current.GradDisabled);
        RecordingState.SetGradDisabled(!enabled);
        return scope;
    }

    /// <summary>Restores the previous recording state when disposed.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly bool _previouslyEnabled;

        internal Scope(bool previouslyEnabled) => _previouslyEnabled = previouslyEnabled;

        /// <summary>Restores the recording state that held when the scope was created.</summary>
        public void Dispose() => RecordingState.SetGradDisabled(!_previouslyEnabled);
    }
}
