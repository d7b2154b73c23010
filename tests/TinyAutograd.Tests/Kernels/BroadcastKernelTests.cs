using System.Numerics;
using TinyAutograd.Kernels;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Kernels;

/// <summary>
/// BroadcastKernel.Apply with every binary operator over layouts that take each of its paths (same shape, scalar
/// operands, contiguous inner runs, broadcast rows and columns, leading batch axes), on odd lengths, in float and
/// double, against a naive element-by-element loop over the broadcast index space.
/// </summary>
public sealed class BroadcastKernelTests
{
    /// <summary>An operator run in both precisions, its scalar definition, and the double kernel's allowed deviation from it.</summary>
    private sealed record OperatorCase(
        Func<double[], int[], double[], int[], int[], double[]> Double,
        Func<float[], int[], float[], int[], int[], float[]> Float,
        Func<double, double, double> Definition,
        Tolerance DoubleTolerance,
        Tolerance FloatTolerance,
        (double Low, double High) LeftRange,
        (double Low, double High) RightRange);

    private static readonly Tolerance Exact = new(0, 0);

    /// <summary>Vectorized pow is not correctly rounded: a few ulps (1e-15 relative in double, 4e-7 in float).</summary>
    private static readonly Dictionary<string, OperatorCase> Operators = new()
    {
        ["Add"] = Case<AddOperator<float>, AddOperator<double>>((x, y) => x + y, Exact, KernelInputs.CorrectlyRoundedFloat),
        ["Subtract"] = Case<SubtractOperator<float>, SubtractOperator<double>>((x, y) => x - y, Exact, KernelInputs.CorrectlyRoundedFloat),
        ["Multiply"] = Case<MultiplyOperator<float>, MultiplyOperator<double>>((x, y) => x * y, Exact, KernelInputs.CorrectlyRoundedFloat),
        ["Divide"] = Case<DivideOperator<float>, DivideOperator<double>>((x, y) => x / y, Exact, KernelInputs.CorrectlyRoundedFloat, right: (0.5, 4)),
        ["Pow"] = Case<PowOperator<float>, PowOperator<double>>(Math.Pow, new Tolerance(0, 1e-15), new Tolerance(1e-38, 4e-7), left: (0.1, 4)),
        ["Maximum"] = Case<MaximumOperator<float>, MaximumOperator<double>>(Math.Max, Exact, Exact),
        ["MaximumShare"] = Case<MaximumShareOperator<float>, MaximumShareOperator<double>>((x, y) => x > y ? 1 : x == y ? 0.5 : 0, Exact, Exact, left: (-2, 2), right: (-2, 2)),
        ["Equal"] = Case<EqualOperator<float>, EqualOperator<double>>((x, y) => x == y ? 1 : 0, Exact, Exact, left: (-2, 2), right: (-2, 2)),
    };

    /// <summary>Pairs of operand shapes built around a length n.</summary>
    private static readonly Func<int, (int[] Left, int[] Right)>[] Layouts =
    [
        n => ([n], [n]),
        n => ([n], [1]),
        n => ([n], []),
        n => ([], [n]),
        n => ([3, n], [n]),
        n => ([n], [3, n]),
        n => ([3, 1], [1, n]),
        n => ([n, 1], [1, 3]),
        n => ([3, n], [3, 1]),
        n => ([2, 3, n], [3, 1]),
        n => ([2, 1, n], [1, 3, 1]),
        n => ([1, n, 1], [2, 1, 3]),
        n => ([n, 1, 1], [1, 1, 1]),
    ];

    public static TheoryData<string, int, int> Combinations()
    {
        var data = new TheoryData<string, int, int>();
        foreach (var op in Operators.Keys)
        {
            for (int layout = 0; layout < Layouts.Length; layout++)
            {
                foreach (int n in new[] { 1, 7, 17, 33, 65 })
                {
                    data.Add(op, layout, n);
                }
            }
            data.Add(op, 0, 1031);
            data.Add(op, 4, 127);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public void MatchesNaiveLoopInDoubleAndFloatAgreesWithDouble(string op, int layout, int n)
    {
        var operatorCase = Operators[op];
        var (leftShape, rightShape) = Layouts[layout](n);
        var shape = Reference.BroadcastShape(new Shape(leftShape), new Shape(rightShape)).ToArray();
        var x = KernelInputs.Values(new Shape(leftShape).Length, operatorCase.LeftRange.Low, operatorCase.LeftRange.High, seed: 1);
        var y = KernelInputs.Values(new Shape(rightShape).Length, operatorCase.RightRange.Low, operatorCase.RightRange.High, seed: 2);
        if (op is "MaximumShare" or "Equal")
        {
            // Quantize to halves so that ties (and equal elements) occur often.
            x = x.Select(v => Math.Round(v * 2) / 2).ToArray();
            y = y.Select(v => Math.Round(v * 2) / 2).ToArray();
        }
        string subject = $"{op} of [{string.Join(", ", leftShape)}] and [{string.Join(", ", rightShape)}]";

        var expected = Reference.Broadcast(NdIndex.TensorOf(new Shape(leftShape), x), NdIndex.TensorOf(new Shape(rightShape), y), operatorCase.Definition);
        var inDouble = operatorCase.Double(x, leftShape, y, rightShape, shape);
        ElementwiseComparison.Require($"{subject} in double", new Shape(shape), inDouble, expected.Data, operatorCase.DoubleTolerance, "kernel", "naive loop");

        var inFloat = operatorCase.Float(KernelInputs.ToFloat(x), leftShape, KernelInputs.ToFloat(y), rightShape, shape);
        ElementwiseComparison.Require($"{subject} in float", new Shape(shape), KernelInputs.ToDouble(inFloat), inDouble, operatorCase.FloatTolerance, "float kernel", "double kernel");
    }

    public static TheoryData<int, int> CopyLayouts()
    {
        var data = new TheoryData<int, int>();
        for (int layout = 0; layout < Layouts.Length; layout++)
        {
            foreach (int n in KernelInputs.OddLengths)
            {
                data.Add(layout, n);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(CopyLayouts))]
    public void BroadcastCopyRepeatsTheSourceInBothPrecisions(int layout, int n)
    {
        var (sourceShape, otherShape) = Layouts[layout](n);
        var shape = Reference.BroadcastShape(new Shape(sourceShape), new Shape(otherShape));
        var source = KernelInputs.Values(new Shape(sourceShape).Length, -4, 4, seed: 3);
        var expected = NdIndex.Build(shape, index => NdIndex.AtBroadcast(NdIndex.TensorOf(new Shape(sourceShape), source), index));

        var inDouble = new double[shape.Length];
        BroadcastKernel.BroadcastCopy<double>(source, sourceShape, inDouble, shape.Dimensions);
        ElementwiseComparison.Require($"BroadcastCopy of [{string.Join(", ", sourceShape)}] to {shape} in double", shape, inDouble, expected.Data, Exact, "kernel", "naive loop");

        var inFloat = new float[shape.Length];
        BroadcastKernel.BroadcastCopy<float>(KernelInputs.ToFloat(source), sourceShape, inFloat, shape.Dimensions);
        ElementwiseComparison.Require($"BroadcastCopy of [{string.Join(", ", sourceShape)}] to {shape} in float", shape, KernelInputs.ToDouble(inFloat), expected.Data, Exact, "kernel", "naive loop");
    }

    private static OperatorCase Case<TFloat, TDouble>(
        Func<double, double, double> definition, Tolerance doubleTolerance, Tolerance floatTolerance,
        (double, double)? left = null, (double, double)? right = null)
        where TFloat : IBinaryOperator<float>
        where TDouble : IBinaryOperator<double> =>
        new(Run<double, TDouble>, Run<float, TFloat>, definition, doubleTolerance, floatTolerance, left ?? (-4, 4), right ?? (-4, 4));

    private static T[] Run<T, TOperator>(T[] x, int[] xShape, T[] y, int[] yShape, int[] shape)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOperator : IBinaryOperator<T>
    {
        var result = new T[new Shape(shape).Length];
        BroadcastKernel.Apply<T, TOperator>(x, xShape, y, yShape, result, shape);
        return result;
    }
}
