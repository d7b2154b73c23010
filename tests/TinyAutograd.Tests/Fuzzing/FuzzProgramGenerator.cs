using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;

namespace TinyAutograd.Tests.Fuzzing;

/// <summary>
/// FsCheck generators of random fuzz programs: random shapes (rank 0 to 3, dimensions 1 to 4), inputs created where an
/// operation needs a partner, operands drawn from every earlier value (fan-out, reuse, self-products), and every op
/// of the library with random axes, broadcasting, transposes, slices, indices and reductions.
/// </summary>
internal static class FuzzProgramGenerator
{
    /// <summary>The largest element count of an input leaf.</summary>
    private const int InputCap = 12;

    /// <summary>The largest element count of any value.</summary>
    private const int ValueCap = 36;

    private static readonly FuzzOperation[] Unary =
    [
        FuzzOperation.Negate, FuzzOperation.Exp, FuzzOperation.Log, FuzzOperation.Sqrt, FuzzOperation.Reciprocal, FuzzOperation.ScalarOverTensor,
        FuzzOperation.Abs, FuzzOperation.Square, FuzzOperation.Sigmoid, FuzzOperation.Tanh, FuzzOperation.Relu, FuzzOperation.Softplus,
    ];

    private static readonly FuzzOperation[] Binary =
    [
        FuzzOperation.Add, FuzzOperation.Subtract, FuzzOperation.Multiply, FuzzOperation.Divide, FuzzOperation.Maximum, FuzzOperation.Minimum, FuzzOperation.Pow,
    ];

    private static readonly FuzzOperation[] Reductions = [FuzzOperation.Sum, FuzzOperation.Mean, FuzzOperation.Max, FuzzOperation.LogSumExp];

    /// <summary>Programs of 1 to <paramref name="maxOperations"/> operations.</summary>
    public static Gen<FuzzProgram> Programs(int maxOperations) =>
        from shape in InputShape
        from values in Values(shape.Length)
        from operations in Gen.Choose(1, maxOperations)
        from built in Grow(Builder.Empty.WithInput(shape, values).Builder, operations)
        from program in Finish(built)
        select program;

    /// <summary>Numbers in [−1.5, 1.5] on a grid of 1.4e−9 (built from integers, so never NaN or infinite).</summary>
    private static Gen<double> Value => Gen.Choose(-(1 << 30), 1 << 30).Select(n => n * (1.5 / (1 << 30)));

    private static Gen<double[]> Values(int count) => Gen.ArrayOf(Value, count);

    private static Gen<Shape> InputShape =>
        from rank in Gen.Frequency((1, Gen.Constant(0)), (3, Gen.Constant(1)), (4, Gen.Constant(2)), (2, Gen.Constant(3)))
        from dims in Gen.ArrayOf(Gen.Choose(1, 4), rank)
        select Fit(dims, InputCap);

    private static Gen<Builder> Grow(Builder builder, int operations) =>
        operations == 0 ? Gen.Constant(builder) : Step(builder).SelectMany(next => Grow(next, operations - 1));

    private static Gen<Builder> Step(Builder b) =>
        from operand in Gen.Frequency((3, Gen.Constant(b.Steps.Length - 1)), (2, Gen.Choose(0, b.Steps.Length - 1)))
        from next in Gen.Frequency(Choices(b, operand))
        select next;

    /// <summary>The operations applicable to value <paramref name="a"/>, weighted.</summary>
    private static (int, Gen<Builder>)[] Choices(Builder b, int a)
    {
        var shape = b.ShapeOf(a);
        var choices = new List<(int, Gen<Builder>)>
        {
            (6, Defer(() => Gen.Elements(Unary).Select(op => b.With(op, [a], [], shape)))),
            (1, Defer(() => PowScalar(b, a))),
            (2, Defer(() => ScalarArithmetic(b, a))),
            (7, Defer(() => BinaryOperation(b, a))),
            (1, Defer(() => Where(b, a))),
            (4, Defer(() => Reduction(b, a))),
            (1, Defer(() => BroadcastTo(b, a))),
            (1, Defer(() => SumTo(b, a))),
            (1, Defer(() => Reshape(b, a))),
            (1, Defer(() => SquaredErrorOrBinaryCrossEntropy(b, a))),
        };
        if (shape.Rank >= 1)
        {
            choices.Add((2, Defer(() => Softmax(b, a))));
            choices.Add((3, Defer(() => MatMul(b, a))));
            choices.Add((1, Defer(() => Slice(b, a))));
            choices.Add((1, Defer(() => IndexSelect(b, a))));
            choices.Add((1, Defer(() => Concatenate(b, a))));
        }
        if (shape.Rank <= 2)
        {
            choices.Add((1, Defer(() => Stack(b, a))));
        }
        if (shape.Rank >= 2)
        {
            choices.Add((3, Defer(() => MatMulTransposed(b, a))));
            choices.Add((1, Defer(() => Permute(b, a))));
        }
        if (shape.Rank == 2)
        {
            choices.Add((1, Defer(() => CrossEntropy(b, a))));
        }
        return [.. choices];
    }

    /// <summary>Builds <paramref name="make"/>'s generator only when it is drawn (most choices of a step are not).</summary>
    private static Gen<T> Defer<T>(Func<Gen<T>> make) => Gen.Constant(0).SelectMany(_ => make());

    private static Gen<Builder> PowScalar(Builder b, int a) =>
        from pair in Gen.Elements((0, 0.0), (0, 1.0), (0, 2.0), (0, 3.0), (1, -1.5), (1, -0.5), (1, 0.5), (1, 1.5), (1, 2.5))
        select b.With(FuzzOperation.PowScalar, [a], [pair.Item1], b.ShapeOf(a), pair.Item2);

    private static Gen<Builder> ScalarArithmetic(Builder b, int a) =>
        from kind in Gen.Choose(0, 3)
        from constant in Gen.Elements(-2.5, -1.0, 0.5, 1.5, 3.0)
        select b.With(FuzzOperation.ScalarArithmetic, [a], [kind], b.ShapeOf(a), constant);

    private static Gen<Builder> BinaryOperation(Builder b, int a) =>
        from partner in Partner(b, a, shape => BroadcastFits(b.ShapeOf(a), shape), BroadcastPartner(b.ShapeOf(a)))
        from op in Gen.Elements(Binary)
        from swap in Gen.Elements(false, true)
        let operands = swap ? new[] { partner.Value, a } : [a, partner.Value]
        select partner.Builder.With(op, operands, [], Shape.Broadcast(b.ShapeOf(a), partner.Builder.ShapeOf(partner.Value), "fuzz"));

    private static Gen<Builder> Where(Builder b, int a) =>
        from partner in Partner(b, a, shape => BroadcastFits(b.ShapeOf(a), shape), BroadcastPartner(b.ShapeOf(a)))
        let result = Shape.Broadcast(b.ShapeOf(a), partner.Builder.ShapeOf(partner.Value), "fuzz")
        from maskShape in Reduced(result)
        from mask in Gen.ArrayOf(Gen.Choose(0, 1).Select(bit => (double)bit), maskShape.Length)
        select partner.Builder.With(new FuzzStep(FuzzOperation.Where, [a, partner.Value], [], 0, (maskShape, mask), result));

    private static Gen<Builder> Reduction(Builder b, int a)
    {
        var shape = b.ShapeOf(a);
        return from op in Gen.Elements(Reductions)
               from axes in Gen.SubListOf(Enumerable.Range(0, shape.Rank))
               from negative in Gen.ArrayOf(Gen.Elements(false, true), axes.Count)
               from keepDims in Gen.Choose(0, 1)
               let written = axes.Select((axis, i) => negative[i] ? axis - shape.Rank : axis)
               select b.With(op, [a], [keepDims, .. written], Reduced(shape, axes, keepDims == 1));
    }

    private static Gen<Builder> Softmax(Builder b, int a)
    {
        int rank = b.ShapeOf(a).Rank;
        return from op in Gen.Elements(FuzzOperation.Softmax, FuzzOperation.LogSoftmax)
               from axis in Gen.Choose(-rank, rank - 1)
               select b.With(op, [a], [axis], b.ShapeOf(a));
    }

    private static Gen<Builder> MatMul(Builder b, int a)
    {
        var shape = b.ShapeOf(a);
        int k = shape[^1];
        var batch = shape.Rank >= 2 ? shape.Dimensions[..^2].ToArray() : [];
        var fresh = from form in Gen.Choose(0, 2)
                    from n in Gen.Choose(1, 4)
                    from reducedBatch in Reduced(new Shape(batch))
                    from extra in Gen.Choose(1, 3)
                    let candidate = form switch
                    {
                        0 => new Shape(k),
                        1 => new Shape(k, n),
                        _ => new Shape([.. (shape.Rank == 1 ? [extra] : reducedBatch.ToArray()), k, n]),
                    }
                    select MatMulFits(shape, candidate) ? candidate : new Shape(k);
        return from partner in Partner(b, a, other => MatMulFits(shape, other), fresh)
               select partner.Builder.With(FuzzOperation.MatMul, [a, partner.Value], [], MatMulResult(shape, partner.Builder.ShapeOf(partner.Value))!.Value);
    }

    private static Gen<Builder> MatMulTransposed(Builder b, int a)
    {
        var shape = b.ShapeOf(a);
        return from flags in Gen.Two(Gen.Elements(false, true))
               let left = flags.Item1
               let right = flags.Item2
               let k = left ? shape[^2] : shape[^1]
               from n in Gen.Choose(1, 4)
               from batch in Reduced(new Shape(shape.Dimensions[..^2]))
               let wide = new Shape([.. batch.ToArray(), .. right ? new[] { n, k } : [k, n]])
               let narrow = new Shape([.. batch.ToArray(), .. right ? new[] { 1, k } : [k, 1]])
               from partner in Partner(b, a, other => TransposedFits(shape, other, left, right), Gen.Constant(TransposedFits(shape, wide, left, right) ? wide : narrow))
               select partner.Builder.With(FuzzOperation.MatMulTransposed, [a, partner.Value], [left ? 1 : 0, right ? 1 : 0],
                   TransposedResult(shape, partner.Builder.ShapeOf(partner.Value), left, right)!.Value);
    }

    private static bool MatMulFits(Shape a, Shape b) => MatMulResult(a, b) is { } result && result.Length <= ValueCap;

    private static bool TransposedFits(Shape a, Shape b, bool left, bool right) => TransposedResult(a, b, left, right) is { } result && result.Length <= ValueCap;

    private static Gen<Builder> Reshape(Builder b, int a)
    {
        var shape = b.ShapeOf(a);
        return from rank in Gen.Choose(0, 3)
               from dims in Factorization(shape.Length, shape.Length == 1 ? rank : Math.Max(rank, 1))
               from infer in Gen.Choose(-1, dims.Length - 1)
               let written = dims.Select((d, i) => i == infer ? -1 : d).ToArray()
               select b.With(FuzzOperation.Reshape, [a], written, new Shape(dims));
    }

    private static Gen<Builder> Permute(Builder b, int a)
    {
        var shape = b.ShapeOf(a);
        return from order in Gen.Shuffle(Enumerable.Range(0, shape.Rank))
               from useTranspose in Gen.Elements(false, true)
               from axes in Gen.Two(Gen.Choose(-shape.Rank, shape.Rank - 1))
               select useTranspose
                   ? b.With(FuzzOperation.Transpose, [a], [axes.Item1, axes.Item2], Swapped(shape, axes.Item1, axes.Item2))
                   : b.With(FuzzOperation.Permute, [a], order, new Shape([.. order.Select(axis => shape[axis])]));
    }

    private static Gen<Builder> BroadcastTo(Builder b, int a)
    {
        var shape = b.ShapeOf(a);
        return from grown in Gen.ArrayOf(Gen.Choose(1, 3), shape.Rank)
               from lead in Gen.Frequency((2, Gen.Constant(0)), (1, Gen.Choose(1, 3)))
               let dims = shape.Dimensions.ToArray().Select((d, i) => d == 1 ? grown[i] : d)
               let target = lead == 0 ? new Shape([.. dims]) : new Shape([lead, .. dims])
               select b.With(FuzzOperation.BroadcastTo, [a], [], target.Length <= ValueCap ? target : shape);
    }

    private static Gen<Builder> SumTo(Builder b, int a) =>
        from target in Reduced(b.ShapeOf(a))
        select b.With(FuzzOperation.SumTo, [a], [], target);

    private static Gen<Builder> Slice(Builder b, int a)
    {
        var shape = b.ShapeOf(a);
        return from axis in Gen.Choose(0, shape.Rank - 1)
               from start in Gen.Choose(0, shape[axis] - 1)
               from length in Gen.Choose(1, shape[axis] - start)
               from negative in Gen.Elements(false, true)
               select b.With(FuzzOperation.Slice, [a], [negative ? axis - shape.Rank : axis, start, length], shape.WithDimension(axis, length));
    }

    private static Gen<Builder> IndexSelect(Builder b, int a)
    {
        var shape = b.ShapeOf(a);
        return from axis in Gen.Choose(0, shape.Rank - 1)
               from count in Gen.Choose(1, 4)
               from indices in Gen.ArrayOf(Gen.Choose(-shape[axis], shape[axis] - 1), count)
               let result = shape.WithDimension(axis, count)
               select result.Length <= ValueCap ? b.With(FuzzOperation.IndexSelect, [a], [axis, .. indices], result) : b;
    }

    private static Gen<Builder> Concatenate(Builder b, int a)
    {
        var shape = b.ShapeOf(a);
        return from axis in Gen.Choose(0, shape.Rank - 1)
               from size in Gen.Choose(1, 3)
               from partner in Partner(b, a, other => other.Rank == shape.Rank && other.WithDimension(axis, 0) == shape.WithDimension(axis, 0),
                   Gen.Constant(shape.WithDimension(axis, size)))
               from thrice in Gen.Elements(false, true)
               let parts = thrice ? new[] { a, partner.Value, a } : [partner.Value, a]
               let total = parts.Sum(part => partner.Builder.ShapeOf(part)[axis])
               let result = shape.WithDimension(axis, total)
               select result.Length <= ValueCap ? partner.Builder.With(FuzzOperation.Concatenate, parts, [axis], result) : partner.Builder;
    }

    private static Gen<Builder> Stack(Builder b, int a)
    {
        var shape = b.ShapeOf(a);
        return from axis in Gen.Choose(0, shape.Rank)
               from partner in Partner(b, a, other => other == shape, Gen.Constant(shape))
               let result = new Shape([.. shape.Dimensions[..axis], 2, .. shape.Dimensions[axis..]])
               select result.Length <= ValueCap ? partner.Builder.With(FuzzOperation.Stack, [a, partner.Value], [axis], result) : partner.Builder;
    }

    private static Gen<Builder> SquaredErrorOrBinaryCrossEntropy(Builder b, int a) =>
        from op in Gen.Elements(FuzzOperation.SquaredError, FuzzOperation.BinaryCrossEntropy)
        from partner in Partner(b, a, other => other == b.ShapeOf(a), Gen.Constant(b.ShapeOf(a)))
        from reduction in Gen.Choose(0, 1)
        select partner.Builder.With(op, [a, partner.Value], [reduction], Shape.Scalar);

    private static Gen<Builder> CrossEntropy(Builder b, int a)
    {
        var shape = b.ShapeOf(a);
        var withLabels = from labels in Gen.ArrayOf(Gen.Choose(0, shape[1] - 1), shape[0])
                         from reduction in Gen.Choose(0, 1)
                         select b.With(FuzzOperation.CrossEntropyLabels, [a], [reduction, .. labels], Shape.Scalar);
        var withProbabilities = from partner in Partner(b, a, other => other == shape, Gen.Constant(shape))
                                from reduction in Gen.Choose(0, 1)
                                select partner.Builder.With(FuzzOperation.CrossEntropyProbabilities, [a, partner.Value], [reduction], Shape.Scalar);
        return Gen.OneOf(withLabels, withProbabilities);
    }

    /// <summary>
    /// A second operand: an earlier value whose shape <paramref name="accepts"/> (possibly <paramref name="a"/> itself),
    /// or a new input leaf with a shape from <paramref name="freshShape"/>.
    /// </summary>
    private static Gen<(Builder Builder, int Value)> Partner(Builder b, int a, Func<Shape, bool> accepts, Gen<Shape> freshShape)
    {
        var fresh = from shape in freshShape
                    from values in Values(shape.Length)
                    select b.WithInput(shape, values);
        var existing = Enumerable.Range(0, b.Steps.Length).Where(v => accepts(b.ShapeOf(v))).ToArray();
        return existing.Length == 0 ? fresh : Gen.Frequency((2, fresh), (2, Gen.Elements(existing).Select(v => (b, v))), (1, existing.Contains(a) ? Gen.Constant((b, a)) : fresh));
    }

    /// <summary>A shape that broadcasts with <paramref name="shape"/>: sizes kept or 1, size-1 axes grown, leading axes dropped or added.</summary>
    private static Gen<Shape> BroadcastPartner(Shape shape) =>
        from choices in Gen.ArrayOf(Gen.Choose(0, 2), shape.Rank)
        from grown in Gen.ArrayOf(Gen.Choose(1, 3), shape.Rank)
        from drop in Gen.Choose(0, shape.Rank)
        from lead in Gen.Frequency((3, Gen.Constant(0)), (1, Gen.Choose(1, 3)))
        let dims = shape.Dimensions.ToArray().Select((d, i) => d == 1 ? grown[i] : choices[i] == 1 ? 1 : d).Skip(drop).ToArray()
        let partner = lead == 0 ? new Shape(dims) : new Shape([lead, .. dims])
        select BroadcastFits(shape, partner) ? partner : new Shape(dims.Select(_ => 1).ToArray());

    /// <summary>A shape that <paramref name="shape"/> can be summed down to: leading axes dropped, other sizes kept or set to 1.</summary>
    private static Gen<Shape> Reduced(Shape shape) =>
        from drop in Gen.Choose(0, shape.Rank)
        from ones in Gen.ArrayOf(Gen.Elements(false, true), shape.Rank)
        select new Shape([.. shape.Dimensions.ToArray().Select((d, i) => ones[i] ? 1 : d).Skip(drop)]);

    /// <summary>The divisors-based factorizations of <paramref name="length"/> into <paramref name="rank"/> sizes.</summary>
    private static Gen<int[]> Factorization(int length, int rank)
    {
        if (rank == 0)
        {
            return Gen.Constant(Array.Empty<int>());
        }
        if (rank == 1)
        {
            return Gen.Constant(new[] { length });
        }
        var divisors = Enumerable.Range(1, length).Where(d => length % d == 0).ToArray();
        return from first in Gen.Elements(divisors)
               from rest in Factorization(length / first, rank - 1)
               select (int[])[first, .. rest];
    }

    private static Gen<FuzzProgram> Finish(Builder b)
    {
        var read = b.Steps.SelectMany(step => step.Operands).ToHashSet();
        var sinks = Enumerable.Range(0, b.Steps.Length).Where(v => !read.Contains(v)).ToArray();
        return from weights in Gen.CollectToArray(sinks.Select(v => Values(b.ShapeOf(v).Length)))
               from direction in Gen.CollectToArray(b.InputValues.Select(values => Values(values.Length)))
               select new FuzzProgram(b.Steps, b.InputValues, [.. sinks.Select((v, i) => (v, weights[i]))], direction);
    }

    private static bool BroadcastFits(Shape a, Shape b)
    {
        var x = a.Dimensions;
        var y = b.Dimensions;
        long length = 1;
        for (int i = 1; i <= Math.Max(x.Length, y.Length); i++)
        {
            int dx = i <= x.Length ? x[^i] : 1, dy = i <= y.Length ? y[^i] : 1;
            if (dx != dy && dx != 1 && dy != 1)
            {
                return false;
            }
            length *= Math.Max(dx, dy);
        }
        return length <= ValueCap;
    }

    /// <summary>The shape of a.MatMul(b) under NumPy's rules, or null when they do not multiply.</summary>
    private static Shape? MatMulResult(Shape a, Shape b)
    {
        if (a.Rank == 0 || b.Rank == 0)
        {
            return null;
        }
        var left = a.Rank == 1 ? new Shape(1, a[0]) : a;
        var right = b.Rank == 1 ? new Shape(b[0], 1) : b;
        if (TransposedResult(left, right, false, false) is not { } product)
        {
            return null;
        }
        var dims = product.ToArray().ToList();
        if (b.Rank == 1)
        {
            dims.RemoveAt(dims.Count - 1);
        }
        if (a.Rank == 1)
        {
            dims.RemoveAt(dims.Count - (b.Rank == 1 ? 1 : 2));
        }
        return new Shape([.. dims]);
    }

    /// <summary>The shape of op(a)·op(b) for operands of rank ≥ 2, or null when they do not multiply.</summary>
    private static Shape? TransposedResult(Shape a, Shape b, bool transposeLeft, bool transposeRight)
    {
        if (a.Rank < 2 || b.Rank < 2)
        {
            return null;
        }
        int m = transposeLeft ? a[^1] : a[^2], k = transposeLeft ? a[^2] : a[^1];
        int kRight = transposeRight ? b[^1] : b[^2], n = transposeRight ? b[^2] : b[^1];
        var batchA = new Shape(a.Dimensions[..^2]);
        var batchB = new Shape(b.Dimensions[..^2]);
        if (k != kRight || !BroadcastFits(batchA, batchB))
        {
            return null;
        }
        return new Shape([.. Shape.Broadcast(batchA, batchB, "fuzz").ToArray(), m, n]);
    }

    /// <summary>The shape after reducing <paramref name="axes"/> (none: all).</summary>
    private static Shape Reduced(Shape shape, List<int> axes, bool keepDims)
    {
        var dims = new List<int>();
        for (int axis = 0; axis < shape.Rank; axis++)
        {
            bool reduced = axes.Count == 0 || axes.Contains(axis);
            if (!reduced)
            {
                dims.Add(shape[axis]);
            }
            else if (keepDims)
            {
                dims.Add(1);
            }
        }
        return new Shape([.. dims]);
    }

    private static Shape Swapped(Shape shape, int axis0, int axis1)
    {
        var dims = shape.ToArray();
        int a = axis0 < 0 ? axis0 + shape.Rank : axis0, b = axis1 < 0 ? axis1 + shape.Rank : axis1;
        (dims[a], dims[b]) = (dims[b], dims[a]);
        return new Shape(dims);
    }

    /// <summary>Shrinks the largest dimensions until the element count is at most <paramref name="cap"/>.</summary>
    private static Shape Fit(int[] dims, int cap)
    {
        while (dims.Aggregate(1, (product, d) => product * d) > cap)
        {
            dims[Array.IndexOf(dims, dims.Max())]--;
        }
        return new Shape(dims);
    }

    /// <summary>A program under construction: its values so far and its inputs' values.</summary>
    private sealed record Builder(ImmutableArray<FuzzStep> Steps, ImmutableArray<double[]> InputValues)
    {
        public static Builder Empty { get; } = new([], []);

        public Shape ShapeOf(int value) => Steps[value].Result;

        public Builder With(FuzzStep step) => this with { Steps = Steps.Add(step) };

        public Builder With(FuzzOperation operation, int[] operands, int[] arguments, Shape result, double number = 0) =>
            With(new FuzzStep(operation, operands, arguments, number, null, result));

        public (Builder Builder, int Value) WithInput(Shape shape, double[] values) =>
            (new Builder(Steps.Add(new FuzzStep(FuzzOperation.Input, [], [InputValues.Length], 0, null, shape)), InputValues.Add(values)), Steps.Length);
    }
}
