using System.Numerics;

namespace TinyAutograd.Checks;

/// <summary>
/// Checks a function's first derivatives, in the spirit of PyTorch's <c>torch.autograd.gradcheck</c>: its full Jacobian by
/// reverse mode and by forward mode (reverse only with <see cref="CheckOptions.ReverseModeOnly"/>), each element against
/// finite differences (see <see cref="CheckOptions"/>).
/// </summary>
/// <remarks>
/// Element (r, c) of the Jacobian, ∂f[r]/∂x[c], is compared with (f(x + h·e_c)[r] − f(x − h·e_c)[r]) / 2h and passes
/// when |autodiff − numeric| ≤ atol + rtol·|numeric| + the estimated error of numeric. A failure means a derivative rule the function relies on is
/// wrong — typically a hand-made gradient trick built with <see cref="Tensor{T}.Detach"/> — or that f is not
/// differentiable at the point. Cost: one evaluation per output element, one per input element, and two more per
/// input element for the differences; meant for small inputs.
/// </remarks>
public static class GradCheck
{
    private const string Name = "GradCheck";

    /// <summary>Checks the derivatives of a function of one tensor at <paramref name="input"/>.</summary>
    /// <exception cref="ArgumentException">The input is float32 and <see cref="CheckOptions.AllowSinglePrecision"/> is
    /// off, or the options are unusable.</exception>
    public static CheckReport Run<T>(Func<Tensor<T>, Tensor<T>> function, Tensor<T> input, CheckOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(input);
        return Run(inputs => function(inputs[0]), [input], options);
    }

    /// <summary>Checks the derivatives of a function of several tensors with respect to every input.</summary>
    /// <exception cref="ArgumentException">The inputs are float32 and <see cref="CheckOptions.AllowSinglePrecision"/> is
    /// off, the options are unusable, or no inputs were given.</exception>
    /// <exception cref="ArithmeticException">f produced NaN or infinity at the point; f runs once under
    /// <see cref="AnomalyMode"/>, whose message names the op and the source line.</exception>
    public static CheckReport Run<T>(Func<Tensor<T>[], Tensor<T>> function, Tensor<T>[] inputs, CheckOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(inputs);
        options ??= CheckOptions.Default;
        var notes = options.Validate<T>(Name);
        var layout = InputLayout.Of(inputs, Name);
        var outputs = ValueOrigin.Trace(xs => [function(xs)], inputs);
        var output = outputs[0];
        var origins = Enumerable.Range(0, output.Length)
            .Select(row => ValueOrigin.Of(output, row) is { } made ? $"output {OutputElement(output, row)} was made by {made}" : null)
            .ToArray();
        var recorder = new CheckRecorder(Name,
            $"autodiff ({(options.ReverseModeOnly ? "reverse mode only" : "reverse and forward mode")}) against finite differences for f({layout.Describe()}) -> {output.Shape}", options, notes);
        int point = recorder.AddPoint(CheckText.Point(layout.Names, inputs));
        JacobianMode[] modes = options.ReverseModeOnly ? [JacobianMode.Reverse] : [JacobianMode.Reverse, JacobianMode.Forward];
        var jacobians = modes.Select(mode => ForwardRule.Required(Name, () => AutoDiff.Jacobian(function, inputs, mode))).ToArray();
        var values = FiniteDifferences.Values(function);
        for (int column = 0; column < layout.Count; column++)
        {
            var numeric = FiniteDifferences.AlongElement(values, inputs, layout, column, options);
            var (input, element) = layout.Locate(column);
            for (int row = 0; row < output.Length; row++)
            {
                for (int m = 0; m < modes.Length; m++)
                {
                    double autoDiff = double.CreateChecked(jacobians[m][input].Data[row * inputs[input].Length + element]);
                    var id = ElementId.Of($"∂{OutputElement(output, row)}/∂{layout.Element(column)} ({modes[m].ToString().ToLowerInvariant()} mode)",
                        layout, column, output.Rank == 0 ? null : CheckText.Unravel(output.Shape, row));
                    recorder.Compare(id, point, hand: null, autoDiff, numeric, row, origins[row]);
                }
            }
        }
        return recorder.Build();
    }

    /// <summary>An element of f's output by name: <c>f</c> for a scalar output, <c>f[1]</c> otherwise.</summary>
    private static string OutputElement<T>(Tensor<T> output, int flat)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        output.Rank == 0 ? "f" : CheckText.Element("f", CheckText.Unravel(output.Shape, flat));
}
