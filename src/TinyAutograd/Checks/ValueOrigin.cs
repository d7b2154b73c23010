using System.Numerics;
using TinyAutograd.Differentiation;

namespace TinyAutograd.Checks;

/// <summary>
/// Finds where a value was made: the recorded op that produced an element of a tensor and, when it was recorded under
/// <see cref="AnomalyMode"/>, the caller's source line. Ops that only move elements (Reshape, Concatenate and so
/// Stack) are looked through, so an element of a stacked gradient is traced to the op that computed it.
/// </summary>
internal static class ValueOrigin
{
    /// <summary>
    /// Runs <paramref name="compute"/> on fresh leaves that require grad, recording with anomaly mode on, so that every
    /// result remembers its ops and their source lines; pass the results to <see cref="Of"/>.
    /// </summary>
    public static Tensor<T>[] Trace<T>(Func<Tensor<T>[], Tensor<T>[]> compute, Tensor<T>[] inputs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var leaves = inputs.Select(input => input.Detach().RequireGrad()).ToArray();
        using var recording = GradMode.Enable();
        using var anomaly = AnomalyMode.Enable();
        return compute(leaves);
    }

    /// <summary>The op that made element <paramref name="flat"/> of a traced tensor and its source line, e.g.
    /// <c>'Multiply' at Neuron.cs:42</c>; null when the element was not computed by a recorded op.</summary>
    public static string? Of<T>(Tensor<T> value, int flat)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var node = value.Producer;
        while (node is not null && node.Name is "Reshape" or "Concatenate")
        {
            (value, flat) = node.Name == "Reshape" ? (node.Input(0), flat) : ConcatenatedFrom(node, flat);
            node = value.Producer;
        }
        if (node is null)
        {
            return null;
        }
        string name = node.Call.Name ?? node.Name;
        return node.Call.Place is { } place ? $"'{name}' at {ShortOrigin(place)}" : $"'{name}'";
    }

    /// <summary>The input of a concatenation, and the flat position in it, that an output element came from.</summary>
    /// <remarks>The axis is the one where the inputs' sizes add up to the output's; every other size agrees.</remarks>
    private static (Tensor<T> Input, int Flat) ConcatenatedFrom<T>(Node<T> node, int flat)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var outputShape = node.Output.Shape;
        var index = CheckText.Unravel(outputShape, flat);
        int axis = 0;
        while (axis < outputShape.Rank - 1 && node.Input(0).Shape[axis] == outputShape[axis])
        {
            axis++;
        }
        for (int i = 0; i < node.InputCount; i++)
        {
            var input = node.Input(i);
            if (index[axis] < input.Shape[axis])
            {
                int inner = 0;
                for (int a = 0; a < input.Rank; a++)
                {
                    inner = inner * input.Shape[a] + index[a];
                }
                return (input, inner);
            }
            index[axis] -= input.Shape[axis];
        }
        throw new InvalidOperationException($"ValueOrigin: element {flat} lies outside the concatenation of shape {outputShape}.");
    }

    /// <summary><c>/long/path/File.cs:42</c> becomes <c>File.cs:42</c>; other forms are kept.</summary>
    private static string ShortOrigin(string origin)
    {
        int cut = origin.LastIndexOfAny(['/', '\\']);
        return cut >= 0 && origin.Contains(':', StringComparison.Ordinal) ? origin[(cut + 1)..] : origin;
    }
}
