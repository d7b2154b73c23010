using FsCheck;
using FsCheck.Fluent;

namespace TinyAutograd.Tests.Testing;

/// <summary>
/// Random composite expressions: short programs over three inputs — a matrix X [n, n], a row r [n] and a scalar s —
/// whose every step applies a smooth op to earlier values, chosen at random, so intermediates are reused (fan-out)
/// and every kind of op meets every other.
/// </summary>
/// <remarks>
/// Values stay moderate without clipping: unbounded steps grow at most linearly (sums, softplus, √(1 + a²)) and
/// products always pass one factor through tanh. There are no kinks (no abs, relu or max), so finite differences apply.
/// Every value has shape [n, n], [n] or [], so any two broadcast together.
/// </remarks>
public static class ExpressionGen
{
    /// <summary>One step of a program: what it does (for messages), which earlier values it reads, and how it computes its value.</summary>
    private sealed record Step(string Text, int[] Operands, Func<IReadOnlyList<Tensor<double>>, Tensor<double>> Apply);

    private static readonly (string Name, Func<Tensor<double>, Tensor<double>> Op)[] UnaryOps =
    [
        ("tanh", a => a.Tanh()),
        ("sigmoid", a => a.Sigmoid()),
        ("softplus", a => a.Softplus()),
        ("exp∘tanh", a => a.Tanh().Exp()),
        ("√(1 + a²)", a => (a.Square() + 1).Sqrt()),
        ("log(1 + a²)", a => (1 + a.Square()).Log()),
        ("1 / (2 + tanh)", a => (a.Tanh() + 2).Reciprocal()),
        ("(0.5 + σ)^1.5", a => (a.Sigmoid() + 0.5).Pow(1.5)),
        ("−a", a => -a),
        ("a·0.5 − 1", a => a * 0.5 - 1),
        ("reshape round trip", a => a.Reshape(-1).Reshape(a.Shape)),
        ("broadcast to [2, …] and sum back", a => a.BroadcastTo(new Shape([2, .. a.Shape.ToArray()])).SumTo(a.Shape) * 0.5),
    ];

    private static readonly (string Name, Func<Tensor<double>, Tensor<double>, Tensor<double>> Op)[] BinaryOps =
    [
        ("a + b", (a, b) => a + b),
        ("a − b", (a, b) => a - b),
        ("a · tanh(b)", (a, b) => a * b.Tanh()),
        ("a / (1 + b²)", (a, b) => a / (b.Square() + 1)),
        ("(1 + tanh(a)²)^tanh(b)", (a, b) => (a.Tanh().Square() + 1).Pow(b.Tanh())),
        ("a·σ(b) + b·σ(−b)", (a, b) => a * b.Sigmoid() + b * (-b).Sigmoid()),
        ("a matmul tanh(b)", (a, b) => a.MatMul(b.Tanh())),
    ];

    /// <summary>
    /// A composite expression of 3 … 8 steps over X [n, n], r [n] and s [] (n = 2 or 3, values in [−2, 2]), as an
    /// <see cref="OpCase"/> whose inputs are (X, r, s). Its output is the last step's value plus the sum of every other
    /// step's value that no later step reads, so that every step matters.
    /// </summary>
    public static Gen<OpCase> Composite { get; } =
        from n in Gen.Choose(2, 3)
        from x in TensorGen.Of(new Shape(n, n), Values.Uniform(-2, 2))
        from r in TensorGen.Of(new Shape(n), Values.Uniform(-2, 2))
        from s in TensorGen.Of(Shape.Scalar, Values.Uniform(-2, 2))
        from count in Gen.Choose(3, 8)
        from steps in Steps(count, [x.Shape, r.Shape, s.Shape])
        from opCase in OpCase.Of(Describe(steps), inputs => Evaluate(steps, inputs), x, r, s)
        select opCase;

    private static Tensor<double> Evaluate(IReadOnlyList<Step> steps, Tensor<double>[] inputs)
    {
        var values = new List<Tensor<double>>(inputs);
        foreach (var step in steps)
        {
            values.Add(step.Apply(values));
        }
        var output = values[^1];
        foreach (int unread in Unread(steps, inputs.Length))
        {
            output += values[unread].Sum();
        }
        return output;
    }

    /// <summary>The positions of step values (not inputs, not the last) that no later step reads.</summary>
    private static IEnumerable<int> Unread(IReadOnlyList<Step> steps, int inputCount)
    {
        var read = steps.SelectMany(step => step.Operands).ToHashSet();
        return Enumerable.Range(inputCount, steps.Count - 1).Where(position => !read.Contains(position));
    }

    private static string Describe(IReadOnlyList<Step> steps) =>
        "composite { " + string.Join("; ", steps.Select((step, i) => $"t{i + 3} = {step.Text}")) +
        $" }} over t0 = X, t1 = r, t2 = s, giving t{steps.Count + 2} + Σ sum(t) over the unread [{string.Join(", ", Unread(steps, 3))}]";

    /// <summary><paramref name="count"/> steps, each drawn knowing the shapes of the values before it.</summary>
    private static Gen<List<Step>> Steps(int count, List<Shape> shapes)
    {
        if (count == 0)
        {
            return Gen.Constant(new List<Step>());
        }
        return NextStep(shapes).SelectMany(step =>
        {
            var next = new List<Shape>(shapes) { ShapeOf(step, shapes) };
            return Steps(count - 1, next).Select(rest => rest.Prepend(step).ToList());
        });
    }

    /// <summary>The step's result shape, found by running it on zeros.</summary>
    private static Shape ShapeOf(Step step, List<Shape> shapes)
    {
        using (GradMode.Disable())
        {
            return step.Apply(shapes.Select(shape => Tensor<double>.ZerosOf(shape)).ToList()).Shape;
        }
    }

    /// <summary>A random step on the values so far, biased towards recent values so chains grow deep.</summary>
    private static Gen<Step> NextStep(List<Shape> shapes)
    {
        var operand = Gen.Frequency((1, Gen.Choose(0, shapes.Count - 1)), (2, Gen.Choose(Math.Max(0, shapes.Count - 3), shapes.Count - 1)));
        var unary =
            from i in operand
            from op in Gen.Elements(UnaryOps)
            select new Step($"{op.Name}(t{i})", [i], values => op.Op(values[i]));
        var binary =
            from i in operand
            from j in operand
            from op in Gen.Elements(BinaryOps)
            where op.Name != "a matmul tanh(b)" || (shapes[i].Rank > 0 && shapes[j].Rank > 0)
            select new Step($"{op.Name} with a = t{i}, b = t{j}", [i, j], values => op.Op(values[i], values[j]));
        var alongAxis =
            from i in operand.Where(i => shapes[i].Rank > 0)
            from axis in Shapes.Axis(shapes[i].Rank)
            from kind in Gen.Choose(0, 4)
            select AlongAxis(kind, i, axis, shapes[i]);
        var layout =
            from i in operand.Where(i => shapes[i].Rank > 0)
            from axis in Shapes.Axis(shapes[i].Rank)
            from indices in Gen.ArrayOf(Gen.Choose(0, shapes[i][axis] - 1), shapes[i][axis])
            from kind in Gen.Choose(0, 2)
            select Layout(kind, i, axis, indices, shapes[i]);
        var where =
            from i in operand
            from j in operand
            from condition in TensorGen.Of(Reference.BroadcastShape(shapes[i], shapes[j]), Gen.Elements(0.0, 1.0))
            select new Step($"where({string.Join("", condition.ToArray().Select(c => c == 0 ? '0' : '1'))}, t{i}, t{j})",
                [i, j], values => Tensor.Where(condition, values[i], values[j]));
        var staticProduct =
            from i in operand.Where(i => shapes[i].Rank == 2)
            from j in operand.Where(j => shapes[j].Rank == 2)
            from transposeLeft in Gen.Elements(false, true)
            from transposeRight in Gen.Elements(false, true)
            select new Step($"MatMul(t{i}, tanh(t{j}), {transposeLeft}, {transposeRight})",
                [i, j], values => Tensor.MatMul(values[i], values[j].Tanh(), transposeLeft, transposeRight));
        bool anyTensor = shapes.Any(shape => shape.Rank > 0);
        bool anyMatrix = shapes.Any(shape => shape.Rank == 2);
        var choices = new List<(int, Gen<Step>)> { (4, unary), (4, binary), (1, where) };
        if (anyTensor)
        {
            choices.Add((2, alongAxis));
            choices.Add((1, layout));
        }
        if (anyMatrix)
        {
            choices.Add((1, staticProduct));
        }
        return Gen.Frequency(choices);
    }

    private static Step AlongAxis(int kind, int i, int axis, Shape shape) => kind switch
    {
        0 => new Step($"t{i} − logsumexp(t{i}, axis {axis})", [i], values => values[i] - values[i].LogSumExp(axis, keepDims: true)),
        1 => new Step($"softmax(t{i}, axis {axis})", [i], values => values[i].Softmax(axis)),
        2 => new Step($"logsoftmax(t{i}, axis {axis})", [i], values => values[i].LogSoftmax(axis)),
        3 => new Step($"t{i} · mean(t{i}, axis {axis})", [i], values => values[i] * values[i].Mean(axis, keepDims: true)),
        _ => new Step($"t{i} + sum(t{i}, axes all but {axis}) / 4", [i], values => values[i] + values[i].Sum(AllAxesBut(shape.Rank, axis), keepDims: true) / 4.0),
    };

    private static Step Layout(int kind, int i, int axis, int[] indices, Shape shape) => kind switch
    {
        0 => new Step($"transpose(t{i}, 0, {axis})", [i], values => values[i].Transpose(0, axis)),
        1 => new Step($"indexselect(t{i}, axis {axis}, [{string.Join(", ", indices)}])", [i], values => values[i].IndexSelect(axis, indices)),
        _ => new Step($"concatenate(slices of t{i} along axis {axis}, reversed)", [i], values =>
        {
            int size = shape[axis], cut = size / 2;
            return Tensor.Concatenate(axis, values[i].Slice(axis, cut, size - cut), values[i].Slice(axis, 0, cut));
        }),
    };

    private static int[] AllAxesBut(int rank, int axis)
    {
        int kept = axis < 0 ? axis + rank : axis;
        return Enumerable.Range(0, rank).Where(a => a != kept).ToArray();
    }
}
