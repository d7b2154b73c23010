using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Kernels;

/// <summary>
/// The elementwise forward kernel of every unary op (TensorPrimitives underneath), on odd lengths that leave SIMD tails,
/// against a scalar Math loop in double; float results against the same double reference.
/// </summary>
public sealed class UnaryKernelTests
{
    /// <summary>An op in both precisions, its scalar definition, the input range, and the allowed deviations.</summary>
    private sealed record UnaryCase(
        Func<Tensor<double>, Tensor<double>> Double,
        Func<Tensor<float>, Tensor<float>> Float,
        Func<double, double> Definition,
        double Low,
        double High,
        Tolerance DoubleTolerance,
        Tolerance FloatTolerance);

    /// <summary>
    /// IEEE operations (+ − × ÷ √, abs, max) are exact in double and correctly rounded in float. The scalar operands
    /// (0.375) are exactly representable in float, so both precisions see the same constant.
    /// </summary>
    private static readonly Tolerance Exact = new(0, 0);

    /// <summary>
    /// Vectorized transcendental functions are accurate to a few ulps: 5e-15 relative in double (≈ 22 ulps) and 1e-6 in
    /// float (≈ 8 ulps).
    /// </summary>
    private static readonly Tolerance FewUlpsDouble = new(1e-300, 5e-15);

    private static readonly Tolerance FewUlpsFloat = new(1e-38, 1e-6);

    private static readonly Dictionary<string, UnaryCase> Ops = new()
    {
        ["Exp"] = new(x => x.Exp(), x => x.Exp(), Math.Exp, -20, 20, FewUlpsDouble, FewUlpsFloat),
        ["Log"] = new(x => x.Log(), x => x.Log(), Math.Log, 1e-3, 100, FewUlpsDouble, new Tolerance(1e-7, 5e-7)),
        ["Sqrt"] = new(x => x.Sqrt(), x => x.Sqrt(), Math.Sqrt, 0, 100, Exact, KernelInputs.CorrectlyRoundedFloat),
        ["Abs"] = new(x => x.Abs(), x => x.Abs(), Math.Abs, -10, 10, Exact, Exact),
        ["Negate"] = new(x => -x, x => -x, v => -v, -10, 10, Exact, Exact),
        ["Square"] = new(x => x.Square(), x => x.Square(), v => v * v, -10, 10, Exact, KernelInputs.CorrectlyRoundedFloat),
        ["Relu"] = new(x => x.Relu(), x => x.Relu(), v => Math.Max(v, 0), -10, 10, Exact, Exact),
        ["Reciprocal"] = new(x => x.Reciprocal(), x => x.Reciprocal(), v => 1 / v, 0.1, 10, Exact, KernelInputs.CorrectlyRoundedFloat),
        ["Sigmoid"] = new(x => x.Sigmoid(), x => x.Sigmoid(), v => 1 / (1 + Math.Exp(-v)), -30, 30, FewUlpsDouble, FewUlpsFloat),
        ["Tanh"] = new(x => x.Tanh(), x => x.Tanh(), Math.Tanh, -10, 10, FewUlpsDouble, FewUlpsFloat),
        ["Softplus"] = new(x => x.Softplus(), x => x.Softplus(), Softplus, -30, 30, FewUlpsDouble, FewUlpsFloat),
        ["Pow(2.5)"] = new(x => x.Pow(2.5), x => x.Pow(2.5), v => Math.Pow(v, 2.5), 0, 10, FewUlpsDouble, FewUlpsFloat),
        ["Pow(-1)"] = new(x => x.Pow(-1), x => x.Pow(-1), v => Math.Pow(v, -1), 0.1, 10, FewUlpsDouble, FewUlpsFloat),
        ["x + 0.375"] = new(x => x + 0.375, x => x + 0.375, v => v + 0.375, -10, 10, Exact, KernelInputs.CorrectlyRoundedFloat),
        ["x * 0.375"] = new(x => x * 0.375, x => x * 0.375, v => v * 0.375, -10, 10, Exact, KernelInputs.CorrectlyRoundedFloat),
        ["x / 0.375"] = new(x => x / 0.375, x => x / 0.375, v => v / 0.375, -10, 10, Exact, KernelInputs.CorrectlyRoundedFloat),
    };

    /// <summary>
    /// ln(1 + eᵛ) = max(v, 0) + ln(1 + e) with e = e^−|v|, and ln(1 + e) = 2·atanh(e / (2 + e)), which keeps full
    /// relative accuracy for tiny e (unlike .NET's LogP1, which computes ln(1 + e) directly).
    /// </summary>
    private static double Softplus(double v)
    {
        double e = Math.Exp(-Math.Abs(v));
        return Math.Max(v, 0) + 2 * Math.Atanh(e / (2 + e));
    }

    public static TheoryData<string, int> OpsAndLengths()
    {
        var data = new TheoryData<string, int>();
        foreach (var op in Ops.Keys)
        {
            foreach (int length in KernelInputs.OddLengths)
            {
                data.Add(op, length);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(OpsAndLengths))]
    public void ForwardMatchesScalarLoopInDoubleAndFloat(string op, int length)
    {
        var unary = Ops[op];
        var x = KernelInputs.Values(length, unary.Low, unary.High, seed: (ulong)length);
        var shape = new Shape(length);
        var reference = x.Select(unary.Definition).ToArray();

        var inDouble = unary.Double(Tensor.FromArray(x));
        ElementwiseComparison.Require($"{op} of {length} values in double", shape, inDouble.Data, reference, unary.DoubleTolerance, "kernel", "Math loop");

        var inFloat = unary.Float(Tensor.FromArray(KernelInputs.ToFloat(x)));
        ElementwiseComparison.Require($"{op} of {length} values in float", shape, KernelInputs.ToDouble(inFloat.Data), reference, unary.FloatTolerance, "float kernel", "double reference");
    }
}
