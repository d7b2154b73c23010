using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;
using TinyAutograd.Differentiation;

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
    private static BackwardStep? t_backwardStep;

    /// <summary>Whether anomaly detection is on for the current thread.</summary>
    public static bool IsEnabled => RecordingState.Current.AnomalyEnabled;

    /// <summary>Turns anomaly detection on until the returned scope is disposed.</summary>
    public static Scope Enable()
    {
        var scope = new Scope(RecordingState.Current.AnomalyEnabled);
        RecordingState.SetAnomalyEnabled(true);
        return scope;
    }

    /// <summary>Restores the previous anomaly setting when disposed.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly bool _previous;

        internal Scope(bool previous) => _previous = previous;

        /// <summary>Restores the setting that held when the scope was created.</summary>
        public void Dispose() => RecordingState.SetAnomalyEnabled(_previous);
    }

    /// <summary>
    /// Marks the current thread as running <paramref name="node"/>'s backward rule until disposed, so that a NaN or
    /// infinity met by an op recorded inside the rule (create-graph mode) is reported as that node's backward pass.
    /// </summary>
    internal static BackwardScope InBackwardOf<T>(Node<T> node)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var scope = new BackwardScope(t_backwardStep);
        t_backwardStep = new BackwardStep(node.Call.Name ?? node.Name, node.DescribeInputs(), node.Call.Place);
        return scope;
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
        string found = $"produced {value.Data[index]} at flat index {index} of a result of shape {value.Shape}";
        if (t_backwardStep is { } step)
        {
            throw new ArithmeticException(
                $"Anomaly: the backward pass of '{step.Name}' (its rule's '{node.Name}' step) {found}; " +
                $"input shapes of '{step.Name}': {step.InputShapes}; the operation was created at {step.Origin ?? "an unknown place"}.");
        }
        string where = node.Call.Place ?? (CallerOutsideLibrary() is var (file, line) ? $"{file}:{line}" : "an unknown place");
        throw new ArithmeticException(
            $"Anomaly: the {pass} pass of '{node.Call.Name ?? node.Name}'{Step(node)} {found}; input shapes: {node.DescribeInputs()}; " +
            $"the operation was created at {where}.");
    }

    /// <summary>The primitive inside a composite op the user called (Mean's division), or nothing when they are the same.</summary>
    private static string Step<T>(Node<T> node)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        node.Call.Name is { } called && called != node.Name ? $" (its '{node.Name}' step)" : "";

    /// <summary>The node whose backward rule is running: its name, input shapes and creation place.</summary>
    internal sealed record BackwardStep(string Name, string InputShapes, string? Origin);

    /// <summary>Restores the previous backward step (if any) when disposed; the default value restores nothing.</summary>
    internal readonly struct BackwardScope : IDisposable
    {
        private readonly BackwardStep? _previous;
        private readonly bool _active;

        internal BackwardScope(BackwardStep? previous)
        {
            _previous = previous;
            _active = true;
        }

        /// <summary>Leaves the backward rule.</summary>
        public void Dispose()
        {
            if (_active)
            {
                t_backwardStep = _previous;
            }
        }
    }

    /// <summary>The first stack frame outside this library with file information, or null when none has it.</summary>
    /// <remarks>Used only where the op could not take its caller's place at compile time (operators, params methods).</remarks>
    internal static (string File, int Line)? CallerOutsideLibrary()
    {
        var library = typeof(AnomalyMode).Assembly;
        foreach (var frame in new StackTrace(1, fNeedFileInfo: true).GetFrames())
        {
            var method = frame.GetMethod();
            if (method?.DeclaringType?.Assembly == library)
            {
                continue;
            }
            if (frame.GetFileName() is { } file)
            {
                return (file, frame.GetFileLineNumber());
            }
        }
        return null;
    }
}
