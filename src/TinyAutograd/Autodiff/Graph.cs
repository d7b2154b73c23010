using System.Numerics;

namespace TinyAutograd.Autodiff;

/// <summary>
/// Decides whether an operation must be remembered and links a freshly computed result to its node: for reverse mode
/// (the result gets a producer) and for forward mode (the result gets a tangent).
/// </summary>
internal static class Graph
{
    [ThreadStatic]
    private static int t_tangentsSuspended;

    /// <summary>Whether an op on <paramref name="x"/> needs a node: it is recorded, or a tangent must flow.</summary>
    public static bool Tracks<T>(Tensor<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        (x.RequiresGrad && GradMode.IsEnabled) || (x.Tangent is not null && t_tangentsSuspended == 0);

    /// <summary>Whether an op on two inputs needs a node.</summary>
    public static bool Tracks<T>(Tensor<T> a, Tensor<T> b)
        where T : unmanaged, IFloatingPointIeee754<T> => Tracks(a) || Tracks(b);

    /// <summary>Whether an op on any of <paramref name="inputs"/> needs a node.</summary>
    public static bool Tracks<T>(ReadOnlySpan<Tensor<T>> inputs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var input in inputs)
        {
            if (Tracks(input))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Records <paramref name="node"/> as the producer of <paramref name="output"/> when gradients are being recorded
    /// and an input requires grad, and gives <paramref name="output"/> its tangent when an input carries one.
    /// </summary>
    public static Tensor<T> Record<T>(Node<T> node, Tensor<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool recorded = false, hasTangent = false;
        for (int i = 0; i < node.InputCount; i++)
        {
            var input = node.Input(i);
            recorded |= input.RequiresGrad;
            hasTangent |= input.Tangent is not null;
        }
        recorded = recorded && GradMode.IsEnabled;
        hasTangent = hasTangent && t_tangentsSuspended == 0;
        bool anomaly = AnomalyMode.IsEnabled;
        node.Bind(output, recorded);
        if (recorded)
        {
            output.Producer = node;
            output.RequiresGrad = true;
            if (anomaly)
            {
                node.Origin = AnomalyMode.CallerOutsideLibrary();
            }
        }
        if (hasTangent)
        {
            output.Tangent = PushTangents(node);
        }
        if (anomaly)
        {
            AnomalyMode.Check(node, output, "forward");
        }
        return output;
    }

    private static Tensor<T> PushTangents<T>(Node<T> node)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var unrecorded = GradMode.Disable();
        t_tangentsSuspended++;
        try
        {
            return node.Tangent();
        }
        finally
        {
            t_tangentsSuspended--;
        }
    }
}
