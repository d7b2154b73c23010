namespace TinyAutograd.Benchmarks.Workloads;

/// <summary>Fixed random float32 operands for the per-op benchmarks, and the op of each <see cref="OpCase"/> applied to them.</summary>
public sealed class OpInputs
{
    public OpInputs(int rows, int columns, ulong seed = 0)
    {
        var random = new RandomSource(seed);
        X = random.Normal<float>([rows, columns]).RequireGrad();
        Y = random.Normal<float>([rows, columns]).RequireGrad();
        Row = random.Normal<float>([columns]).RequireGrad();
        Labels = [.. Enumerable.Range(0, rows).Select(_ => random.NextInt(columns))];
    }

    /// <summary>The main operand, [rows, columns].</summary>
    public Tensor<float> X { get; }

    /// <summary>A second operand of the same shape.</summary>
    public Tensor<float> Y { get; }

    /// <summary>A [columns] operand broadcast over the rows.</summary>
    public Tensor<float> Row { get; }

    /// <summary>One class index in [0, columns) per row.</summary>
    public int[] Labels { get; }

    /// <summary>Clears the accumulated gradients of every operand.</summary>
    public void ClearGradients()
    {
        X.ZeroGrad();
        Y.ZeroGrad();
        Row.ZeroGrad();
    }

    /// <summary>Applies the op (recorded when gradients are enabled).</summary>
    public Tensor<float> Apply(OpCase op) => op switch
    {
        OpCase.AddBroadcast => X + Row,
        OpCase.Multiply => X * Y,
        OpCase.Sigmoid => X.Sigmoid(),
        OpCase.Tanh => X.Tanh(),
        OpCase.Exp => X.Exp(),
        OpCase.LogSumExpRows => X.LogSumExp(1),
        OpCase.SoftmaxCrossEntropy => Loss.CrossEntropy(X, Labels),
        OpCase.SumAxis0 => X.Sum(0),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "OpInputs.Apply: unknown op."),
    };
}
