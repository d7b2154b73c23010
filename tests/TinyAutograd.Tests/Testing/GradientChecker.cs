namespace TinyAutograd.Tests.Testing;

/// <summary>
/// Checks reverse-mode gradients of a scalar function of several tensors against central finite differences.
/// </summary>
/// <remarks>
/// Usage: <c>GradientChecker.Check("Exp", xs => xs[0].Exp().Sum(), [x], new Tolerance(1e-8, 1e-6));</c>.
/// The analytic side runs <see cref="Tensor{T}.Backward(bool?, bool)"/> on fresh leaves (clones of the inputs); the
/// numeric side evaluates the function unrecorded at perturbed copies (see <see cref="FiniteDifferences"/>).
/// </remarks>
public static class GradientChecker
{
    /// <summary>
    /// Throws, naming <paramref name="op"/>, the input, the worst element's index, the analytic and numeric values and
    /// the tolerance, unless every gradient element agrees with its finite difference.
    /// </summary>
    public static void Check(string op, Func<Tensor<double>[], Tensor<double>> function, Tensor<double>[] inputs, Tolerance tolerance)
    {
        var analytic = Analytic(function, inputs);
        var numeric = FiniteDifferences.Gradient(values => EvaluateScalar(function, inputs, values), ValuesOf(inputs));
        for (int i = 0; i < inputs.Length; i++)
        {
            ElementwiseComparison.Require($"{op}: gradient of input {i}", inputs[i].Shape, analytic[i], numeric[i], tolerance);
        }
    }

    /// <summary>∂f/∂xᵢ by one backward pass from fresh leaves; zeros for inputs that f does not depend on.</summary>
    /// <exception cref="ArgumentException">The function's result is not a single element.</exception>
    public static double[][] Analytic(Func<Tensor<double>[], Tensor<double>> function, Tensor<double>[] inputs)
    {
        var leaves = inputs.Select(x => x.Clone().RequireGrad()).ToArray();
        Tensor<double> value;
        using (GradMode.Enable())
        {
            value = function(leaves);
        }
        if (value.Length != 1)
        {
            throw new ArgumentException($"GradientChecker: the function returned shape {value.Shape}; it must return a single element.", nameof(function));
        }
        if (value.RequiresGrad)
        {
            value.Backward();
        }
        return leaves.Select(leaf => leaf.Grad?.ToArray() ?? new double[leaf.Length]).ToArray();
    }

    /// <summary>The function's single value at <paramref name="values"/> (shaped like <paramref name="like"/>), unrecorded.</summary>
    public static double EvaluateScalar(Func<Tensor<double>[], Tensor<double>> function, Tensor<double>[] like, double[][] values) =>
        Evaluate(function, like, values).ToScalar();

    /// <summary>The function's output at <paramref name="values"/> (shaped like <paramref name="like"/>), unrecorded.</summary>
    public static Tensor<double> Evaluate(Func<Tensor<double>[], Tensor<double>> function, Tensor<double>[] like, double[][] values)
    {
        using (GradMode.Disable())
        {
            return function(TensorsAt(like, values));
        }
    }

    /// <summary>Fresh tensors with the shapes of <paramref name="like"/> holding <paramref name="values"/>.</summary>
    public static Tensor<double>[] TensorsAt(Tensor<double>[] like, double[][] values) =>
        like.Select((x, i) => NdIndex.TensorOf(x.Shape, values[i])).ToArray();

    /// <summary>Copies of the inputs' values.</summary>
    public static double[][] ValuesOf(Tensor<double>[] tensors) => tensors.Select(x => x.ToArray()).ToArray();
}
