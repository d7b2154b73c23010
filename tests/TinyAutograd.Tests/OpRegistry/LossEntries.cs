using FsCheck;
using FsCheck.Fluent;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.OpRegistry;

/// <summary>Registry entries of the losses, each with both reductions.</summary>
internal static class LossEntries
{
    /// <summary>At most 256 terms of size ≤ 36 summed in another order: (n − 1)·u·Σ|term| ≤ 255 · 1.1e-16 · 9216 ≈ 2.6e-10.</summary>
    private static readonly Tolerance SquaredErrorSum = new(3e-10, 1e-15);

    /// <summary>log Σ exp of at most 4 values in [−3, 3] per example, summed over at most 4 examples: a few ulps of |L| ≤ 40.</summary>
    private static readonly Tolerance CrossEntropySum = new(1e-13, 1e-13);

    private static readonly Gen<Reduction> Reductions = Gen.Elements(Reduction.Mean, Reduction.Sum);

    private static readonly Gen<Shape> LargeMatrices = Gen.Constant(new Shape(64, 65));

    public static IEnumerable<OpInfo> All()
    {
        yield return new OpInfo("SquaredError", ["Loss.SquaredError(Tensor<T>, Tensor<T>, Reduction)"], [Domain.General, Domain.General], shape =>
            from reduction in Reductions
            select new OpInvocation($"SquaredError({reduction}) on {shape}", [shape, shape], xs => Loss.SquaredError(xs[0], xs[1], reduction),
                xs => Reduce(xs[0].ToArray().Zip(xs[1].ToArray(), (p, t) => (p - t) * (p - t)), reduction)))
        { ForwardTolerance = SquaredErrorSum };

        // Label smoothing ε: 0 (none), a typical value, and 1 (the uniform target, which ignores the labels).
        yield return new OpInfo("CrossEntropyWithLabels", ["Loss.CrossEntropy(Tensor<T>, ReadOnlySpan<int>, Reduction, double)"], [Domain.General], shape =>
            from labels in Gen.ArrayOf(Gen.Choose(0, shape[1] - 1), shape[0])
            from reduction in Reductions
            from smoothing in Gen.Elements(0.0, 0.1, 0.37, 1.0)
            select new OpInvocation($"CrossEntropy(labels [{string.Join(", ", labels)}], {reduction}, label smoothing {smoothing}) on {shape}", [shape],
                xs => Loss.CrossEntropy(xs[0], labels, reduction, smoothing),
                xs => Reduce(Rows(xs[0]).Select((row, i) => SmoothedCrossEntropy(row, labels[i], smoothing)), reduction)))
        { MinRank = 2, MaxRank = 2, LargeShapes = LargeMatrices, ForwardTolerance = CrossEntropySum };

        yield return new OpInfo("CrossEntropyWithProbabilities", ["Loss.CrossEntropy(Tensor<T>, Tensor<T>, Reduction)"], [Domain.General, Domain.Distributions], shape =>
            from reduction in Reductions
            select new OpInvocation($"CrossEntropy(probabilities, {reduction}) on {shape}", [shape, shape],
                xs => Loss.CrossEntropy(xs[0], xs[1], reduction),
                xs => Reduce(Rows(xs[0]).Zip(Rows(xs[1]), (z, t) =>
                {
                    double logNormalizer = Math.Log(z.Sum(Math.Exp));
                    return -z.Select((zc, c) => t[c] * (zc - logNormalizer)).Sum();
                }), reduction)))
        { MinRank = 2, MaxRank = 2, LargeShapes = LargeMatrices, ForwardTolerance = CrossEntropySum };

        yield return new OpInfo("BinaryCrossEntropyWithLogits", ["Loss.BinaryCrossEntropyWithLogits(Tensor<T>, Tensor<T>, Reduction)"], [Domain.General, Domain.Probability], shape =>
            from reduction in Reductions
            select new OpInvocation($"BinaryCrossEntropyWithLogits({reduction}) on {shape}", [shape, shape],
                xs => Loss.BinaryCrossEntropyWithLogits(xs[0], xs[1], reduction),
                xs => Reduce(xs[0].ToArray().Zip(xs[1].ToArray(), (z, t) => -t * Math.Log(Sigmoid(z)) - (1 - t) * Math.Log(1 - Sigmoid(z))), reduction)))
        {
            // The definition −t·log σ(z) − (1 − t)·log(1 − σ(z)) loses a few ulps of σ near 1 for z ≤ 3: 1e-13 relative covers it.
            ForwardTolerance = new Tolerance(1e-12, 1e-13),
        };
    }

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    /// <summary>−Σ_c q_c·log softmax(z)_c with q = (1 − ε)·onehot(label) + ε/C, term by term from the definition.</summary>
    private static double SmoothedCrossEntropy(double[] logits, int label, double smoothing)
    {
        double logNormalizer = Math.Log(logits.Sum(Math.Exp));
        double loss = 0;
        for (int c = 0; c < logits.Length; c++)
        {
            double target = (c == label ? 1 - smoothing : 0) + smoothing / logits.Length;
            loss -= target * (logits[c] - logNormalizer);
        }
        return loss;
    }

    /// <summary>The rows of a matrix as arrays.</summary>
    private static double[][] Rows(Tensor<double> matrix)
    {
        int columns = matrix.Shape[1];
        var values = matrix.ToArray();
        return Enumerable.Range(0, matrix.Shape[0]).Select(row => values[(row * columns)..((row + 1) * columns)]).ToArray();
    }

    /// <summary>The sum of the terms, or their mean, as a 0-d tensor.</summary>
    private static Tensor<double> Reduce(IEnumerable<double> terms, Reduction reduction)
    {
        var all = terms.ToArray();
        double sum = 0;
        foreach (double term in all)
        {
            sum += term;
        }
        return Tensor.Scalar(reduction == Reduction.Sum ? sum : sum / all.Length);
    }
}
