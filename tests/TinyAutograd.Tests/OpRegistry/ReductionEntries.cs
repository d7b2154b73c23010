using FsCheck;
using FsCheck.Fluent;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.OpRegistry;

/// <summary>Registry entries of the reductions (all elements or chosen axes, keepDims) and of softmax along an axis.</summary>
internal static class ReductionEntries
{
    /// <summary>
    /// At most 256 terms in [−3, 3] summed in another order than the naive loop's: (n − 1)·u·Σ|x| ≤ 255 · 1.1e-16 · 768
    /// ≈ 2.2e-11.
    /// </summary>
    private static readonly Tolerance Summation = new(2.5e-11, 0);

    /// <summary>
    /// At most 256 factors multiplied in a tree by the library and left to right by the naive loop: each order is within
    /// (n − 1)·u ≈ 2.8e-14 of the exact product, relatively, so the two within 6e-14.
    /// </summary>
    private static readonly Tolerance ProductRounding = new(0, 6e-14);

    /// <summary>
    /// ±[0.5, 1.5]: products of up to 256 factors stay within e^±15 or so; reached from the reals by 1.5·tanh(x/2), which
    /// passes through 0 (a product is smooth everywhere).
    /// </summary>
    private static readonly Domain ProductDomain = Domain.Elementwise("±[0.5, 1.5]", Values.Weight, x => (x * 0.5).Tanh() * 1.5, "1.5·tanh({x}/2)");

    public static IEnumerable<OpInfo> All()
    {
        yield return Reduction("Sum", Summation, Domain.General,
            (x, f) => f.Apply(x, t => t.Sum(), (t, axes, keep) => t.Sum(axes, keep), (t, axis, keep) => t.Sum(axis, keep)),
            slice => slice.Sum());
        // A mean divides the sum's rounding by n: (n − 1)·u·max|x| ≤ 255 · 1.1e-16 · 3 ≈ 8.4e-14.
        yield return Reduction("Mean", new Tolerance(1e-13, 0), Domain.General,
            (x, f) => f.Apply(x, t => t.Mean(), (t, axes, keep) => t.Mean(axes, keep), (t, axis, keep) => t.Mean(axis, keep)),
            slice => slice.Sum() / slice.Count);
        yield return Reduction("Max", new Tolerance(0, 0), Domain.Distinct,
            (x, f) => f.Apply(x, t => t.Max(), (t, axes, keep) => t.Max(axes, keep), (t, axis, keep) => t.Max(axis, keep)),
            slice => slice.Max(),
            kinks: (x, f) => x - x.Max(f.Axes ?? [], keepDims: true)) with
        { Avoid = "ties for a slice's maximum" };
        yield return Reduction("Min", new Tolerance(0, 0), Domain.Distinct,
            (x, f) => f.Apply(x, t => t.Min(), (t, axes, keep) => t.Min(axes, keep), (t, axis, keep) => t.Min(axis, keep)),
            slice => slice.Min(),
            kinks: (x, f) => x - x.Min(f.Axes ?? [], keepDims: true)) with
        { Avoid = "ties for a slice's minimum" };
        yield return Reduction("Prod", ProductRounding, ProductDomain,
            (x, f) => f.Apply(x, t => t.Prod(), (t, axes, keep) => t.Prod(axes, keep), (t, axis, keep) => t.Prod(axis, keep)),
            slice => slice.Aggregate(1.0, (product, v) => product * v));
        yield return CumSum();
        yield return Dispersion("Var", root: false);
        yield return Dispersion("Std", root: true);
        // For inputs in [−3, 3] the direct formula log Σ exp(x) is accurate to a few ulps.
        yield return Reduction("LogSumExp", new Tolerance(1e-13, 1e-13), Domain.General,
            (x, f) => f.Apply(x, t => t.LogSumExp(), (t, axes, keep) => t.LogSumExp(axes, keep), (t, axis, keep) => t.LogSumExp(axis, keep)),
            slice => Math.Log(slice.Sum(Math.Exp)));
        yield return AlongAxis("Softmax", (x, axis) => x.Softmax(axis), (slice, i) => Math.Exp(slice[i]) / slice.Sum(Math.Exp));
        yield return AlongAxis("LogSoftmax", (x, axis) => x.LogSoftmax(axis), (slice, i) => slice[i] - Math.Log(slice.Sum(Math.Exp)));
    }

    /// <summary>A reduction called in every overload (<see cref="ReductionForm"/>), against a naive combination of each slice.</summary>
    private static OpInfo Reduction(string name, Tolerance tolerance, Domain domain,
        Func<Tensor<double>, ReductionForm, Tensor<double>> apply, Func<IReadOnlyList<double>, double> combine,
        Func<Tensor<double>, ReductionForm, Tensor<double>>? kinks = null) =>
        new(name, [$"Tensor<T>.{name}()", $"Tensor<T>.{name}(int[], bool)", $"Tensor<T>.{name}(int, bool)"], [domain], shape =>
            from form in ReductionForm.For(shape.Rank)
            select new OpInvocation(form.Describe(name) + $" on {shape}", [shape], xs => apply(xs[0], form),
                xs => Testing.Reference.Reduce(xs[0], form.Axes, form.KeepDims, combine))
            {
                Kinks = kinks is null ? null : xs => kinks(xs[0], form),
            })
        { ForwardTolerance = tolerance };

    /// <summary>
    /// Var or Std (<paramref name="root"/>) in every overload, with correction 0 or 1 (always 1 for the argument-free
    /// overload), of x joined with eˣ along a reduced axis: every slice then holds at least two elements that differ
    /// (eˣ − x ≥ 1), so n − c ≥ 1 and the spread is never 0, where Std has no derivative. Var of a single element is
    /// tested on its own (NaN with correction 1).
    /// </summary>
    private static OpInfo Dispersion(string name, bool root) =>
        new(name, [$"Tensor<T>.{name}()", $"Tensor<T>.{name}(int[], bool, int)", $"Tensor<T>.{name}(int, bool, int)"], [Domain.General], shape =>
            from form in ReductionForm.For(shape.Rank)
            from wanted in Gen.Elements(0, 1)
            let correction = form.Axes is null ? 1 : wanted
            let joined = form.Axes is { Length: > 0 } axes ? (axes[0] + shape.Rank) % shape.Rank : 0
            select new OpInvocation($"{form.Describe(name)} with correction {correction} of [x, exp x] joined along axis {joined}, x {shape}", [shape],
                xs => form.Apply(Tensor.Concatenate(joined, [xs[0], xs[0].Exp()]),
                    t => root ? t.Std() : t.Var(),
                    (t, axes, keep) => root ? t.Std(axes, keep, correction) : t.Var(axes, keep, correction),
                    (t, axis, keep) => root ? t.Std(axis, keep, correction) : t.Var(axis, keep, correction)),
                xs => Testing.Reference.Reduce(JoinedWithExp(xs[0], joined), form.Axes, form.KeepDims, slice =>
                {
                    double mean = slice.Sum() / slice.Count;
                    double variance = slice.Sum(v => (v - mean) * (v - mean)) / (slice.Count - correction);
                    return root ? Math.Sqrt(variance) : variance;
                })))
        {
            MinRank = 1,
            // At most 512 squares of deviations below 6, summed in another order: (n − 1)·u·Σd² ≲ 511 · 1.1e-16 · 18432 ≈ 1e-9
            // in the sum, divided by n − c; relative to the result, (n − 1)·u ≈ 5.7e-14 plus the deviations' rounding.
            ForwardTolerance = new Tolerance(1e-11, 1e-12),
        };

    /// <summary>x followed by eˣ along <paramref name="axis"/> (twice its size there).</summary>
    private static Tensor<double> JoinedWithExp(Tensor<double> x, int axis)
    {
        int size = x.Shape[axis];
        return NdIndex.Build(x.Shape.WithDimension(axis, 2 * size), index =>
        {
            var source = (int[])index.Clone();
            if (source[axis] < size)
            {
                return NdIndex.At(x, source);
            }
            source[axis] -= size;
            return Math.Exp(NdIndex.At(x, source));
        });
    }

    /// <summary>An op that normalizes each slice along one axis: element i of a slice is <paramref name="reference"/>(slice, i).</summary>
    private static OpInfo AlongAxis(string name, Func<Tensor<double>, int, Tensor<double>> apply, Func<double[], int, double> reference) =>
        new(name, [$"Tensor<T>.{name}(int)"], [Domain.General], shape =>
            from axis in Shapes.Axis(shape.Rank)
            select new OpInvocation($"{name}(axis {axis}) on {shape}", [shape], xs => apply(xs[0], axis), xs => Slices(xs[0], axis, reference)))
        {
            MinRank = 1,
            // exp and log of values in [−3, 3], normalized by a sum of at most 4 terms: a few ulps.
            ForwardTolerance = new Tolerance(1e-14, 1e-13),
        };

    /// <summary>Element by element, <paramref name="reference"/> of the slice along <paramref name="axis"/> through it.</summary>
    private static Tensor<double> Slices(Tensor<double> x, int axis, Func<double[], int, double> reference)
    {
        int a = axis < 0 ? axis + x.Rank : axis;
        return NdIndex.Build(x.Shape, index =>
        {
            var slice = new double[x.Shape[a]];
            var at = (int[])index.Clone();
            for (int i = 0; i < slice.Length; i++)
            {
                at[a] = i;
                slice[i] = NdIndex.At(x, at);
            }
            return reference(slice, index[a]);
        });
    }

    /// <summary>CumSum(axis): the running sums along the axis, added left to right as the naive loop adds them.</summary>
    private static OpInfo CumSum() =>
        new("CumSum", ["Tensor<T>.CumSum(int)"], [Domain.General], shape =>
            from axis in Shapes.Axis(shape.Rank)
            select new OpInvocation($"CumSum(axis {axis}) on {shape}", [shape], xs => xs[0].CumSum(axis),
                xs => Slices(xs[0], axis, (slice, i) => slice.Take(i + 1).Aggregate(0.0, (sum, v) => sum + v))))
        { MinRank = 1 };
}
