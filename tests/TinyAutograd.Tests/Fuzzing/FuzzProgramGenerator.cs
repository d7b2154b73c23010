using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using TinyAutograd.Tests.OpRegistry;

namespace TinyAutograd.Tests.Fuzzing;

/// <summary>
/// FsCheck generators of random fuzz programs: random shapes (rank 0 to 3, dimensions 1 to 4), each step a random op
/// of the <see cref="Registry"/> called the way its entry calls it (random axes, broadcasting, transposes, slices,
/// indices, reductions, constants) on an earlier value, with partner operands drawn from the earlier values of the
/// shape the call needs (fan-out, reuse, self-products) or made as new inputs.
/// </summary>
internal static class FuzzProgramGenerator
{
    /// <summary>The largest element count of an input leaf.</summary>
    private const int InputCap = 12;

    /// <summary>The largest element count of any value.</summary>
    private const int ValueCap = 36;

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

    /// <summary>A random registered op on an earlier value that some op takes (non-empty, rank in range), the latest one most often.</summary>
    private static Gen<Builder> Step(Builder b)
    {
        var usable = Enumerable.Range(0, b.Steps.Length).Where(v => Registry.All.Any(op => op.Accepts(b.ShapeOf(v)))).ToArray();
        var operands = usable.Contains(b.Steps.Length - 1)
            ? Gen.Frequency((3, Gen.Constant(b.Steps.Length - 1)), (2, Gen.Elements(usable)))
            : Gen.Elements(usable);
        return
            from operand in operands
            let shape = b.ShapeOf(operand)
            from op in Gen.Elements(Registry.All.Where(op => op.Accepts(shape)).ToArray())
            from call in op.Calls(shape)
            from partners in Partners(b, [operand], call.Operands[1..])
            select Fits(call) ? partners.Builder.With(new FuzzStep(op, call, partners.Operands, -1, ResultShape(call))) : b;
    }

    /// <summary>Values for the call's other operands, one per shape in <paramref name="shapes"/>, after those <paramref name="chosen"/> so far.</summary>
    private static Gen<(Builder Builder, int[] Operands)> Partners(Builder b, int[] chosen, Shape[] shapes) =>
        shapes.Length == 0
            ? Gen.Constant((b, chosen))
            : Partner(b, shapes[0]).SelectMany(partner => Partners(partner.Builder, [.. chosen, partner.Value], shapes[1..]));

    /// <summary>An earlier value of exactly <paramref name="shape"/> (possibly the first operand itself), or a new input leaf of it.</summary>
    private static Gen<(Builder Builder, int Value)> Partner(Builder b, Shape shape)
    {
        var fresh = from values in Values(shape.Length)
                    select b.WithInput(shape, values);
        var existing = Enumerable.Range(0, b.Steps.Length).Where(v => b.ShapeOf(v) == shape).ToArray();
        return existing.Length == 0 ? fresh : Gen.Frequency((2, fresh), (3, Gen.Elements(existing).Select(v => (b, v))));
    }

    /// <summary>Whether the call's operands and result stay within <see cref="ValueCap"/> elements.</summary>
    private static bool Fits(OpInvocation call) => call.Operands.All(shape => shape.Length <= ValueCap) && ResultShape(call).Length <= ValueCap;

    /// <summary>The call's result shape, found by running it on zeros.</summary>
    private static Shape ResultShape(OpInvocation call)
    {
        using (GradMode.Disable())
        {
            return call.Apply([.. call.Operands.Select(Tensor<double>.ZerosOf)]).Shape;
        }
    }

    private static Gen<FuzzProgram> Finish(Builder b)
    {
        var read = b.Steps.SelectMany(step => step.Operands).ToHashSet();
        var sinks = Enumerable.Range(0, b.Steps.Length).Where(v => !read.Contains(v)).ToArray();
        return from weights in Gen.CollectToArray(sinks.Select(v => Values(b.ShapeOf(v).Length)))
               from direction in Gen.CollectToArray(b.InputValues.Select(values => Values(values.Length)))
               select new FuzzProgram(b.Steps, b.InputValues, [.. sinks.Select((v, i) => (v, weights[i]))], direction);
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

        public (Builder Builder, int Value) WithInput(Shape shape, double[] values) =>
            (new Builder(Steps.Add(FuzzStep.Leaf(InputValues.Length, shape)), InputValues.Add(values)), Steps.Length);
    }
}
