using System.Numerics;

namespace TinyAutograd.Checks;

/// <summary>
/// Numeric derivatives of any tensor-valued quantity g of several inputs, in a direction or along one coordinate, by
/// the method <see cref="CheckOptions.FiniteDifferences"/> chooses; the results are in double whatever the element type.
/// </summary>
/// <remarks>(g(x + h·d) − g(x − h·d)) / 2h = ∂g/∂x·d + O(h²), extrapolated to h → 0 by <see cref="RichardsonExtrapolation"/>
/// unless plain central differences are asked for.</remarks>
internal static class FiniteDifferences
{
    /// <summary>The derivative of <paramref name="quantity"/> in the direction <paramref name="directions"/> (one tensor
    /// per input), flattened, with error estimates.</summary>
    public static NumericDerivative Directional<T>(Func<Tensor<T>[], double[]> quantity, Tensor<T>[] inputs, Tensor<T>[] directions, CheckOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (options.FiniteDifferences == FiniteDifferenceMethod.Central)
        {
            var ahead = quantity(Shifted(inputs, directions, options.Step));
            var behind = quantity(Shifted(inputs, directions, -options.Step));
            var difference = new double[ahead.Length];
            for (int i = 0; i < difference.Length; i++)
            {
                difference[i] = (ahead[i] - behind[i]) / (2 * options.Step);
            }
            return new(difference, new double[difference.Length]);
        }
        var aheads = new double[RichardsonExtrapolation.StepCount][];
        var behinds = new double[RichardsonExtrapolation.StepCount][];
        for (int k = 0; k < aheads.Length; k++)
        {
            aheads[k] = quantity(Shifted(inputs, directions, RichardsonExtrapolation.Step(k)));
            behinds[k] = quantity(Shifted(inputs, directions, -RichardsonExtrapolation.Step(k)));
        }
        double roundoff = UnitRoundoff<T>();
        int length = aheads[0].Length;
        var values = new double[length];
        var errors = new double[length];
        Span<double> aheadOfElement = stackalloc double[aheads.Length];
        Span<double> behindOfElement = stackalloc double[aheads.Length];
        for (int i = 0; i < length; i++)
        {
            for (int k = 0; k < aheads.Length; k++)
            {
                aheadOfElement[k] = aheads[k][i];
                behindOfElement[k] = behinds[k][i];
            }
            (values[i], errors[i]) = RichardsonExtrapolation.Estimate(aheadOfElement, behindOfElement, roundoff);
        }
        return new(values, errors);
    }

    /// <summary>The derivative of <paramref name="quantity"/> along element <paramref name="flat"/> of all the inputs
    /// numbered as one vector (see <see cref="InputLayout"/>).</summary>
    public static NumericDerivative AlongElement<T>(Func<Tensor<T>[], double[]> quantity, Tensor<T>[] inputs, InputLayout layout, int flat, CheckOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var directions = inputs.Select(x => Tensor.Zeros<T>(x.Shape.ToArray())).ToArray();
        var (input, element) = layout.Locate(flat);
        directions[input].GetSpanForWrite()[element] = T.One;
        return Directional(quantity, inputs, directions, options);
    }

    /// <summary>The unit roundoff of <typeparamref name="T"/>: 2⁻⁵³ for double, 2⁻²⁴ for float.</summary>
    private static double UnitRoundoff<T>()
        where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? Math.Pow(2, -24) : Math.Pow(2, -53);

    /// <summary>The quantity "f's value", computed without recording.</summary>
    public static Func<Tensor<T>[], double[]> Values<T>(Func<Tensor<T>[], Tensor<T>> function)
        where T : unmanaged, IFloatingPointIeee754<T> => inputs =>
        {
            using var unrecorded = GradMode.Disable();
            return Flatten([function(inputs)]);
        };

    /// <summary>The quantity "f's autodiff gradients", concatenated over the inputs in order.</summary>
    public static Func<Tensor<T>[], double[]> Gradients<T>(Func<Tensor<T>[], Tensor<T>> function)
        where T : unmanaged, IFloatingPointIeee754<T> => inputs => Flatten(AutoDiff.ValueAndGradients(function, inputs).Gradients);

    /// <summary>The tensors' elements in order, as doubles.</summary>
    public static double[] Flatten<T>(IEnumerable<Tensor<T>> tensors)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = new List<double>();
        foreach (var tensor in tensors)
        {
            foreach (var value in tensor.Data)
            {
                values.Add(double.CreateChecked(value));
            }
        }
        return [.. values];
    }

    /// <summary>x + scale·d for every input, as fresh unrecorded leaves.</summary>
    private static Tensor<T>[] Shifted<T>(Tensor<T>[] inputs, Tensor<T>[] directions, double scale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var unrecorded = GradMode.Disable();
        return [.. inputs.Select((input, i) => input.Detach() + directions[i] * scale)];
    }
}
