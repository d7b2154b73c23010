using System.Numerics;

namespace TinyAutograd.Checks;

/// <summary>
/// Central finite differences of any tensor-valued quantity g of several inputs, in a direction or along one
/// coordinate; the results are in double whatever the element type.
/// </summary>
/// <remarks>(g(x + h·d) − g(x − h·d)) / 2h = ∂g/∂x·d + O(h²).</remarks>
internal static class FiniteDifferences
{
    /// <summary>The central difference of <paramref name="quantity"/> in the direction <paramref name="directions"/>
    /// (one tensor per input), flattened.</summary>
    public static double[] Directional<T>(Func<Tensor<T>[], double[]> quantity, Tensor<T>[] inputs, Tensor<T>[] directions, double step)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var ahead = quantity(Shifted(inputs, directions, step));
        var behind = quantity(Shifted(inputs, directions, -step));
        var difference = new double[ahead.Length];
        for (int i = 0; i < difference.Length; i++)
        {
            difference[i] = (ahead[i] - behind[i]) / (2 * step);
        }
        return difference;
    }

    /// <summary>The central difference of <paramref name="quantity"/> along element <paramref name="flat"/> of all the
    /// inputs numbered as one vector (see <see cref="InputLayout"/>).</summary>
    public static double[] AlongElement<T>(Func<Tensor<T>[], double[]> quantity, Tensor<T>[] inputs, InputLayout layout, int flat, double step)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var directions = inputs.Select(x => Tensor.Zeros<T>(x.Shape.ToArray())).ToArray();
        var (input, element) = layout.Locate(flat);
        directions[input].GetSpanForWrite()[element] = T.One;
        return Directional(quantity, inputs, directions, step);
    }

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
