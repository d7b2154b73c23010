using FsCheck;
using FsCheck.Fluent;
using TinyAutograd.Nn;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Nn;

/// <summary>
/// RNN, LSTM and GRU as functions of their input sequence, initial state and every parameter: gradients against central
/// finite differences, and the second-order and forward-mode properties (including H·v), in double on random small sizes.
/// </summary>
public sealed class RecurrentGradientTests
{
    private const int Cases = 6;
    private static readonly Tolerance GradientTolerance = new(1e-7, 1e-6);

    [Theory]
    [MemberData(nameof(SmoothKinds))]
    public void GradientsMatchFiniteDifferences(string kind) =>
        Properties.GradientMatchesFiniteDifferences(CasesOf(kind), GradientTolerance, Cases);

    /// <summary>
    /// A ReLU RNN on either side of its kink, where central differences are exact: positive inputs, state, weights and
    /// biases keep every pre-activation above zero (the identity branch); biases of −10 with weights below 0.1 in size
    /// keep every pre-activation below zero (the zero branch, whose gradient is 0 everywhere).
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ReluGradientsMatchFiniteDifferencesAwayFromTheKink(bool active)
    {
        var layer = RecurrentCase.Create<double>("RNN relu", 3, 2, 2, batchFirst: true, seed: 5);
        var random = new RandomSource(17);
        Tensor<double> Draw(Tensor<double> like, bool isBias) => active
            ? random.Uniform<double>(like.Shape.ToArray(), 0.1, 0.5)
            : isBias ? Tensor.Full(-10.0, like.Shape.ToArray()) : random.Uniform<double>(like.Shape.ToArray(), -0.1, 0.1);
        var parameters = layer.NamedParameters().Select(p => Draw(p.Value, p.Key.Contains("bias", StringComparison.Ordinal))).ToArray();
        var x = random.Uniform<double>([2, 3, 3], active ? 0.1 : -1, 1);
        var h0 = random.Uniform<double>([2, 2, 2], active ? 0.1 : -1, 1);
        var weights = random.Uniform<double>([20], -1, 1);
        GradientChecker.Check(layer.Description, xs => layer.WithParameters(xs[2..], () => (Joined(layer.Forward(xs[0], new(xs[1]))) * weights).Sum()), [x, h0, .. parameters], GradientTolerance);
    }

    /// <summary>
    /// A hidden size of 9 takes the layers' vector loops (whole registers of 4 or 8 doubles, then a tail), which the
    /// random sizes of <see cref="CasesOf"/> reach only sometimes: every input's and parameter's gradient against central
    /// differences, for each smooth kind with and without biases.
    /// </summary>
    [Theory]
    [MemberData(nameof(SmoothKindsWithBias))]
    public void GradientsMatchFiniteDifferencesAcrossWholeRegisters(string kind, bool bias)
    {
        var layer = RecurrentCase.Create<double>(kind, 3, 9, 2, batchFirst: true, seed: 13, bias);
        var random = new RandomSource(29);
        var x = random.Normal<double>([2, 3, 3]);
        var h0 = random.Normal<double>([2, 2, 9], 0, 0.5);
        Tensor<double>[] state = kind == "LSTM" ? [h0, random.Normal<double>([2, 2, 9], 0, 0.5)] : [h0];
        var weights = random.Normal<double>([(2 * 3 * 9) + (state.Length * 2 * 2 * 9)]);
        GradientChecker.Check(layer.Description, xs => layer.WithParameters(xs[(1 + state.Length)..], () =>
            (Joined(layer.Forward(xs[0], state.Length == 2 ? new(xs[1], xs[2]) : new(xs[1]))) * weights).Sum()), [x, .. state, .. layer.Parameters()], GradientTolerance);
    }

    public static TheoryData<string, bool> SmoothKindsWithBias
    {
        get
        {
            var data = new TheoryData<string, bool>();
            foreach (var kind in RecurrentCase.Kinds.Where(kind => kind != "RNN relu"))
            {
                data.Add(kind, true);
                data.Add(kind, false);
            }
            return data;
        }
    }

    /// <summary>
    /// The smooth layers. A ReLU RNN is left out: its random pre-activations land near zero, where central differences
    /// (and the differences of gradients that check H·v) step across a kink and disagree with the one-sided derivative
    /// by design; its values are checked against the plain-loop reference instead.
    /// </summary>
    public static TheoryData<string> SmoothKinds => [.. RecurrentCase.Kinds.Where(kind => kind != "RNN relu")];

    [Theory]
    [MemberData(nameof(SmoothKinds))]
    public void SecondOrderAndForwardModeHold(string kind) =>
        Properties.SecondOrderHolds(CasesOf(kind), SecondOrderTolerances.Standard, Cases);

    /// <summary>
    /// f(x, h₀[, c₀], parameters…) = every step's output and the final state, flattened and joined. A hidden size of 9
    /// runs the layers' vector loops (whole registers, then a tail) besides their element-by-element tails.
    /// </summary>
    private static Gen<OpCase> CasesOf(string kind) =>
        from inputSize in Gen.Choose(1, 3)
        from hidden in Gen.Elements(1, 2, 3, 9)
        from layers in Gen.Choose(1, 2)
        from steps in Gen.Choose(1, 3)
        from batch in Gen.Choose(1, 2)
        from batchFirst in Gen.Elements(false, true)
        from seed in Gen.Choose(0, 1000)
        let layer = RecurrentCase.Create<double>(kind, inputSize, hidden, layers, batchFirst, (ulong)seed)
        from x in TensorGen.Of(new Shape(batchFirst ? [batch, steps, inputSize] : [steps, batch, inputSize]), Values.General)
        from h0 in TensorGen.Of(new Shape(layers, batch, hidden), Values.Direction)
        from c0 in TensorGen.Of(new Shape(layers, batch, hidden), Values.Direction)
        from opCase in kind == "LSTM"
            ? OpCase.Of(layer.Description, xs => layer.WithParameters(xs[3..], () => Joined(layer.Forward(xs[0], new(xs[1], xs[2])))), [x, h0, c0, .. layer.Parameters()])
            : OpCase.Of(layer.Description, xs => layer.WithParameters(xs[2..], () => Joined(layer.Forward(xs[0], new(xs[1])))), [x, h0, .. layer.Parameters()])
        select opCase;

    private static Tensor<double> Joined(RecurrentResult<double> result) =>
        Tensor<double>.Concatenate(0, [Flat(result.Output), Flat(result.State.Hidden), .. result.State.Cell is { } cell ? [Flat(cell)] : Array.Empty<Tensor<double>>()]);

    private static Tensor<double> Flat(Tensor<double> x) => x.Reshape(x.Length);
}
