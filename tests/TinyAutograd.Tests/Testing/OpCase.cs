using FsCheck;
using FsCheck.Fluent;
using static System.FormattableString;

namespace TinyAutograd.Tests.Testing;

/// <summary>
/// One op applied to concrete inputs, as the property tests differentiate it: the op as a function of all its
/// differentiable inputs (integer arguments such as axes or labels are fixed inside the function), the inputs, and
/// fixed weights that reduce the op's output to a scalar so that every output element matters.
/// </summary>
public sealed class OpCase
{
    private OpCase(string name, Func<Tensor<double>[], Tensor<double>> function, Tensor<double>[] inputs, Tensor<double> weights)
    {
        Name = name;
        Function = function;
        Inputs = inputs;
        Weights = weights;
    }

    /// <summary>The op's name and fixed arguments, e.g. <c>Sum(axes [1], keepDims)</c>; failure messages start with it.</summary>
    public string Name { get; }

    /// <summary>The op itself: its output for the given inputs (any shape).</summary>
    public Func<Tensor<double>[], Tensor<double>> Function { get; }

    /// <summary>The point at which the op is differentiated. Treat as read-only; checks work on clones.</summary>
    public Tensor<double>[] Inputs { get; }

    /// <summary>Nonzero weights of the output's shape.</summary>
    public Tensor<double> Weights { get; }

    /// <summary>The scalar Σ weights ⊙ op(inputs): its gradient is the VJP of the op with the weights as cotangent.</summary>
    public Tensor<double> Scalarized(Tensor<double>[] inputs) => (Function(inputs) * Weights).Sum();

    /// <summary>
    /// The case for <paramref name="inputs"/>: evaluates the op once (unrecorded) to learn its output shape, then draws
    /// weights of that shape from <see cref="Values.Weight"/>.
    /// </summary>
    public static Gen<OpCase> Of(string name, Func<Tensor<double>[], Tensor<double>> function, params Tensor<double>[] inputs)
    {
        Shape output;
        using (GradMode.Disable())
        {
            output = function(inputs).Shape;
        }
        return TensorGen.Of(output, Values.Weight).Select(weights => new OpCase(name, function, inputs, weights));
    }

    /// <summary>Shows the op, each input's shape and values, and the weights (FsCheck prints this for a counterexample).</summary>
    public override string ToString()
    {
        var parts = Inputs.Select((x, i) => Invariant($"input {i} {x.Shape} = [{string.Join(", ", x.ToArray().Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}]"));
        return $"{Name}: {string.Join("; ", parts)}; weights {Weights.Shape}";
    }
}
