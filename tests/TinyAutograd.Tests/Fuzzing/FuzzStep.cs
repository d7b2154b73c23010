using TinyAutograd.Tests.OpRegistry;

namespace TinyAutograd.Tests.Fuzzing;

/// <summary>One value of a fuzz program: an input leaf, or a registered op's call on earlier values.</summary>
/// <param name="Op">The op, or null for an input leaf.</param>
/// <param name="Call">The op's call with its fixed arguments, or null for an input leaf.</param>
/// <param name="Operands">Indices of the earlier values it reads, each mapped into the op's domain for that operand.</param>
/// <param name="Input">The input index of a leaf (−1 for an op).</param>
/// <param name="Result">The shape of the value.</param>
internal sealed record FuzzStep(OpInfo? Op, OpInvocation? Call, int[] Operands, int Input, Shape Result)
{
    /// <summary>Whether this value is an input leaf.</summary>
    public bool IsInput => Op is null;

    /// <summary>The leaf holding input <paramref name="index"/>.</summary>
    public static FuzzStep Leaf(int index, Shape shape) => new(null, null, [], index, shape);
}
