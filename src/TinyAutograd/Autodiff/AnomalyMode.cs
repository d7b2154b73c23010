using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;
using TinyAutograd.Autodiff;

namespace TinyAutograd;

/// <summary>
/// Anomaly detection: when enabled on the current thread, the first NaN or infinity produced by an operation, in the
/// forward or the backward pass, raises an <see cref="ArithmeticException"/> naming the op, the pass, the inputs'
/// shapes and the source line that created the offending value.
/// </summary>
/// <remarks>
/// Off by default; when off it costs one thread-static read per operation. When on, every recorded operation also
/// captures its caller's file and line (a stack walk), so it is meant for debugging, not for training at speed.
/// </remarks>
public static class AnomalyMode
{
    [ThreadStatic]
    private static bool t_enabled;

    /// <summary>Whether anomaly detection is on for the current thread.</summary>
    public static bool IsEnabled => t_enabled;

    /// <summary>Turns anomaly detection on until the returned scope is disposed.</summary>
    public static Scope Enable()
    {
        var scope = new Scope(t_enabled);
        t_enabled = true;
        return scope;
    }

    /// <summary>Restores the previous anomaly setting when disposed.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly bool _previous;

        internal Scope(bool previous) => _previous = previous;

        /// <summary>Restores the setting that held when the scope was created.</summary>
        public void Dispose() => t_enabled = _previous;
    }

    internal static void Check<T>(Node<T> node, Tensor<T> value, string pass)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (TensorPrimitives.IsFiniteAll<T>(value.Data))
        {
            return;
        }
        int index = 0;
        while (T.IsFinite(value.Data[index]))
        {
            index++;
        }
        var shapes = node.DescribeInputs();
        string where = node.Origin ?? CallerOutsideLibrary() ?? "an unknown place";
        throw new ArithmeticException(
            $"Anomaly: the {pass} pass of '{node.Name}' produced {value.Data[index]} at flat index {index} of a result of shape {value.Shape}; " +
            $"input shapes: {shapes}; the operation was created at {where}.");
    }

    /// <summary>The first stack frame outside this library, as <c>file:line</c>, or null when none has file information.</summary>
    internal static string? CallerOutsideLibrary()
    {
        var library = typeof(AnomalyMode).Assembly;
        foreach (var frame in new StackTrace(1, fNeedFileInfo: true).GetFrames())
        {
            var method = frame.GetMethod();
            if (method?.DeclaringType?.Assembly == library)
            {
                continue;
            }
            string? file = frame.GetFileName();
            return file is null ? method?.ToString() : $"{file}:{frame.GetFileLineNumber()}";
        }
        return null;
    }
}
