using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace TinyAutograd.Distributed;

/// <summary>
/// Checks that every rank holds the same parameters (names, element types and shapes, in the same order) before
/// training starts, so that a mismatch fails at once, naming the first difference, instead of mixing unrelated
/// gradients or waiting for ever.
/// </summary>
/// <remarks>
/// Each rank hashes its description (one line per parameter: name, element type, shape) with SHA-256 and the ranks
/// exchange the 32-byte hashes. Only when they differ do rank 0 and the first differing rank broadcast their full
/// descriptions, so that every rank reports the same difference.
/// </remarks>
internal static class ParameterAgreement
{
    /// <summary>Returns when all ranks agree; otherwise throws on every rank.</summary>
    /// <exception cref="DistributedException">The ranks' parameters differ; the message names the first difference.</exception>
    public static void Check<T>(Communicator communicator, IReadOnlyList<KeyValuePair<string, Tensor<T>>> parameters)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var lines = parameters.Select(p => $"'{p.Key}' ({Tensor<T>.ElementTypeName}, shape {p.Value.Shape})").ToArray();
        var mine = Encoding.UTF8.GetBytes(string.Join('\n', lines));
        var hashes = communicator.AllGather<byte>(SHA256.HashData(mine));
        int hashLength = hashes.Length / communicator.Size;
        int other = 1;
        while (other < communicator.Size && hashes.AsSpan(0, hashLength).SequenceEqual(hashes.AsSpan(other * hashLength, hashLength)))
        {
            other++;
        }
        if (other == communicator.Size)
        {
            return;
        }
        var reference = Lines(communicator.BroadcastBytes(mine, 0));
        var differing = Lines(communicator.BroadcastBytes(mine, other));
        throw new DistributedException(
            $"DataParallel: the ranks disagree on the model's parameters: {FirstDifference(reference, differing, other)}. " +
            "Every rank must build the same model, with the same parameters in the same order.");
    }

    /// <summary>The first position where two ranks' parameter lists differ, described in words.</summary>
    internal static string FirstDifference(string[] reference, string[] differing, int other)
    {
        int common = Math.Min(reference.Length, differing.Length);
        for (int i = 0; i < common; i++)
        {
            if (reference[i] != differing[i])
            {
                return $"parameter {i} is {reference[i]} on rank 0 but {differing[i]} on rank {other}";
            }
        }
        return reference.Length > differing.Length
            ? $"rank 0 has {reference.Length} parameters and rank {other} {differing.Length}; the first missing on rank {other} is {reference[common]}"
            : $"rank 0 has {reference.Length} parameters and rank {other} {differing.Length}; the first extra on rank {other} is {differing[common]}";
    }

    private static string[] Lines(byte[] bytes) => bytes.Length == 0 ? [] : Encoding.UTF8.GetString(bytes).Split('\n');
}
