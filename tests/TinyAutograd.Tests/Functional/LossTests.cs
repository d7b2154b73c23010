using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Functional;

/// <summary>
/// The four losses, each with both reductions: values against the textbook formulas, gradients (in every
/// differentiable operand) against finite differences, and second-order properties.
/// </summary>
[Properties(Arbitrary = new[] { typeof(Generators) }, MaxTest = 200)]
public sealed class LossTests
{
    /// <summary>Where the properties below draw their arguments from.</summary>
    public static class Generators
    {
        public static Arbitrary<LossCase> Losses() => Arb.From(AllLosses);

        public static Arbitrary<OpCase> Cases() => Arb.From(LossTests.Cases);

        public static Arbitrary<(OpCase Case, Probe Probe)> ProbedCases() => Arb.From(Properties.WithProbes(LossTests.Cases));
    }

    /// <summary>A loss call on concrete operands with the textbook value computed in the test.</summary>
    public sealed record LossCase(string Name, Tensor<double>[] Operands, Func<Tensor<double>[], Tensor<double>> Loss, double Expected)
    {
        public override string ToString() => Name;
    }

    private static readonly Gen<Reduction> Reductions = Gen.Elements(Reduction.Mean, Reduction.Sum);

    private static double Reduce(IEnumerable<double> terms, Reduction reduction) =>
        reduction == Reduction.Sum ? terms.Sum() : terms.Average();

    private static readonly Gen<LossCase> SquaredError =
        from shape in Shapes.Any
        from prediction in TensorGen.Of(shape, Values.General)
        from target in TensorGen.Of(shape, Values.General)
        from reduction in Reductions
        select new LossCase($"SquaredError({reduction})", [prediction, target], xs => Loss.SquaredError(xs[0], xs[1], reduction),
            Reduce(prediction.ToArray().Zip(target.ToArray(), (p, t) => (p - t) * (p - t)), reduction));

    private static readonly Gen<(int N, int C)> Batches = Gen.Zip(Gen.Choose(1, 4), Gen.Choose(1, 4));

    private static readonly Gen<LossCase> CrossEntropyWithLabels =
        from batch in Batches
        from logits in TensorGen.Of(new Shape(batch.N, batch.C), Values.General)
        from labels in Gen.ArrayOf(Gen.Choose(0, batch.C - 1), batch.N)
        from reduction in Reductions
        select new LossCase($"CrossEntropy(labels [{string.Join(", ", labels)}], {reduction})", [logits], xs => Loss.CrossEntropy(xs[0], labels, reduction),
            Reduce(Enumerable.Range(0, batch.N).Select(i => LogSumExp(Row(logits, i)) - logits[i, labels[i]]), reduction));

    private static readonly Gen<LossCase> CrossEntropyWithProbabilities =
        from batch in Batches
        from logits in TensorGen.Of(new Shape(batch.N, batch.C), Values.General)
        from weights in Gen.ArrayOf(Values.Uniform(0.1, 1), batch.N * batch.C)
        from reduction in Reductions
        let probabilities = Normalized(weights, batch.N, batch.C)
        select new LossCase($"CrossEntropy(probabilities, {reduction})", [logits, probabilities], xs => Loss.CrossEntropy(xs[0], xs[1], reduction),
            Reduce(Enumerable.Range(0, batch.N).Select(i =>
                -Enumerable.Range(0, batch.C).Sum(c => probabilities[i, c] * (logits[i, c] - LogSumExp(Row(logits, i))))), reduction));

    private static readonly Gen<LossCase> BinaryCrossEntropy =
        from shape in Shapes.Any
        from logits in TensorGen.Of(shape, Values.General)
        from targets in TensorGen.Of(shape, Values.Probability)
        from reduction in Reductions
        select new LossCase($"BinaryCrossEntropyWithLogits({reduction})", [logits, targets], xs => Loss.BinaryCrossEntropyWithLogits(xs[0], xs[1], reduction),
            Reduce(logits.ToArray().Zip(targets.ToArray(), (z, t) =>
            {
                double p = 1 / (1 + Math.Exp(-z));
                return -t * Math.Log(p) - (1 - t) * Math.Log(1 - p);
            }), reduction));

    private static readonly Gen<LossCase> AllLosses = Gen.OneOf(SquaredError, CrossEntropyWithLabels, CrossEntropyWithProbabilities, BinaryCrossEntropy);

    private static readonly Gen<OpCase> Cases =
        from loss in AllLosses
        from opCase in OpCase.Of(loss.Name, loss.Loss, loss.Operands)
        select opCase;

    [Property]
    public void ValueMatchesTheTextbookFormula(LossCase loss)
    {
        var value = loss.Loss(loss.Operands);
        Assert.Equal(Shape.Scalar, value.Shape);
        // Sums of at most 256 terms of size ≤ 40 in another order, and log/exp evaluated differently: 1e-12 relative covers both.
        ElementwiseComparison.Require(loss.Name, value.ToScalar(), loss.Expected, new Tolerance(Absolute: 1e-12, Relative: 1e-12), "computed", "formula");
    }

    [Property]
    public void GradientMatchesFiniteDifferences(OpCase opCase) =>
        Properties.GradientMatchesFiniteDifferences(opCase, new Tolerance(Absolute: 1e-8, Relative: 1e-6));

    [Property]
    public void SecondOrderPropertiesHold((OpCase Case, Probe Probe) probed) =>
        SecondOrderChecker.Check(probed.Case, probed.Probe, SecondOrderTolerances.Standard);

    [Fact]
    public void CrossEntropyGradientIsSoftmaxMinusOneHot()
    {
        var logits = Tensor.FromArray([1.0, 2.0, 3.0], 1, 3).RequireGrad();
        Loss.CrossEntropy(logits, [2], Reduction.Sum).Backward();
        double total = Math.Exp(1) + Math.Exp(2) + Math.Exp(3);
        ElementwiseComparison.Require("∂CE/∂z", logits.Grad!.Data, [Math.Exp(1) / total, Math.Exp(2) / total, Math.Exp(3) / total - 1], new Tolerance(1e-15, 1e-15));
    }

    private static double[] Row(Tensor<double> matrix, int i) => Enumerable.Range(0, matrix.Shape[1]).Select(c => matrix[i, c]).ToArray();

    private static double LogSumExp(double[] values) => Math.Log(values.Sum(Math.Exp));

    private static Tensor<double> Normalized(double[] weights, int rows, int columns)
    {
        var probabilities = new double[weights.Length];
        for (int i = 0; i < rows; i++)
        {
            double total = weights.AsSpan(i * columns, columns).ToArray().Sum();
            for (int c = 0; c < columns; c++)
            {
                probabilities[i * columns + c] = weights[i * columns + c] / total;
            }
        }
        return Tensor.FromArray(probabilities, rows, columns);
    }
}
