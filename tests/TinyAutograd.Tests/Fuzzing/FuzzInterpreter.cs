using System.Globalization;

namespace TinyAutograd.Tests.Fuzzing;

/// <summary>Evaluates and prints the operations of a fuzz program.</summary>
internal static class FuzzInterpreter
{
    /// <summary>Computes <paramref name="step"/> from the values before it, recording its kinks into <paramref name="signature"/>.</summary>
    public static Tensor<double> Apply(FuzzStep step, Tensor<double>[] values, FuzzSignature? signature)
    {
        var a = step.Operands.Length > 0 ? values[step.Operands[0]] : null!;
        var b = step.Operands.Length > 1 ? values[step.Operands[1]] : null!;
        int[] args = step.Arguments;
        if (signature is not null)
        {
            RecordKinks(step, a, b, signature);
        }
        return step.Operation switch
        {
            FuzzOperation.Negate => -a,
            FuzzOperation.Exp => a.Exp(),
            FuzzOperation.Log => (a.Softplus() + 0.1).Log(),
            FuzzOperation.Sqrt => (a.Square() + 0.1).Sqrt(),
            FuzzOperation.Reciprocal => (a.Square() + 0.5).Reciprocal(),
            FuzzOperation.ScalarOverTensor => 2.0 / (a.Square() + 0.5),
            FuzzOperation.Abs => a.Abs(),
            FuzzOperation.Square => a.Square(),
            FuzzOperation.Sigmoid => a.Sigmoid(),
            FuzzOperation.Tanh => a.Tanh(),
            FuzzOperation.Relu => a.Relu(),
            FuzzOperation.Softplus => a.Softplus(),
            FuzzOperation.PowScalar => (args[0] == 0 ? a : a.Softplus() + 0.1).Pow(step.Number),
            FuzzOperation.ScalarArithmetic => args[0] switch
            {
                0 => a + step.Number,
                1 => step.Number - a,
                2 => a * step.Number,
                _ => a / step.Number,
            },
            FuzzOperation.Add => a + b,
            FuzzOperation.Subtract => a - b,
            FuzzOperation.Multiply => a * b,
            FuzzOperation.Divide => a / (b.Softplus() + 0.5),
            FuzzOperation.Maximum => a.Maximum(b),
            FuzzOperation.Minimum => a.Minimum(b),
            FuzzOperation.Pow => (a.Softplus() + 0.5).Pow(b.Tanh()),
            FuzzOperation.Where => Tensor.Where(new Tensor<double>(step.Mask!.Value.Shape, (double[])step.Mask.Value.Values.Clone()), a, b),
            FuzzOperation.Sum => a.Sum(Axes(args), args[0] == 1),
            FuzzOperation.Mean => a.Mean(Axes(args), args[0] == 1),
            FuzzOperation.Max => a.Max(Axes(args), args[0] == 1),
            FuzzOperation.LogSumExp => a.LogSumExp(Axes(args), args[0] == 1),
            FuzzOperation.Softmax => a.Softmax(args[0]),
            FuzzOperation.LogSoftmax => a.LogSoftmax(args[0]),
            FuzzOperation.MatMul => a.MatMul(b),
            FuzzOperation.MatMulTransposed => Tensor.MatMul(a, b, args[0] == 1, args[1] == 1),
            FuzzOperation.Reshape => a.Reshape(args),
            FuzzOperation.Permute => a.Permute(args),
            FuzzOperation.Transpose => a.Transpose(args[0], args[1]),
            FuzzOperation.BroadcastTo => a.BroadcastTo(step.Result),
            FuzzOperation.SumTo => a.SumTo(step.Result),
            FuzzOperation.Slice => a.Slice(args[0], args[1], args[2]),
            FuzzOperation.IndexSelect => a.IndexSelect(args[0], args.AsSpan(1)),
            FuzzOperation.Concatenate => Tensor.Concatenate(args[0], [.. step.Operands.Select(i => values[i])]),
            FuzzOperation.Stack => Tensor.Stack(args[0], [.. step.Operands.Select(i => values[i])]),
            FuzzOperation.SquaredError => Loss.SquaredError(a, b, (Reduction)args[0]),
            FuzzOperation.CrossEntropyLabels => Loss.CrossEntropy(a, args.AsSpan(1), (Reduction)args[0]),
            FuzzOperation.CrossEntropyProbabilities => Loss.CrossEntropy(a, b.Softmax(1), (Reduction)args[0]),
            FuzzOperation.BinaryCrossEntropy => Loss.BinaryCrossEntropyWithLogits(a, b.Sigmoid(), (Reduction)args[0]),
            _ => throw new InvalidOperationException($"Fuzz: {step.Operation} is not an operation on values."),
        };
    }

    /// <summary>The step as a line of the program listing, e.g. <c>MatMul(v0, v2) -> [2, 3]</c>.</summary>
    public static string Describe(FuzzStep step)
    {
        string operands = string.Join(", ", step.Operands.Select(i => $"v{i}"));
        int[] args = step.Arguments;
        string Reduction() => args[0] == 0 ? "mean" : "sum";
        string text = step.Operation switch
        {
            FuzzOperation.PowScalar => args[0] == 0 ? $"Pow({operands}, {Number(step.Number)})" : $"Pow(softplus({operands}) + 0.1, {Number(step.Number)})",
            FuzzOperation.ScalarArithmetic => args[0] switch
            {
                0 => $"{operands} + {Number(step.Number)}",
                1 => $"{Number(step.Number)} - {operands}",
                2 => $"{operands} * {Number(step.Number)}",
                _ => $"{operands} / {Number(step.Number)}",
            },
            FuzzOperation.Log => $"Log(softplus({operands}) + 0.1)",
            FuzzOperation.Sqrt => $"Sqrt(square({operands}) + 0.1)",
            FuzzOperation.Reciprocal => $"Reciprocal(square({operands}) + 0.5)",
            FuzzOperation.ScalarOverTensor => $"2 / (square({operands}) + 0.5)",
            FuzzOperation.Divide => $"v{step.Operands[0]} / (softplus(v{step.Operands[1]}) + 0.5)",
            FuzzOperation.Pow => $"Pow(softplus(v{step.Operands[0]}) + 0.5, tanh(v{step.Operands[1]}))",
            FuzzOperation.Where => $"Where(mask {step.Mask!.Value.Shape} = [{string.Join(", ", step.Mask.Value.Values)}], {operands})",
            FuzzOperation.Sum or FuzzOperation.Mean or FuzzOperation.Max or FuzzOperation.LogSumExp =>
                $"{step.Operation}({operands}, axes [{string.Join(", ", Axes(args))}], keepDims: {args[0] == 1})",
            FuzzOperation.MatMulTransposed => $"MatMul({operands}, transposeLeft: {args[0] == 1}, transposeRight: {args[1] == 1})",
            FuzzOperation.BroadcastTo or FuzzOperation.SumTo => $"{step.Operation}({operands}, {step.Result})",
            FuzzOperation.IndexSelect => $"IndexSelect({operands}, axis {args[0]}, [{string.Join(", ", args[1..])}])",
            FuzzOperation.SquaredError => $"SquaredError({operands}, {Reduction()})",
            FuzzOperation.CrossEntropyLabels => $"CrossEntropy({operands}, labels [{string.Join(", ", args[1..])}], {Reduction()})",
            FuzzOperation.CrossEntropyProbabilities => $"CrossEntropy(v{step.Operands[0]}, softmax(v{step.Operands[1]}, 1), {Reduction()})",
            FuzzOperation.BinaryCrossEntropy => $"BinaryCrossEntropyWithLogits(v{step.Operands[0]}, sigmoid(v{step.Operands[1]}), {Reduction()})",
            _ when args.Length > 0 => $"{step.Operation}({operands}, [{string.Join(", ", args)}])",
            _ => $"{step.Operation}({operands})",
        };
        return $"{text} -> {step.Result}";
    }

    /// <summary>A double in round-trip form.</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static int[] Axes(int[] args) => args[1..];

    /// <summary>Records which side of its kinks a relu, abs, maximum, minimum or max step is on.</summary>
    private static void RecordKinks(FuzzStep step, Tensor<double> a, Tensor<double> b, FuzzSignature signature)
    {
        using var unrecorded = GradMode.Disable();
        switch (step.Operation)
        {
            case FuzzOperation.Relu or FuzzOperation.Abs:
                signature.AddSigns(a.Data);
                break;
            case FuzzOperation.Maximum or FuzzOperation.Minimum:
                signature.AddSigns((a - b).Data);
                break;
            case FuzzOperation.Max:
                signature.AddSigns((a - a.Max(Axes(step.Arguments), keepDims: true)).Data);
                break;
        }
    }
}
