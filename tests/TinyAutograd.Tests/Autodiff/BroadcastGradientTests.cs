namespace TinyAutograd.Tests.Autodiff;

/// <summary>
/// Broadcasting is undone in one place: for every op that broadcasts its inputs, the engine's sum of a broadcast input's
/// gradient, and the tape's expansion of its tangent, give bit for bit what the same op gives on an input expanded first
/// with <see cref="Tensor{T}.BroadcastTo"/> (whose own rule sums back). An op that does not declare broadcasting gets no
/// silent sum.
/// </summary>
public sealed class BroadcastGradientTests
{
    private static readonly Shape s_full = new(2, 3, 4);
    private static readonly Shape s_small = new(3, 1);

    public static TheoryData<string> Ops => ["Add", "Multiply", "Divide", "Where", "Pow", "Maximum", "MatMul"];

    [Theory]
    [MemberData(nameof(Ops))]
    public void TheGradientOfABroadcastInputIsTheGradientOfItsExplicitExpansion(string op)
    {
        var (small, other) = Operands(op);
        var direct = small.Clone().RequireGrad();
        var expanded = small.Clone().RequireGrad();
        var otherDirect = other.Clone().RequireGrad();
        var otherExpanded = other.Clone().RequireGrad();

        Apply(op, direct, otherDirect).Square().Sum().Backward();
        Apply(op, expanded.BroadcastTo(BroadcastShape(op)), otherExpanded).Square().Sum().Backward();

        Assert.Equal(small.Shape, direct.Grad!.Shape);
        Assert.Equal(expanded.Grad!.ToArray(), direct.Grad.ToArray());
        Assert.Equal(otherExpanded.Grad!.ToArray(), otherDirect.Grad!.ToArray());
    }

    [Theory]
    [MemberData(nameof(Ops))]
    public void TheTangentFromABroadcastInputIsTheTangentOfItsExplicitExpansion(string op)
    {
        var (small, other) = Operands(op);
        var tangent = Tensor.FromArray(Enumerable.Range(1, small.Length).Select(i => 0.25 * i).ToArray(), small.Shape.ToArray());

        var (_, direct) = AutoDiff.Jvp(x => Apply(op, x, other), small, tangent);
        var (_, expanded) = AutoDiff.Jvp(x => Apply(op, x.BroadcastTo(BroadcastShape(op)), other), small, tangent);

        Assert.Equal(expanded.Shape, direct.Shape);
        Assert.Equal(expanded.ToArray(), direct.ToArray());
    }

    [Theory]
    [InlineData(HessianVectorMethod.ReverseOverReverse, new[] { 1 })]
    [InlineData(HessianVectorMethod.ReverseOverReverse, new[] { 0 })]
    [InlineData(HessianVectorMethod.ForwardOverReverse, new[] { 1 })]
    public void TheSecondOrderOfLogSumExpSumsItsBroadcastOperandsBackAlongTheSlices(HessianVectorMethod method, int[] axes)
    {
        // Reducing axis 0 of the transpose is reducing axis 1 of x: the same rows, through the general-axes path.
        bool transposed = axes[0] == 0;
        var x = Tensor.FromArray(Enumerable.Range(0, 12).Select(i => Math.Sin(i)).ToArray(), 3, 4);
        var v = Tensor.FromArray(Enumerable.Range(0, 12).Select(i => Math.Cos(i)).ToArray(), 3, 4);

        var hvp = AutoDiff.HessianVectorProduct(t => (transposed ? t.Permute(1, 0) : t).LogSumExp(axes).Square().Sum(), x, v, method);

        // f = Σᵣ yᵣ² with yᵣ = lse(xᵣ): ∇²f·v = 2·(pᵣ·(pᵣ·vᵣ)) + 2·yᵣ·(pᵣ ⊙ vᵣ − pᵣ·(pᵣ·vᵣ)), p the row's softmax.
        for (int row = 0; row < 3; row++)
        {
            var values = Enumerable.Range(0, 4).Select(c => x.ToArray()[row * 4 + c]).ToArray();
            double max = values.Max();
            double lse = max + Math.Log(values.Sum(value => Math.Exp(value - max)));
            var p = values.Select(value => Math.Exp(value - lse)).ToArray();
            var vr = Enumerable.Range(0, 4).Select(c => v.ToArray()[row * 4 + c]).ToArray();
            double pv = p.Zip(vr, (a, b) => a * b).Sum();
            for (int c = 0; c < 4; c++)
            {
                double expected = 2 * p[c] * pv + 2 * lse * (p[c] * vr[c] - p[c] * pv);
                Assert.Equal(expected, hvp.ToArray()[row * 4 + c], 1e-12);
            }
        }
    }

    [Fact]
    public void ARuleOfAnOpThatDoesNotBroadcastMustReturnTheInputsShape()
    {
        var a = Tensor.FromArray([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 2, 3).RequireGrad();
        var b = Tensor.FromArray([0.5, -1.0, 2.0], 3).RequireGrad();

        var error = Assert.Throws<InvalidOperationException>(() => new BroadcastingProduct().Apply(a, b).Sum().Backward());

        Assert.Contains("'BroadcastingProduct'", error.Message, StringComparison.Ordinal);
        Assert.Contains("input 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("[2, 3]", error.Message, StringComparison.Ordinal);
        Assert.Contains("[3]", error.Message, StringComparison.Ordinal);
        Assert.Null(b.Grad);
    }

    /// <summary>a·b under broadcasting whose backward forgets to sum b's gradient back to b's shape.</summary>
    private sealed class BroadcastingProduct() : CustomOperation<double>("BroadcastingProduct")
    {
        protected override Tensor<double> Forward(IReadOnlyList<Tensor<double>> inputs) => inputs[0] * inputs[1];

        protected override IReadOnlyList<Tensor<double>?> Backward(CustomBackward<double> context) =>
            [context.OutputGradient * context.Inputs[1], context.OutputGradient * context.Inputs[0]];
    }

    /// <summary>The small operand (broadcast by the op) and the other operand, with values inside every op's domain and no ties.</summary>
    private static (Tensor<double> Small, Tensor<double> Other) Operands(string op)
    {
        var small = Tensor.FromArray([0.75, 1.5, 2.25], s_small.ToArray());
        var otherShape = op == "MatMul" ? new Shape(2, 1, 5) : s_full;
        var other = Tensor.FromArray(Enumerable.Range(0, otherShape.Length).Select(i => 0.5 + 0.37 * ((i * 7) % 11)).ToArray(), otherShape.ToArray());
        return (small, other);
    }

    /// <summary>The shape the op broadcasts the small operand to (for MatMul, the batch axes of the other operand).</summary>
    private static Shape BroadcastShape(string op) => op == "MatMul" ? new Shape(2, 3, 1) : s_full;

    private static Tensor<double> Apply(string op, Tensor<double> a, Tensor<double> b) => op switch
    {
        "Add" => a + b,
        "Multiply" => a * b,
        "Divide" => a / b,
        "Where" => Tensor<double>.Where(Tensor.FromArray([1.0, 0.0, 1.0, 0.0], 4), a, b),
        "Pow" => a.Pow(b),
        "Maximum" => a.Maximum(b),
        "MatMul" => a.MatMul(b),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown op"),
    };
}
