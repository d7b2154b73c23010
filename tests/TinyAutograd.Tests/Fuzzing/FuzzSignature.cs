namespace TinyAutograd.Tests.Fuzzing;

/// <summary>
/// Which side of every kink an evaluation took (the sign of each relu and abs input, the order of each maximum's
/// operands, the set of maxima of each max slice), hashed. Two evaluations with the same signature lie on the same
/// smooth piece of the program, so finite differences between them are valid. Also the largest argument the
/// evaluation gave a sine or cosine, beyond which the differences cannot follow the period.
/// </summary>
internal sealed class FuzzSignature
{
    private ulong _hash = 14695981039346656037UL;

    public ulong Value => _hash;

    /// <summary>The largest magnitude any sine or cosine was applied to (0 without one).</summary>
    public double LargestPeriodicArgument { get; private set; }

    /// <summary>Records the arguments of a sine or cosine.</summary>
    public void AddPeriodicArguments(ReadOnlySpan<double> arguments)
    {
        foreach (double argument in arguments)
        {
            LargestPeriodicArgument = Math.Max(LargestPeriodicArgument, Math.Abs(argument));
        }
    }

    /// <summary>Records the sign class (−, 0, +) of every element.</summary>
    public void AddSigns(ReadOnlySpan<double> values)
    {
        foreach (double value in values)
        {
            Add(value > 0 ? 1UL : value < 0 ? 2UL : 3UL);
        }
    }

    private void Add(ulong item) => _hash = (_hash ^ item) * 1099511628211UL;
}
