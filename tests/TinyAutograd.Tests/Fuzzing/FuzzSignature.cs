namespace TinyAutograd.Tests.Fuzzing;

/// <summary>
/// Which side of every kink an evaluation took (the sign of each relu and abs input, the order of each maximum's
/// operands, the set of maxima of each max slice), hashed. Two evaluations with the same signature lie on the same
/// smooth piece of the program, so finite differences between them are valid.
/// </summary>
internal sealed class FuzzSignature
{
    private ulong _hash = 14695981039346656037UL;

    public ulong Value => _hash;

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
