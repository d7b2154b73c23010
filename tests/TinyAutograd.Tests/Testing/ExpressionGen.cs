using FsCheck;
using FsCheck.Fluent;
using TinyAutograd.Tests.OpRegistry;

namespace TinyAutograd.Tests.Testing;

/// <summary>
/// Random composite expressions: short programs over three inputs — a matrix X [n, n], a row r [n] and a scalar s —
/// whose every step applies a smooth op of the <see cref="Registry"/>, called the way its entry calls it, to earlier
/// values, chosen at random, so intermediates are reused (fan-out) and every kind of op meets every other.
/// </summary>
/// <remarks>
/// Every operand is first squashed into (−2, 2) by 2·tanh(a/2) and then mapped into the op's domain for it
/// (<see cref="Domain.FromReal"/>), so values stay moderate and inside every domain without clipping. Only ops without
/// kinks take part, so finite differences apply. A partner operand is an earlier value of the shape the call asks
/// for, or else the scalar s broadcast to that shape.
/// </remarks>
public static class ExpressionGen
{
    /// <summary>One step of a program: what it does (for messages), which earlier values it reads, and how it computes its value.</summary>
    private sealed record Step(string Text, int[] Operands, Func<IReadOnlyList<Tensor<double>>, Tensor<double>> Apply);

    /// <summary>The registered ops that are smooth in their domains.</summary>
    private static readonly OpInfo[] SmoothOps = [.. Registry.All.Where(op => op.IsSmooth)];

    /// <summary>The position of the scalar input s, which stands in for a partner no earlier value fits.</summary>
    private const int Scalar = 2;

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
        var usable = Enumerable.Range(0, shapes.Count).Where(i => SmoothOps.Any(op => op.Accepts(shapes[i]))).ToArray();
        var recent = usable.Where(i => i >= shapes.Count - 3).ToArray();
        var operand = recent.Length == 0 ? Gen.Elements(usable) : Gen.Frequency((1, Gen.Elements(usable)), (2, Gen.Elements(recent)));
        return
            from i in operand
            from op in Gen.Elements(SmoothOps.Where(op => op.Accepts(shapes[i])).ToArray())
            from call in op.Calls(shapes[i])
            from partners in Gen.CollectToArray(call.Operands[1..].Select(shape => PartnerFor(shapes, shape)))
            select MakeStep(op, call, [i, .. partners]);
    }

    /// <summary>An earlier value of exactly <paramref name="shape"/>, or −1 for the scalar s broadcast to it.</summary>
    private static Gen<int> PartnerFor(List<Shape> shapes, Shape shape)
    {
        var fitting = Enumerable.Range(0, shapes.Count).Where(k => shapes[k] == shape).ToArray();
        return fitting.Length == 0 ? Gen.Constant(-1) : Gen.Elements(fitting);
    }

    private static Step MakeStep(OpInfo op, OpInvocation call, int[] operands)
    {
        string Operand(int j) =>
            op.DomainOf(j).Mapped($"squash({(operands[j] < 0 ? $"t{Scalar} broadcast to {call.Operands[j]}" : $"t{operands[j]}")})");
        return new Step($"{call.Text} of ({string.Join(", ", Enumerable.Range(0, operands.Length).Select(Operand))})",
            [.. operands.Select(k => k < 0 ? Scalar : k).Distinct()],
            values => call.Apply([.. operands.Select((k, j) =>
                op.DomainOf(j).FromReal(Squash(k < 0 ? values[Scalar].BroadcastTo(call.Operands[j]) : values[k])))]));
    }

    /// <summary>squash(a) = 2·tanh(a/2): the identity near 0, bounded by ±2.</summary>
    private static Tensor<double> Squash(Tensor<double> a) => (a * 0.5).Tanh() * 2.0;
}
