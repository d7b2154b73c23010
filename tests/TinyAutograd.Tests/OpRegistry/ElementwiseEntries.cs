using FsCheck;
using FsCheck.Fluent;
using TinyAutograd.Tests.Testing;
using static System.FormattableString;

namespace TinyAutograd.Tests.OpRegistry;

/// <summary>Registry entries of the elementwise ops: unary, with a scalar constant, and binary with NumPy broadcasting.</summary>
internal static class ElementwiseEntries
{
    /// <summary>
    /// The vectorized exp, log, tanh, σ and softplus against <see cref="Math"/>: each is good to a few ulps
    /// (2.2e-16 relative each); 1e-14 relative (plus 1e-15 near 0) leaves room for the composed ones.
    /// </summary>
    private static readonly Tolerance Transcendental = new(1e-15, 1e-14);

    private static readonly Tolerance Exact = new(0, 0);

    public static IEnumerable<OpInfo> All()
    {
        yield return Unary("Negate", Exact, Domain.General, x => -x,
            ("-x", x => -x), ("x.Negate()", x => x.Negate())) with
        { Members = ["Tensor<T>.op_UnaryNegation(Tensor<T>)", "Tensor<T>.Negate()"] };
        yield return Unary("Exp", Transcendental, Domain.General, Math.Exp, ("Exp()", x => x.Exp()));
        yield return Unary("Log", Transcendental, Domain.Positive, Math.Log, ("Log()", x => x.Log()));
        yield return Unary("Sqrt", Exact, Domain.Positive, Math.Sqrt, ("Sqrt()", x => x.Sqrt()));
        yield return Unary("Square", Exact, Domain.General, x => x * x, ("Square()", x => x.Square()));
        yield return Unary("Reciprocal", Exact, Domain.NonZero, x => 1 / x, ("Reciprocal()", x => x.Reciprocal()));
        yield return Unary("Sigmoid", Transcendental, Domain.General, x => 1 / (1 + Math.Exp(-x)), ("Sigmoid()", x => x.Sigmoid()));
        yield return Unary("Tanh", Transcendental, Domain.General, Math.Tanh, ("Tanh()", x => x.Tanh()));
        yield return Unary("Softplus", Transcendental, Domain.General, x => Math.Log(1 + Math.Exp(x)), ("Softplus()", x => x.Softplus()));
        yield return WithKinkAtZero(Unary("Abs", Exact, Domain.AwayFromKinkAtZero, Math.Abs, ("Abs()", x => x.Abs())));
        yield return WithKinkAtZero(Unary("Relu", Exact, Domain.AwayFromKinkAtZero, x => Math.Max(x, 0), ("Relu()", x => x.Relu())));
        yield return Unary("Sin", Transcendental, Domain.General, Math.Sin, ("Sin()", x => x.Sin()));
        yield return Unary("Cos", Transcendental, Domain.General, Math.Cos, ("Cos()", x => x.Cos()));
        yield return Unary("Erf", Transcendental, Domain.General, Reference.Erf, ("Erf()", x => x.Erf()));
        yield return Unary("NormalCdf", Transcendental, Domain.General, Reference.NormalCdf, ("NormalCdf()", x => x.NormalCdf()));
        yield return Unary("Silu", Transcendental, Domain.General, x => x / (1 + Math.Exp(-x)), ("Silu()", x => x.Silu()));
        yield return Unary("Log1p", Transcendental, Domain.Positive, x => Math.Log(1 + x), ("Log1p()", x => x.Log1p()));
        yield return Unary("Expm1", Transcendental, Domain.General, x => Math.Exp(x) - 1, ("Expm1()", x => x.Expm1()));
        yield return Unary("Rsqrt", Transcendental, Domain.Positive, x => 1 / Math.Sqrt(x), ("Rsqrt()", x => x.Rsqrt()));
        yield return Unary("Gelu", new Tolerance(1e-14, 1e-14), Domain.General, x => x * 0.5 * (1 + Reference.Erf(x / Math.Sqrt(2))),
            ("Gelu()", x => x.Gelu())) with { Members = ["Tensor<T>.Gelu(GeluApproximation)"] };
        yield return Unary("GeluTanh", Transcendental, Domain.General, x => 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x))),
            ("Gelu(Tanh)", x => x.Gelu(GeluApproximation.Tanh))) with { Members = [] };
        yield return WithKinkAtZero(Unary("LeakyRelu", Exact, Domain.AwayFromKinkAtZero, x => x > 0 ? x : 0.2 * x,
            ("LeakyRelu(0.2)", x => x.LeakyRelu(0.2)))) with { Members = ["Tensor<T>.LeakyRelu(double)"] };
        yield return Clamp();
        yield return PowScalar();
        yield return ScalarOverTensor();
        yield return ScalarArithmetic();

        yield return Binary("Add", Exact, Domain.General, Domain.General, (a, b) => a + b, ("a + b", (a, b) => a + b), ("a.Add(b)", (a, b) => a.Add(b))) with
        { Members = ["Tensor<T>.op_Addition(Tensor<T>, Tensor<T>)", "Tensor<T>.Add(Tensor<T>)"] };
        yield return Binary("Subtract", Exact, Domain.General, Domain.General, (a, b) => a - b, ("a - b", (a, b) => a - b), ("a.Subtract(b)", (a, b) => a.Subtract(b))) with
        { Members = ["Tensor<T>.op_Subtraction(Tensor<T>, Tensor<T>)", "Tensor<T>.Subtract(Tensor<T>)"] };
        yield return Binary("Multiply", Exact, Domain.General, Domain.General, (a, b) => a * b, ("a * b", (a, b) => a * b), ("a.Multiply(b)", (a, b) => a.Multiply(b))) with
        { Members = ["Tensor<T>.op_Multiply(Tensor<T>, Tensor<T>)", "Tensor<T>.Multiply(Tensor<T>)"] };
        yield return Binary("Divide", Exact, Domain.General, Domain.NonZero, (a, b) => a / b, ("a / b", (a, b) => a / b), ("a.Divide(b)", (a, b) => a.Divide(b))) with
        { Members = ["Tensor<T>.op_Division(Tensor<T>, Tensor<T>)", "Tensor<T>.Divide(Tensor<T>)"] };
        // Math.Pow and the library's pow may differ in the last bits.
        yield return Binary("Pow", new Tolerance(0, 1e-14), Domain.Positive, Domain.Exponent, Math.Pow, ("a.Pow(b)", (a, b) => a.Pow(b))) with
        { Members = ["Tensor<T>.Pow(Tensor<T>)"] };
        yield return WithTies(Binary("Maximum", Exact, Domain.Lattice(odd: false), Domain.Lattice(odd: true), Math.Max, ("a.Maximum(b)", (a, b) => a.Maximum(b))));
        yield return WithTies(Binary("Minimum", Exact, Domain.Lattice(odd: false), Domain.Lattice(odd: true), Math.Min, ("a.Minimum(b)", (a, b) => a.Minimum(b))));
        yield return Where();
    }

    /// <summary>A unary op called in one of <paramref name="forms"/>, compared with <paramref name="reference"/> element by element.</summary>
    private static OpInfo Unary(string name, Tolerance tolerance, Domain domain, Func<double, double> reference,
        params (string Text, Func<Tensor<double>, Tensor<double>> Op)[] forms) =>
        new(name, [$"Tensor<T>.{name}()"], [domain], shape =>
            from form in Gen.Elements(forms)
            select new OpInvocation($"{form.Text} on {shape}", [shape], xs => form.Op(xs[0]), xs => Map(xs[0], reference)))
        { ForwardTolerance = tolerance };

    private static OpInfo WithKinkAtZero(OpInfo op) => op with
    {
        Avoid = "x = 0",
        Calls = shape => op.Calls(shape).Select(call => call with { Kinks = xs => xs[0] }),
    };

    /// <summary>A broadcasting binary op; operand 1 has a random shape that broadcasts with operand 0's.</summary>
    private static OpInfo Binary(string name, Tolerance tolerance, Domain left, Domain right, Func<double, double, double> reference,
        params (string Text, Func<Tensor<double>, Tensor<double>, Tensor<double>> Op)[] forms) =>
        new(name, [], [left, right], shape =>
            from partner in Shapes.BroadcastPartner(shape)
            from form in Gen.Elements(forms)
            select new OpInvocation($"{form.Text} on {shape} and {partner}", [shape, partner], xs => form.Op(xs[0], xs[1]), xs => Reference.Broadcast(xs[0], xs[1], reference)))
        { ForwardTolerance = tolerance, Members = [$"Tensor<T>.{name}(Tensor<T>)"] };

    private static OpInfo WithTies(OpInfo op) => op with
    {
        Avoid = "ties a = b",
        Calls = shape => op.Calls(shape).Select(call => call with { Kinks = xs => xs[0] - xs[1] }),
    };

    /// <summary>x.Pow(p) for a constant p, on positive bases (where xᵖ is real for every p).</summary>
    private static OpInfo PowScalar() =>
        new("PowScalar", ["Tensor<T>.Pow(double)"], [Domain.Positive], shape =>
            from p in Gen.Elements(-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 2.7, 3.0)
            select new OpInvocation(Invariant($"Pow({p}) on {shape}"), [shape], xs => xs[0].Pow(p), xs => Map(xs[0], x => Math.Pow(x, p))))
        { ForwardTolerance = new Tolerance(0, 1e-14) };

    /// <summary>Clamp to [−1.1, 1.1] on the even lattice, whose values keep 0.06 away from both bounds (the kinks).</summary>
    private static OpInfo Clamp() =>
        new("Clamp", ["Tensor<T>.Clamp(double, double)"], [Domain.Lattice(odd: false)], shape =>
            Gen.Constant(new OpInvocation($"Clamp(-1.1, 1.1) on {shape}", [shape], xs => xs[0].Clamp(-1.1, 1.1), xs => Map(xs[0], x => Math.Clamp(x, -1.1, 1.1)))
            {
                Kinks = xs => (xs[0] - 1.1) * (xs[0] + 1.1),
            }))
        { ForwardTolerance = Exact, Avoid = "x = ±1.1" };

    /// <summary>c / x for a constant c.</summary>
    private static OpInfo ScalarOverTensor() =>
        new("ScalarOverTensor", ["Tensor<T>.op_Division(double, Tensor<T>)"], [Domain.NonZero], shape =>
            from c in Values.General
            select new OpInvocation(Invariant($"{c} / x on {shape}"), [shape], xs => c / xs[0], xs => Map(xs[0], x => c / x)));

    /// <summary>The tensor–scalar operators x + c, c + x, x − c, c − x, x·c, c·x and x / c.</summary>
    private static OpInfo ScalarArithmetic()
    {
        (string Text, Func<Tensor<double>, double, Tensor<double>> Op, Func<double, double, double> Reference)[] forms =
        [
            ("x + c", (x, c) => x + c, (x, c) => x + c),
            ("c + x", (x, c) => c + x, (x, c) => c + x),
            ("x - c", (x, c) => x - c, (x, c) => x - c),
            ("c - x", (x, c) => c - x, (x, c) => c - x),
            ("x * c", (x, c) => x * c, (x, c) => x * c),
            ("c * x", (x, c) => c * x, (x, c) => c * x),
            ("x / c", (x, c) => x / c, (x, c) => x / c),
        ];
        return new("ScalarArithmetic",
            [
                "Tensor<T>.op_Addition(Tensor<T>, double)", "Tensor<T>.op_Addition(double, Tensor<T>)",
                "Tensor<T>.op_Subtraction(Tensor<T>, double)", "Tensor<T>.op_Subtraction(double, Tensor<T>)",
                "Tensor<T>.op_Multiply(Tensor<T>, double)", "Tensor<T>.op_Multiply(double, Tensor<T>)",
                "Tensor<T>.op_Division(Tensor<T>, double)",
            ],
            [Domain.General],
            shape =>
                from form in Gen.Elements(forms)
                from c in Values.AwayFromZero
                select new OpInvocation(Invariant($"{form.Text} with c = {c} on {shape}"), [shape], xs => form.Op(xs[0], c), xs => Map(xs[0], x => form.Reference(x, c))));
    }

    /// <summary>Where(condition, a, b) with a constant condition (0 false; 1 or −2 true), all three broadcast.</summary>
    private static OpInfo Where() =>
        new("Where", ["Tensor<T>.Where(Tensor<T>, Tensor<T>, Tensor<T>)", "Tensor.Where(Tensor<T>, Tensor<T>, Tensor<T>)"], [Domain.General, Domain.General], shape =>
            from partner in Shapes.BroadcastPartner(shape)
            from conditionShape in Shapes.BroadcastingTo(Reference.BroadcastShape(shape, partner))
            from condition in TensorGen.Of(conditionShape, Gen.Elements(0.0, 1.0, -2.0))
            from viaGeneric in Gen.Elements(false, true)
            select new OpInvocation(
                $"{(viaGeneric ? "Tensor<double>.Where" : "Tensor.Where")}(condition {conditionShape} = [{string.Join(", ", condition.ToArray())}], a {shape}, b {partner})",
                [shape, partner],
                xs => viaGeneric ? Tensor<double>.Where(condition, xs[0], xs[1]) : Tensor.Where(condition, xs[0], xs[1]),
                xs => NdIndex.Build(Reference.BroadcastShape(conditionShape, Reference.BroadcastShape(shape, partner)),
                    index => NdIndex.AtBroadcast(condition, index) != 0 ? NdIndex.AtBroadcast(xs[0], index) : NdIndex.AtBroadcast(xs[1], index))));

    /// <summary>f applied to every element of <paramref name="x"/>, in a plain loop over doubles.</summary>
    public static Tensor<double> Map(Tensor<double> x, Func<double, double> f)
    {
        var values = x.ToArray();
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = f(values[i]);
        }
        return NdIndex.TensorOf(x.Shape, values);
    }
}
