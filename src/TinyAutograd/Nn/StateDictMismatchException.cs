namespace TinyAutograd.Nn;

/// <summary>
/// A strict <see cref="Module{T}.LoadStateDict"/> found names missing, unexpected or of another shape; the module was
/// left unchanged. <see cref="Result"/> lists every problem.
/// </summary>
public sealed class StateDictMismatchException : Exception
{
    /// <summary>Creates the exception for a module description and the mismatches found.</summary>
    public StateDictMismatchException(string module, StateDictLoadResult result)
        : base($"{module ?? throw new ArgumentNullException(nameof(module))}: the state dict does not match the module, so nothing was loaded ({result ?? throw new ArgumentNullException(nameof(result))}).") =>
        Result = result;

    /// <summary>Every missing, unexpected and shape-mismatched name.</summary>
    public StateDictLoadResult Result { get; }
}
