using TinyAutograd.Differentiation;

namespace TinyAutograd.Checks;

/// <summary>Runs a part of a check that needs forward-mode rules, and explains the way out when one is missing.</summary>
internal static class ForwardRule
{
    /// <summary>The result of <paramref name="compute"/>; a missing forward-mode rule becomes a message naming the option.</summary>
    /// <exception cref="NotSupportedException">f uses a custom operation without a forward-mode rule.</exception>
    public static TResult Required<TResult>(string check, Func<TResult> compute)
    {
        try
        {
            return compute();
        }
        catch (MissingForwardRuleException missing)
        {
            throw new NotSupportedException(
                $"{check}: f uses the custom operation '{missing.Operation}', which has no forward-mode rule (Jvp), and this check also " +
                "compares forward mode (forward-mode Jacobians, forward-over-reverse Hessian-vector products). Either override Jvp in " +
                $"'{missing.Operation}', or check reverse mode only with new CheckOptions {{ ReverseModeOnly = true }}.", missing);
        }
    }
}
