using FsCheck;
using FsCheck.Fluent;
using TinyAutograd.Tests.Testing;
using Xunit.Sdk;

namespace TinyAutograd.Tests.OpRegistry;

/// <summary>
/// The per-op properties, one theory case per registry entry, on random calls, shapes (broadcast pairs, size-1 axes,
/// 0-d where the op allows it) and values inside the op's domains, in double:
/// (1) the value matches the naive reference, and the sampled operands keep clear of the op's kinks and ties;
/// (2) the reverse-mode gradient matches central finite differences;
/// (3) H·v (forward-over-reverse) matches the central difference of the gradient along v, agrees with
/// reverse-over-reverse, and is symmetric and linear; J·v (forward mode) matches the central difference of the op
/// along v; and the adjoint identity ⟨u, J·v⟩ = ⟨Jᵀ·u, v⟩ holds (see <see cref="SecondOrderChecker"/>);
/// (4) on operands of at least <see cref="FusedLength"/> elements, the plain backward (which runs pointwise chains block
/// by block) gives the same bits as the recorded one (create-graph, op by op).
/// </summary>
public sealed class OpPropertyTests
{
    /// <summary>The gradient length from which the plain backward runs chains of pointwise ops block by block.</summary>
    public const int FusedLength = 4096;

    /// <summary>How close a sampled operand may come to a kink or tie: beyond every finite-difference step (at most 0.006).</summary>
    private const double KinkMargin = 0.05;

    /// <summary>Large cases per op: each is a few backward passes over thousands of elements, with no finite differences.</summary>
    private const int FusedCases = 4;

    private static readonly Tolerance GradientTolerance = new(Absolute: 1e-8, Relative: 1e-6);

    [Theory]
    [MemberData(nameof(Registry.Names), MemberType = typeof(Registry))]
    public void PropertiesHold(string op)
    {
        var entry = Registry.Named(op);
        ValueMatchesReferenceAwayFromKinks(entry);
        Properties.GradientMatchesFiniteDifferences(entry.SmallCases, GradientTolerance);
        Properties.SecondOrderHolds(entry.SmallCases, SecondOrderTolerances.Standard);
        FusedBackwardEqualsRecorded(entry);
    }

    private static void ValueMatchesReferenceAwayFromKinks(OpInfo entry) =>
        Properties.ForAll(entry.SmallCalls, c =>
        {
            var (call, operands) = c;
            ElementwiseComparison.Require($"{entry.Name}: {call.Text}: value", call.Apply(operands), call.Reference(operands), entry.ForwardTolerance);
            if (call.Kinks is { } kinks)
            {
                foreach (double distance in kinks(operands).Data)
                {
                    if (distance != 0 && Math.Abs(distance) < KinkMargin)
                    {
                        throw new XunitException($"{entry.Name}: {call.Text}: an operand lies {distance:G3} from a point to avoid ({entry.Avoid}); the domain sampler must keep {KinkMargin} away.");
                    }
                }
            }
        });

    /// <summary>
    /// The plain backward gives the recorded backward's bits (or agrees within the entry's
    /// <see cref="OpInfo.PlainBackwardRelativeError"/>). Each operand reaches the op through −(−x) and the output leaves through Σ w ⊙ tanh(·): chains of two or more
    /// pointwise ops on long gradients on both sides (the op joins them when it is pointwise itself), which the plain
    /// backward runs block by block and the recorded one op by op.
    /// </summary>
    private static void FusedBackwardEqualsRecorded(OpInfo entry) =>
        Properties.ForAll(entry.LargeCalls, c =>
        {
            var (call, operands) = c;
            Assert.True(operands[0].Length >= FusedLength, $"{entry.Name}: {call.Text}: the large shapes must have at least {FusedLength} elements.");
            var fused = Gradients(call, operands, createGraph: false);
            var recorded = Gradients(call, operands, createGraph: true);
            for (int i = 0; i < operands.Length; i++)
            {
                if (entry.PlainBackwardRelativeError is { } relative)
                {
                    var tolerance = Tolerance.RelativeToLargest(relative, recorded[i].Data);
                    int worst = Enumerable.Range(0, fused[i].Length).MaxBy(k => tolerance.Excess(fused[i].Data[k], recorded[i].Data[k]));
                    Assert.True(
                        tolerance.Excess(fused[i].Data[worst], recorded[i].Data[worst]) <= 1,
                        $"{entry.Name}: {call.Text}: the plain backward's gradient of operand {i} is {fused[i].Data[worst]:R} at flat index {worst}, the recorded one's {recorded[i].Data[worst]:R}.");
                }
                else if (!recorded[i].Data.SequenceEqual(fused[i].Data))
                {
                    int at = Enumerable.Range(0, fused[i].Length).First(k => !recorded[i].Data[k].Equals(fused[i].Data[k]));
                    throw new XunitException(
                        $"{entry.Name}: {call.Text}: the plain backward's gradient of operand {i} differs from the recorded one at flat index {at}: {fused[i].Data[at]:R} vs {recorded[i].Data[at]:R}.");
                }
            }
        }, FusedCases);

    private static Tensor<double>[] Gradients(OpInvocation call, Tensor<double>[] operands, bool createGraph)
    {
        var leaves = operands.Select(x => x.Clone().RequireGrad()).ToArray();
        var output = call.Apply([.. leaves.Select(x => -(-x))]);
        var weights = new RandomSource(1).Uniform<double>(output.Shape.ToArray(), 0.5, 1.5);
        return AutoDiff.Gradients((output.Tanh() * weights).Sum(), leaves, createGraph: createGraph);
    }
}
