namespace TinyAutograd.Benchmarks.Workloads;

/// <summary>
/// A fixed batch of random token sequences for next-token training, as the peer makes it: rows of length + 1 uniform
/// ids, the first <c>length</c> of each row as inputs and the last <c>length</c> as targets, both flattened row-major.
/// </summary>
public sealed class TokenBatch
{
    public TokenBatch(int rows, int length, int vocabulary, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        (Rows, Length) = (rows, length);
        Inputs = new int[rows * length];
        Targets = new int[rows * length];
        for (int row = 0; row < rows; row++)
        {
            int previous = random.NextInt(vocabulary);
            for (int t = 0; t < length; t++)
            {
                int next = random.NextInt(vocabulary);
                Inputs[row * length + t] = previous;
                Targets[row * length + t] = next;
                previous = next;
            }
        }
    }

    public int Rows { get; }

    /// <summary>The sequence length.</summary>
    public int Length { get; }

    /// <summary>Token ids, [rows, length] row-major.</summary>
    public int[] Inputs { get; }

    /// <summary>The next token after each input, [rows, length] row-major.</summary>
    public int[] Targets { get; }
}
