namespace TinyAutograd.Differentiation;

/// <summary>
/// Raised when a tangent reaches a <see cref="CustomOperation{T}"/> that has no forward-mode rule, so that callers that
/// know a way around it (the checks' reverse-only mode) can say which option applies.
/// </summary>
internal sealed class MissingForwardRuleException(string operation, string message) : NotSupportedException(message)
{
    /// <summary>The custom operation's name.</summary>
    public string Operation { get; } = operation;
}
