using FsCheck;
using FsCheck.Fluent;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.OpRegistry;

/// <summary>Registry entries of the ops that move, copy, broadcast or sum elements without arithmetic on them.</summary>
internal static class LayoutEntries
{
    public static IEnumerable<OpInfo> All()
    {
        yield return Reshape();
        yield return Permute();
        yield return Transpose();
        yield return BroadcastTo();
        yield return SumTo();
        yield return Slice();
        yield return IndexSelect();
        yield return Concatenate();
        yield return Stack();
        yield return Pad();
        yield return Gather();
        yield return ScatterAdd();
    }

    /// <summary>Reshape(dims) with one axis possibly written −1, or Reshape(Shape).</summary>
    private static OpInfo Reshape() =>
        new("Reshape", ["Tensor<T>.Reshape(ReadOnlySpan<int>)", "Tensor<T>.Reshape(Shape)"], [Domain.General], shape =>
            from target in TargetsFor(shape.Length)
            from inferred in Gen.Choose(-1, target.Rank - 1)
            let written = target.ToArray().Select((size, axis) => axis == inferred ? -1 : size).ToArray()
            select new OpInvocation(
                inferred < 0 ? $"Reshape({target}) on {shape}" : $"Reshape([{string.Join(", ", written)}]) on {shape}",
                [shape],
                xs => inferred < 0 ? xs[0].Reshape(target) : xs[0].Reshape(written),
                xs => NdIndex.TensorOf(target, xs[0].ToArray())));

    /// <summary>A random target with the same element count: the prime factors of the length grouped into up to 4 axes, 1s inserted.</summary>
    private static Gen<Shape> TargetsFor(int length)
    {
        var factors = PrimeFactors(length);
        return
            from rank in Gen.Choose(factors.Count == 0 ? 0 : 1, Shapes.MaxRank)
            from slots in Gen.ArrayOf(Gen.Choose(0, Math.Max(rank, 1) - 1), factors.Count)
            select new Shape(Enumerable.Range(0, rank).Select(slot => factors.Where((_, i) => slots[i] == slot).Aggregate(1, (p, f) => p * f)).ToArray());
    }

    private static List<int> PrimeFactors(int n)
    {
        var factors = new List<int>();
        for (int p = 2; n > 1; p++)
        {
            for (; n % p == 0; n /= p)
            {
                factors.Add(p);
            }
        }
        return factors;
    }

    /// <summary>Permute(axes), some written negatively.</summary>
    private static OpInfo Permute() =>
        new("Permute", ["Tensor<T>.Permute(ReadOnlySpan<int>)"], [Domain.General], shape =>
            from permutation in Shapes.Permutation(shape.Rank)
            from negative in Gen.ArrayOf(Gen.Elements(false, true), shape.Rank)
            let written = permutation.Select((axis, i) => negative[i] ? axis - shape.Rank : axis).ToArray()
            select new OpInvocation($"Permute([{string.Join(", ", written)}]) on {shape}", [shape], xs => xs[0].Permute(written), xs => Permuted(xs[0], permutation)));

    /// <summary>Transpose(axis0, axis1) and Transpose() (the last two axes).</summary>
    private static OpInfo Transpose() =>
        new("Transpose", ["Tensor<T>.Transpose(int, int)"], [Domain.General], shape =>
            from a in Shapes.Axis(shape.Rank)
            from b in Shapes.Axis(shape.Rank)
            from lastTwo in Gen.Elements(false, shape.Rank >= 2)
            let swapped = Swapped(shape.Rank, lastTwo ? -2 : a, lastTwo ? -1 : b)
            select new OpInvocation(lastTwo ? $"Transpose() on {shape}" : $"Transpose({a}, {b}) on {shape}", [shape],
                xs => lastTwo ? xs[0].Transpose() : xs[0].Transpose(a, b), xs => Permuted(xs[0], swapped)))
        { MinRank = 1 };

    private static int[] Swapped(int rank, int a, int b)
    {
        var axes = Enumerable.Range(0, rank).ToArray();
        int i = (a + rank) % rank, j = (b + rank) % rank;
        (axes[i], axes[j]) = (axes[j], axes[i]);
        return axes;
    }

    /// <summary>Result axis d is input axis <paramref name="axes"/>[d].</summary>
    private static Tensor<double> Permuted(Tensor<double> x, int[] axes) =>
        NdIndex.Build(new Shape(axes.Select(axis => x.Shape[axis]).ToArray()), index =>
        {
            var source = new int[x.Rank];
            for (int d = 0; d < index.Length; d++)
            {
                source[axes[d]] = index[d];
            }
            return NdIndex.At(x, source);
        });

    /// <summary>BroadcastTo(a shape the operand broadcasts to: size-1 axes grown, leading axes added).</summary>
    private static OpInfo BroadcastTo() =>
        new("BroadcastTo", ["Tensor<T>.BroadcastTo(Shape)"], [Domain.General], shape =>
            from grown in Gen.ArrayOf(Gen.Choose(1, Shapes.MaxSize), shape.Rank)
            from lead in Gen.ArrayOf(Gen.Choose(1, 3), Shapes.MaxRank - shape.Rank).SelectMany(sizes => Gen.Choose(0, sizes.Length).Select(count => sizes[..count]))
            let target = new Shape([.. lead, .. shape.ToArray().Select((size, i) => size == 1 ? grown[i] : size)])
            select new OpInvocation($"BroadcastTo({target}) on {shape}", [shape], xs => xs[0].BroadcastTo(target),
                xs => NdIndex.Build(target, index => NdIndex.AtBroadcast(xs[0], index))));

    /// <summary>SumTo(a shape that broadcasts to the operand's), the adjoint of BroadcastTo.</summary>
    private static OpInfo SumTo() =>
        new("SumTo", ["Tensor<T>.SumTo(Shape)"], [Domain.General], shape =>
            from small in Shapes.BroadcastingTo(shape)
            select new OpInvocation($"SumTo({small}) on {shape}", [shape], xs => xs[0].SumTo(small), xs =>
            {
                var x = xs[0];
                var sums = new double[small.Length];
                foreach (var index in NdIndex.All(x.Shape))
                {
                    var target = index[(x.Rank - small.Rank)..].Select((coordinate, axis) => small[axis] == 1 ? 0 : coordinate).ToArray();
                    sums[NdIndex.Flatten(small, target)] += NdIndex.At(x, index);
                }
                return NdIndex.TensorOf(small, sums);
            }))
        {
            // At most 256 terms in [−3, 3] summed in another order: (n − 1)·u·Σ|x| ≤ 2.2e-11.
            ForwardTolerance = new Tolerance(2.5e-11, 0),
        };

    /// <summary>Slice(axis, start, length), empty slices included.</summary>
    private static OpInfo Slice() =>
        new("Slice", ["Tensor<T>.Slice(int, int, int)"], [Domain.General], shape =>
            from axis in Shapes.Axis(shape.Rank)
            let size = shape[axis < 0 ? axis + shape.Rank : axis]
            from start in Gen.Choose(0, size)
            from length in Gen.Choose(0, size - start)
            select new OpInvocation($"Slice(axis {axis}, start {start}, length {length}) on {shape}", [shape], xs => xs[0].Slice(axis, start, length), xs =>
            {
                int a = axis < 0 ? axis + shape.Rank : axis;
                return NdIndex.Build(shape.WithDimension(a, length), index =>
                {
                    var source = (int[])index.Clone();
                    source[a] += start;
                    return NdIndex.At(xs[0], source);
                });
            }))
        { MinRank = 1 };

    /// <summary>IndexSelect(axis, indices) with repeated and negative indices.</summary>
    private static OpInfo IndexSelect() =>
        new("IndexSelect", ["Tensor<T>.IndexSelect(int, ReadOnlySpan<int>)"], [Domain.General], shape =>
            from axis in Shapes.Axis(shape.Rank)
            let size = shape[axis < 0 ? axis + shape.Rank : axis]
            from count in Gen.Choose(0, 6)
            from indices in Gen.ArrayOf(Gen.Choose(-size, size - 1), count)
            select new OpInvocation($"IndexSelect(axis {axis}, [{string.Join(", ", indices)}]) on {shape}", [shape], xs => xs[0].IndexSelect(axis, indices), xs =>
            {
                int a = axis < 0 ? axis + shape.Rank : axis;
                return NdIndex.Build(shape.WithDimension(a, indices.Length), index =>
                {
                    var source = (int[])index.Clone();
                    source[a] = (indices[index[a]] + size) % size;
                    return NdIndex.At(xs[0], source);
                });
            }))
        { MinRank = 1 };

    /// <summary>Concatenate(axis, tensors) of one to three tensors that agree off the axis and have sizes 0 … 4 along it.</summary>
    private static OpInfo Concatenate() =>
        new("Concatenate", ["Tensor<T>.Concatenate(int, Tensor<T>[])", "Tensor.Concatenate(int, Tensor<T>[])"], [Domain.General], shape =>
            from axis in Shapes.Axis(shape.Rank)
            let a = axis < 0 ? axis + shape.Rank : axis
            from sizes in Gen.Choose(0, 2).SelectMany(count => Gen.ArrayOf(Gen.Choose(0, Shapes.MaxSize), count))
            from viaGeneric in Gen.Elements(false, true)
            let parts = (Shape[])[shape, .. sizes.Select(size => shape.WithDimension(a, size))]
            select new OpInvocation($"{(viaGeneric ? "Tensor<double>" : "Tensor")}.Concatenate(axis {axis}) of {string.Join(", ", parts)}", parts,
                xs => viaGeneric ? Tensor<double>.Concatenate(axis, xs) : Tensor.Concatenate(axis, xs), xs => Concatenated(xs, a)))
        { MinRank = 1 };

    private static Tensor<double> Concatenated(Tensor<double>[] parts, int axis)
    {
        var owner = parts.SelectMany((part, p) => Enumerable.Range(0, part.Shape[axis]).Select(offset => (Part: p, Offset: offset))).ToArray();
        return NdIndex.Build(parts[0].Shape.WithDimension(axis, owner.Length), index =>
        {
            var (part, offset) = owner[index[axis]];
            var source = (int[])index.Clone();
            source[axis] = offset;
            return NdIndex.At(parts[part], source);
        });
    }

    /// <summary>Stack(axis, tensors) of one to three equally shaped tensors, the new axis anywhere in [−(rank + 1), rank].</summary>
    private static OpInfo Stack() =>
        new("Stack", ["Tensor<T>.Stack(int, Tensor<T>[])", "Tensor.Stack(int, Tensor<T>[])"], [Domain.General], shape =>
            from axis in Gen.Choose(-(shape.Rank + 1), shape.Rank)
            from count in Gen.Choose(1, 3)
            from viaGeneric in Gen.Elements(false, true)
            let parts = Enumerable.Repeat(shape, count).ToArray()
            select new OpInvocation($"{(viaGeneric ? "Tensor<double>" : "Tensor")}.Stack(axis {axis}) of {count} × {shape}", parts,
                xs => viaGeneric ? Tensor<double>.Stack(axis, xs) : Tensor.Stack(axis, xs), xs =>
                {
                    int a = axis < 0 ? axis + shape.Rank + 1 : axis;
                    var dims = shape.ToArray().ToList();
                    dims.Insert(a, count);
                    return NdIndex.Build(new Shape([.. dims]), index => NdIndex.At(xs[index[a]], index.Where((_, d) => d != a).ToArray()));
                }));

    /// <summary>Pad(axis, before, after, value) with widths 0 … 3 and a zero or non-zero constant.</summary>
    private static OpInfo Pad() =>
        new("Pad", ["Tensor<T>.Pad(int, int, int, double)"], [Domain.General], shape =>
            from axis in Shapes.Axis(shape.Rank)
            from before in Gen.Choose(0, 3)
            from after in Gen.Choose(0, 3)
            from value in Gen.Elements(0.0, 1.5, -2.0)
            let a = axis < 0 ? axis + shape.Rank : axis
            select new OpInvocation($"Pad(axis {axis}, before {before}, after {after}, value {value}) on {shape}", [shape],
                xs => value == 0 ? xs[0].Pad(axis, before, after) : xs[0].Pad(axis, before, after, value),
                xs => NdIndex.Build(shape.WithDimension(a, before + shape[a] + after), index =>
                {
                    int at = index[a] - before;
                    if (at < 0 || at >= shape[a])
                    {
                        return value;
                    }
                    var source = (int[])index.Clone();
                    source[a] = at;
                    return NdIndex.At(xs[0], source);
                })))
        { MinRank = 1 };

    /// <summary>Gather(axis, indices) of 0 … 4 entries per position off the axis, indices repeated and negative.</summary>
    private static OpInfo Gather() =>
        new("Gather", ["Tensor<T>.Gather(int, ReadOnlySpan<int>)"], [Domain.General], shape =>
            AlongIndexTensor(shape, (axis, a, picked, indices) =>
                new OpInvocation($"Gather(axis {axis}, [{string.Join(", ", indices)}] of shape {picked}) on {shape}", [shape],
                    xs => xs[0].Gather(axis, indices),
                    xs => NdIndex.Build(picked, index => NdIndex.At(xs[0], Redirected(index, a, picked, indices, shape[a]))))))
        { MinRank = 1 };

    /// <summary>
    /// x.ScatterAdd(axis, indices, source) with a source of 0 … 4 entries along the axis, indices repeated and negative:
    /// the adjoint of Gather, so the adjoint property of this entry and of Gather's checks the pair.
    /// </summary>
    private static OpInfo ScatterAdd() =>
        new("ScatterAdd", ["Tensor<T>.ScatterAdd(int, ReadOnlySpan<int>, Tensor<T>)"], [Domain.General], shape =>
            AlongIndexTensor(shape, (axis, a, sourceShape, indices) =>
                new OpInvocation($"ScatterAdd(axis {axis}, [{string.Join(", ", indices)}], source {sourceShape}) on {shape}", [shape, sourceShape],
                    xs => xs[0].ScatterAdd(axis, indices, xs[1]),
                    xs =>
                    {
                        var sums = xs[0].ToArray();
                        foreach (var index in NdIndex.All(sourceShape))
                        {
                            sums[NdIndex.Flatten(shape, Redirected(index, a, sourceShape, indices, shape[a]))] += NdIndex.At(xs[1], index);
                        }
                        return NdIndex.TensorOf(shape, sums);
                    })))
        {
            MinRank = 1,
            // At most 5 terms summed in the order of the source's positions, as the naive loop does: ulps at most.
            ForwardTolerance = new Tolerance(1e-14, 0),
        };

    /// <summary>
    /// A call along a random axis (written a, normalized) of <paramref name="shape"/> with an index tensor of this shape
    /// sized 0 … 4 along the axis, its indices repeated and negative, in row-major order.
    /// </summary>
    private static Gen<OpInvocation> AlongIndexTensor(Shape shape, Func<int, int, Shape, int[], OpInvocation> call) =>
        from axis in Shapes.Axis(shape.Rank)
        let a = axis < 0 ? axis + shape.Rank : axis
        from count in Gen.Choose(0, Shapes.MaxSize)
        let sized = shape.WithDimension(a, count)
        from indices in Gen.ArrayOf(Gen.Choose(-shape[a], shape[a] - 1), sized.Length)
        select call(axis, a, sized, indices);

    /// <summary><paramref name="index"/> (into the index tensor of <paramref name="sized"/>) with coordinate a replaced by the index it holds, made non-negative.</summary>
    private static int[] Redirected(int[] index, int a, Shape sized, int[] indices, int size)
    {
        var target = (int[])index.Clone();
        target[a] = (indices[NdIndex.Flatten(sized, index)] + size) % size;
        return target;
    }
}
