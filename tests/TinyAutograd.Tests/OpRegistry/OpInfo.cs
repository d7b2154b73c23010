using FsCheck;
using FsCheck.Fluent;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.OpRegistry;

/// <summary>
/// One public differentiable op as the tests know it (after PyTorch's OpInfo): how to call it, on which shapes and
/// values, which points to avoid, and a naive reference. The per-op properties (<see cref="OpPropertyTests"/>), the
/// random-program fuzzer and the composite-expression generator all draw ops from these entries.
/// </summary>
/// <param name="Name">The op's name, as the user calls it.</param>
/// <param name="Members">The public members this entry exercises, as <see cref="MemberSignature"/> writes them.</param>
/// <param name="Domains">The domain of each tensor operand (the last one repeats for ops taking any number of tensors).</param>
/// <param name="Calls">Random calls whose operand 0 has the given shape (partner shapes, axes, flags and constants chosen at random).</param>
public sealed record OpInfo(string Name, string[] Members, Domain[] Domains, Func<Shape, Gen<OpInvocation>> Calls)
{
    /// <summary>The smallest rank of operand 0 the op takes (0: 0-d tensors too).</summary>
    public int MinRank { get; init; }

    /// <summary>The largest rank of operand 0 used.</summary>
    public int MaxRank { get; init; } = Testing.Shapes.MaxRank;

    /// <summary>The shapes of operand 0 for the small cases: ranks <see cref="MinRank"/> to <see cref="MaxRank"/>, sizes 1 to 4.</summary>
    public Gen<Shape> Shapes => Testing.Shapes.RankBetween(MinRank, MaxRank);

    /// <summary>
    /// Whether the entry's calls take an operand 0 of <paramref name="shape"/>: a rank in range and at least one
    /// element (empty tensors have their own tests, in Reliability/EmptyTensorTests).
    /// </summary>
    public bool Accepts(Shape shape) => shape.Rank >= MinRank && shape.Rank <= MaxRank && shape.Length > 0;

    /// <summary>
    /// Shapes of operand 0 with at least <see cref="OpPropertyTests.FusedLength"/> elements, on which the plain backward
    /// runs pointwise chains block by block.
    /// </summary>
    public Gen<Shape> LargeShapes { get; init; } = Gen.Elements(new Shape(64, 65), new Shape(4, 32, 33));

    /// <summary>
    /// The points to avoid, as a reader sees them (<c>x = 0</c>, <c>ties a = b</c>), or null for an op smooth everywhere
    /// in its domains; each call computes where its operands lie relative to them (<see cref="OpInvocation.Kinks"/>).
    /// </summary>
    public string? Avoid { get; init; }

    /// <summary>How far the library's value may be from the naive reference (exact unless rounding differs).</summary>
    public Tolerance ForwardTolerance { get; init; } = new(0, 0);

    /// <summary>
    /// How far the plain backward may be from the recorded one, relative to the largest entry of each gradient: null
    /// (the default) demands the same bits; an op whose plain backward is a kernel of its own, rounding differently from
    /// the recorded ops, states its bound.
    /// </summary>
    public double? PlainBackwardRelativeError { get; init; }

    /// <summary>Whether the op is differentiable everywhere in its domains (no kinks), so any composition of it suits finite differences.</summary>
    public bool IsSmooth => Avoid is null;

    /// <summary>The domain of tensor operand <paramref name="operand"/>.</summary>
    public Domain DomainOf(int operand) => Domains[Math.Min(operand, Domains.Length - 1)];

    /// <summary>Random calls on operands of <see cref="Shapes"/>, with operand values from their domains.</summary>
    public Gen<(OpInvocation Call, Tensor<double>[] Operands)> SmallCalls => On(Shapes);

    /// <summary>Random calls on operands of <see cref="LargeShapes"/>, with operand values from their domains.</summary>
    public Gen<(OpInvocation Call, Tensor<double>[] Operands)> LargeCalls => On(LargeShapes);

    /// <summary>Random <see cref="OpCase"/>s (call, operands and output weights) on the small shapes.</summary>
    public Gen<OpCase> SmallCases =>
        from c in SmallCalls
        from opCase in OpCase.Of(c.Call.Text, c.Call.Apply, c.Operands)
        select opCase;

    private Gen<(OpInvocation Call, Tensor<double>[] Operands)> On(Gen<Shape> shapes) =>
        from shape in shapes
        from call in Calls(shape)
        from operands in Gen.CollectToArray(call.Operands.Select((operand, i) => DomainOf(i).Sample(operand)))
        select (call, operands);

    /// <inheritdoc/>
    public override string ToString() => Name;
}
