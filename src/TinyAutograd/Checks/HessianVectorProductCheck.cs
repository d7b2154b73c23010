using System.Numerics;

namespace TinyAutograd.Checks;

/// <summary>
/// Checks exact Hessian-vector products (both methods) against finite differences of gradients (see <see cref="CheckOptions"/>), without ever
/// forming the Hessian: usable on models with many parameters.
/// </summary>
/// <remarks>
/// (∇²f(x)·v)[a] is compared with (∇f(x + h·v)[a] − ∇f(x − h·v)[a]) / 2h and passes when
/// |autodiff − numeric| ≤ atol + rtol·|numeric|. Cost: two Hessian-vector products and two gradients.
/// </remarks>
public static class HessianVectorProductCheck
{
    private const string Name = "HessianVectorProductCheck";

    /// <summary>Checks ∇²f(x)·v for a scalar function of one tensor; v defaults to a seeded standard normal vector.</summary>
    /// <exception cref="ArgumentException">f is not scalar, v's shape differs from x's, the input is float32 and
    /// <see cref="CheckOptions.AllowSinglePrecision"/> is off, or the options are unusable.</exception>
    public static CheckReport Run<T>(Func<Tensor<T>, Tensor<T>> function, Tensor<T> input, Tensor<T>? vector = null, CheckOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(input);
        return Run(inputs => function(inputs[0]), [input], vector is null ? null : [vector], options);
    }

    /// <summary>Checks the Hessian-vector product of a scalar function of several tensors, v given per input (default:
    /// seeded standard normal vectors).</summary>
    /// <exception cref="ArgumentException">f is not scalar, the vectors do not match the inputs, the inputs are float32
    /// and <see cref="CheckOptions.AllowSinglePrecision"/> is off, or the options are unusable.</exception>
    public static CheckReport Run<T>(Func<Tensor<T>[], Tensor<T>> function, Tensor<T>[] inputs, Tensor<T>[]? vectors = null, CheckOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(inputs);
        options ??= CheckOptions.Default;
        var notes = options.Validate<T>(Name);
        var layout = InputLayout.Of(inputs, Name);
        if (vectors is null)
        {
            var random = new RandomSource(options.Seed);
            vectors = [.. inputs.Select(input => random.Normal<T>(input.Shape.ToArray()))];
            notes.Add($"v was drawn from a standard normal distribution (seed {options.Seed}).");
        }
        var methods = options.HessianVectorMethods;
        var recorder = new CheckRecorder(Name,
            $"exact Hessian-vector products ({(options.ReverseModeOnly ? "reverse-over-reverse only" : "both methods")}) against finite differences of the gradient along v for f({layout.Describe()})", options, notes);
        int point = recorder.AddPoint(CheckText.Point(layout.Names, inputs));
        var products = methods.Select(method => FiniteDifferences.Flatten(ForwardRule.Required(Name, () => AutoDiff.HessianVectorProduct(function, inputs, vectors, method)))).ToArray();
        var numeric = FiniteDifferences.Directional(FiniteDifferences.Gradients(function), inputs, vectors, options);
        for (int row = 0; row < layout.Count; row++)
        {
            for (int m = 0; m < methods.Length; m++)
            {
                recorder.Compare(ElementId.Of($"(∇²f·v) for {layout.Element(row)} ({CheckText.Method(methods[m])})", layout, row),
                    point, hand: null, products[m][row], numeric, row, origin: null);
            }
        }
        return recorder.Build();
    }
}
