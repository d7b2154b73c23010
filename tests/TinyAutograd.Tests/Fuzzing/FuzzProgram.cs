using System.Globalization;
using System.Text;

namespace TinyAutograd.Tests.Fuzzing;

/// <summary>
/// A random differentiable program: input leaves, operations on earlier values (with fan-out and reuse), and a scalar
/// output Σ ⟨wᵥ, v⟩ over every value nothing else reads, with fixed random weights w (so no value is dead and no
/// gradient cancels by symmetry, as it would under a plain sum of a softmax).
/// </summary>
internal sealed class FuzzProgram(IReadOnlyList<FuzzStep> steps, IReadOnlyList<double[]> inputValues, IReadOnlyList<(int Value, double[] Weights)> sinks, IReadOnlyList<double[]> direction)
{
    /// <summary>Every value in order: input leaves and operations.</summary>
    public IReadOnlyList<FuzzStep> Steps => steps;

    /// <summary>The values of each input leaf, by input index.</summary>
    public IReadOnlyList<double[]> InputValues => inputValues;

    /// <summary>The values read by nothing, each with the weights of its term in the output.</summary>
    public IReadOnlyList<(int Value, double[] Weights)> Sinks => sinks;

    /// <summary>A direction per input, for the Jacobian–vector and Hessian-vector products.</summary>
    public IReadOnlyList<double[]> Direction => direction;

    /// <summary>The input leaves' shapes, by input index.</summary>
    public Shape[] InputShapes => [.. steps.Where(step => step.IsInput).OrderBy(step => step.Input).Select(step => step.Result)];

    /// <summary>Fresh tensors holding the inputs' values (shifted by <paramref name="shift"/> times the direction, if given).</summary>
    public Tensor<double>[] Inputs(double shift = 0) =>
        [.. InputShapes.Select((shape, i) => new Tensor<double>(shape, [.. inputValues[i].Select((value, j) => value + shift * direction[i][j])]))];

    /// <summary>The direction as tensors shaped like the inputs.</summary>
    public Tensor<double>[] Directions() => [.. InputShapes.Select((shape, i) => new Tensor<double>(shape, (double[])direction[i].Clone()))];

    /// <summary>Runs the program on <paramref name="inputs"/>; records its kinks into <paramref name="signature"/> when given.</summary>
    /// <param name="inputs">One tensor per input leaf.</param>
    /// <param name="signature">Collects the side of every kink, or null.</param>
    /// <param name="allFinite">Set to false when any value of the program is out of <see cref="IsInRange"/>.</param>
    /// <param name="jitter">Perturbs every computed value by a few units in its last place, or null.</param>
    public Tensor<double> Evaluate(Tensor<double>[] inputs, FuzzSignature? signature, ref bool allFinite, FuzzJitter? jitter = null)
    {
        var values = new Tensor<double>[steps.Count];
        for (int i = 0; i < values.Length; i++)
        {
            var step = steps[i];
            values[i] = step.IsInput ? inputs[step.Input] : FuzzInterpreter.Apply(step, values, signature, ref allFinite);
            if (jitter is not null && !step.IsInput)
            {
                values[i] *= jitter.Factor(i);
            }
            foreach (double value in values[i].Data)
            {
                allFinite &= IsInRange(value);
            }
        }
        Tensor<double>? output = null;
        foreach (var (value, weights) in sinks)
        {
            var term = (values[value] * new Tensor<double>(values[value].Shape, (double[])weights.Clone())).Sum();
            if (jitter is not null)
            {
                term *= jitter.Factor(steps.Count + value);
            }
            output = output is null ? term : output + term;
        }
        return output!;
    }

    /// <summary>
    /// Whether a value of the program leaves its derivatives to ordinary arithmetic: finite and at most 10¹⁰⁰ in size.
    /// Beyond that, the products that form derivatives overflow where the exact ones are ordinary, and 0·∞ makes a NaN
    /// (a tanh-form GELU of 10¹¹³: its forward-over-reverse tangent multiplies σ′ = 0 by a slope of 10³⁴²), as in any
    /// library that evaluates the same formulas; the library's own range fixes are tested on their own.
    /// </summary>
    public static bool IsInRange(double value) => Math.Abs(value) <= 1e100;

    /// <summary>Runs the program when only its output matters.</summary>
    public Tensor<double> Evaluate(Tensor<double>[] inputs)
    {
        bool ignored = true;
        return Evaluate(inputs, null, ref ignored);
    }

    /// <summary>The program as a listing with every number in round-trip form, enough to rebuild it by hand.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"program with {InputShapes.Length} inputs and {steps.Count - InputShapes.Length} operations:");
        for (int i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            text.AppendLine(step.IsInput
                ? $"  v{i} = input {step.Input} {step.Result} = {Numbers(inputValues[step.Input])}"
                : $"  v{i} = {FuzzInterpreter.Describe(step)}");
        }
        text.AppendLine("  output = " + string.Join(" + ", sinks.Select(sink => $"sum(v{sink.Value} * w{sink.Value})")));
        foreach (var (value, weights) in sinks)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  w{value} = {Numbers(weights)}");
        }
        for (int i = 0; i < direction.Count; i++)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  direction {i} = {Numbers(direction[i])}");
        }
        return text.ToString();
    }

    private static string Numbers(double[] values) => "[" + string.Join(", ", values.Select(FuzzInterpreter.Number)) + "]";
}
