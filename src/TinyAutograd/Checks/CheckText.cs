using System.Globalization;
using System.Numerics;

namespace TinyAutograd.Checks;

/// <summary>How checks name elements and print numbers and points, short and culture-independent.</summary>
internal static class CheckText
{
    /// <summary>How many values of one input a point description shows at most.</summary>
    private const int MaxValuesShown = 6;

    /// <summary>An element's name: <c>x</c> for a scalar input, <c>x[1, 2]</c> otherwise.</summary>
    public static string Element(string input, IReadOnlyList<int> index) =>
        index.Count == 0 ? input : $"{input}[{string.Join(", ", index)}]";

    /// <summary>A value with up to ten significant digits.</summary>
    public static string Number(double value) => value.ToString("G10", CultureInfo.InvariantCulture).Replace('E', 'e');

    /// <summary>An error or tolerance, three significant digits.</summary>
    public static string Short(double value) => value.ToString("G3", CultureInfo.InvariantCulture).Replace('E', 'e');

    /// <summary>A Hessian-vector method's name as reports print it, e.g. <c>forward-over-reverse</c>.</summary>
    public static string Method(HessianVectorMethod method) =>
        method == HessianVectorMethod.ForwardOverReverse ? "forward-over-reverse" : "reverse-over-reverse";

    /// <summary>The multi-axis index of flat position <paramref name="flat"/> in a row-major shape.</summary>
    public static int[] Unravel(Shape shape, int flat)
    {
        var index = new int[shape.Rank];
        for (int axis = shape.Rank - 1; axis >= 0; axis--)
        {
            index[axis] = flat % shape[axis];
            flat /= shape[axis];
        }
        return index;
    }

    /// <summary>The inputs' values, e.g. <c>w = 0.5, b = -1</c>; long inputs are cut after a few values.</summary>
    public static string Point<T>(IReadOnlyList<string> names, Tensor<T>[] inputs)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        string.Join(", ", inputs.Select((input, i) => $"{names[i]} = {Values(input)}"));

    private static string Values<T>(Tensor<T> tensor)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var data = tensor.Data;
        if (tensor.Rank == 0)
        {
            return Number(double.CreateChecked(data[0]));
        }
        var shown = new List<string>();
        for (int i = 0; i < Math.Min(data.Length, MaxValuesShown); i++)
        {
            shown.Add(Number(double.CreateChecked(data[i])));
        }
        string more = data.Length > MaxValuesShown ? $", … ({data.Length} values, shape {tensor.Shape})" : "";
        return $"[{string.Join(", ", shown)}{more}]";
    }

    /// <summary>The inputs' names: each tensor's <see cref="Tensor{T}.Name"/>, else <c>x</c> (one input) or <c>x0</c>, <c>x1</c>, ….</summary>
    public static string[] InputNames<T>(Tensor<T>[] inputs, IReadOnlyList<string>? names = null)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        [.. inputs.Select((input, i) => names?[i] ?? input.Name ?? (inputs.Length == 1 ? "x" : $"x{i}"))];
}
