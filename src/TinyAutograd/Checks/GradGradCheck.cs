using System.Numerics;

namespace TinyAutograd.Checks;

/// <summary>
/// Checks a function's second derivatives, in the spirit of PyTorch's <c>torch.autograd.gradgradcheck</c>: its full
/// Hessian by both exact Hessian-vector methods (reverse-over-reverse only with <see cref="CheckOptions.ReverseModeOnly"/>), each element against finite differences of the autodiff gradient (see <see cref="CheckOptions"/>).
/// </summary>
/// <remarks>
/// Element (a, c) of the Hessian, ∂²f/∂x[a]∂x[c], is compared with (∇f(x + h·e_c)[a] − ∇f(x − h·e_c)[a]) / 2h and
/// passes when |autodiff − numeric| ≤ atol + rtol·|numeric| + the estimated error of numeric. For a non-scalar f the check runs on ⟨u, f⟩ with a
/// seeded random u, which checks the derivative of every vector–Jacobian product. Run <see cref="GradCheck"/> first:
/// this check trusts the gradient it differentiates. Cost: two Hessian-vector products and two gradients per input
/// element; meant for small inputs.
/// </remarks>
public static class GradGradCheck
{
    private const string Name = "GradGradCheck";

    /// <summary>Checks the second derivatives of a function of one tensor at <paramref name="input"/>.</summary>
    /// <exception cref="ArgumentException">The input is float32 and <see cref="CheckOptions.AllowSinglePrecision"/> is
    /// off, or the options are unusable.</exception>
    public static CheckReport Run<T>(Func<Tensor<T>, Tensor<T>> function, Tensor<T> input, CheckOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(input);
        return Run(inputs => function(inputs[0]), [input], options);
    }

    /// <summary>Checks the second derivatives of a function of several tensors, all pairs of inputs included.</summary>
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
        var scalar = function;
        var outputs = ValueOrigin.Trace(xs => [function(xs)], inputs);
        if (outputs[0].Length != 1)
        {
            var cotangent = new RandomSource(options.Seed).Normal<T>(outputs[0].Shape.ToArray());
            scalar = xs => (function(xs) * cotangent).Sum();
            notes.Add($"f has shape {outputs[0].Shape}, so the second derivatives checked are those of <u, f> for a standard normal u (seed {options.Seed}).");
        }
        string? origin = ValueOrigin.Of(outputs[0], 0) is { } made ? $"output f was made by {made}" : null;
        var methods = options.HessianVectorMethods;
        var recorder = new CheckRecorder(Name,
            $"exact Hessian ({(options.ReverseModeOnly ? "reverse-over-reverse only" : "both Hessian-vector methods")}) against finite differences of the gradient for f({layout.Describe()})", options, notes);
        int point = recorder.AddPoint(CheckText.Point(layout.Names, inputs));
        var hessians = methods.Select(method => ForwardRule.Required(Name, () => AutoDiff.Hessian(scalar, inputs, method))).ToArray();
        var gradients = FiniteDifferences.Gradients(scalar);
        for (int column = 0; column < layout.Count; column++)
        {
            var numeric = FiniteDifferences.AlongElement(gradients, inputs, layout, column, options);
            var (j, k) = layout.Locate(column);
            for (int row = 0; row < layout.Count; row++)
            {
                var (i, a) = layout.Locate(row);
                for (int m = 0; m < methods.Length; m++)
                {
                    double autoDiff = double.CreateChecked(hessians[m][i][j].Data[a * inputs[j].Length + k]);
                    recorder.Compare(ElementId.Second($"∂²f/∂{layout.Element(row)}∂{layout.Element(column)} ({CheckText.Method(methods[m])})", layout, row, column),
                        point, hand: null, autoDiff, numeric, row, origin);
                }
            }
        }
        return recorder.Build();
    }
}
