using FsCheck;
using FsCheck.Fluent;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.OpRegistry;

/// <summary>
/// Where one operand of an op may be evaluated: a sampler of tensors inside the domain (kept clear of poles, domain
/// edges, kinks and ties, so that finite differences are valid) and a differentiable map from any real tensor into
/// the domain, with which random programs feed one op's result into the next.
/// </summary>
/// <param name="Name">The domain as a reader sees it, e.g. <c>[0.5, 3]</c>.</param>
/// <param name="Sample">Tensors of a shape with values in the domain.</param>
/// <param name="FromReal">A differentiable map from any real tensor into the domain (the identity where the op is defined everywhere).</param>
/// <param name="FromRealText"><paramref name="FromReal"/> as a formula in {x}, e.g. <c>softplus({x}) + 0.5</c>.</param>
public sealed record Domain(string Name, Func<Shape, Gen<Tensor<double>>> Sample, Func<Tensor<double>, Tensor<double>> FromReal, string FromRealText)
{
    /// <summary>[−3, 3]: smooth ops defined everywhere.</summary>
    public static Domain General { get; } = Elementwise("[−3, 3]", Values.General, x => x, "{x}");

    /// <summary>[0.5, 3]: log, sqrt and the base of a power, away from 0; reached from the reals by softplus(x) + 0.5.</summary>
    public static Domain Positive { get; } = Elementwise("[0.5, 3]", Values.Positive, x => x.Softplus() + 0.5, "softplus({x}) + 0.5");

    /// <summary>±[0.2, 3]: away from the pole of 1/x at 0; reached from the reals by x² + 0.5.</summary>
    public static Domain NonZero { get; } = Elementwise("±[0.2, 3] (away from the pole at 0)", Values.AwayFromZero, x => x.Square() + 0.5, "{x}² + 0.5");

    /// <summary>±[0.2, 3]: away from a kink at 0 (abs, relu); the op is defined everywhere.</summary>
    public static Domain AwayFromKinkAtZero { get; } = Elementwise("±[0.2, 3] (away from the kink at 0)", Values.AwayFromZero, x => x, "{x}");

    /// <summary>[−2, 2]: exponents of a power; reached from the reals by 2·tanh(x).</summary>
    public static Domain Exponent { get; } = Elementwise("[−2, 2]", Values.Uniform(-2, 2), x => x.Tanh() * 2.0, "2·tanh({x})");

    /// <summary>[0, 1]: probabilities; reached from the reals by σ(x).</summary>
    public static Domain Probability { get; } = Elementwise("[0, 1]", Values.Probability, x => x.Sigmoid(), "σ({x})");

    /// <summary>Pairwise distinct values at least 0.15 apart, so every maximum is unique (no ties).</summary>
    public static Domain Distinct { get; } = new("distinct values (no ties)", TensorGen.Distinct, x => x, "{x}");

    /// <summary>Rows that are probability distributions (positive, summing to 1); reached from the reals by softmax over the last axis.</summary>
    public static Domain Distributions { get; } = new(
        "rows of probabilities",
        shape => TensorGen.Of(shape, Values.Uniform(0.05, 1)).Select(x => x / x.Sum(-1, keepDims: true)),
        x => x.Softmax(-1),
        "softmax({x}, axis −1)");

    /// <summary>
    /// The even (<paramref name="odd"/> false) or odd lattice of <see cref="Values.Lattice"/>: an operand from each never
    /// ties with the other, so maximum and minimum never sit on their kink.
    /// </summary>
    public static Domain Lattice(bool odd) => Elementwise(odd ? "odd lattice" : "even lattice", Values.Lattice(odd), x => x, "{x}");

    /// <summary>Independent elements drawn from <paramref name="values"/>.</summary>
    public static Domain Elementwise(string name, Gen<double> values, Func<Tensor<double>, Tensor<double>> fromReal, string fromRealText) =>
        new(name, shape => TensorGen.Of(shape, values), fromReal, fromRealText);

    /// <summary>How <paramref name="operand"/> is mapped into the domain, e.g. <c>softplus(v3) + 0.5</c>.</summary>
    public string Mapped(string operand) => FromRealText.Replace("{x}", operand, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override string ToString() => Name;
}
