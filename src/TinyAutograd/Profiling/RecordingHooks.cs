using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;

namespace TinyAutograd.Profiling;

/// <summary>
/// Where the tape and the backward pass report to a running <see cref="Profiler"/>. Off, each hook is one read of a
/// volatile field; on, each hands the calling thread's collector what it timed.
/// </summary>
internal static class RecordingHooks
{
    /// <summary>Whether a profiler runs: the one check the recording point makes.</summary>
    public static bool IsOn => Profiler.Active is not null;

    /// <summary>A start mark for an op called now: a timestamp while a profiler runs, else 0.</summary>
    public static long Mark() => IsOn ? Stopwatch.GetTimestamp() : 0;

    /// <summary>
    /// Opens the forward record of an op whose result <paramref name="output"/> is being recorded; the interval runs from
    /// the enclosing call's start mark (or the end of the thread's previous record, whichever is later) to the token's end.
    /// </summary>
    public static Timing Forward<T>(OpCall call, Tensor<T> output, Node<T>? node)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var collector = ProfileCollector.OfThisThread();
        if (collector is null || collector.Depth > 0)
        {
            return default;
        }
        var enclosing = OpCall.Enclosing(call);
        collector.BeginForward(
            enclosing.Name ?? node?.Name ?? "Unnamed",
            enclosing.Start,
            node is null ? null : OpCostModel.Forward(node, output.Shape),
            ElementTypeName<T>(),
            node is null ? [] : InputShapes(node));
        return new Timing(collector);
    }

    /// <summary>Times the tangent pushed through the op being recorded (only inside its forward record).</summary>
    public static Timing Jvp()
    {
        var collector = IsOn ? ProfileCollector.OfThisThread() : null;
        return collector is not null && collector.BeginJvp() ? new Timing(collector) : default;
    }

    /// <summary>Times the backward rule of <paramref name="node"/> (nothing while another record of the thread is open).</summary>
    /// <remarks>Inlined down to one check while no profiler runs: the backward loop calls it for every node.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Timing Backward<T>(Node<T> node)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        IsOn ? ProfiledBackward(node) : default;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Timing ProfiledBackward<T>(Node<T> node)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var collector = ProfileCollector.OfThisThread();
        if (collector is null || collector.Depth > 0)
        {
            return default;
        }
        collector.BeginBackward(node.Call.Name ?? node.Name, OpCostModel.Backward(node), ElementTypeName<T>(), InputShapes(node));
        return new Timing(collector);
    }

    /// <summary>
    /// Times work that is no tape op but belongs to a step, such as an optimizer's update, as an op named
    /// <paramref name="name"/> (by time only: its cost is unknown).
    /// </summary>
    public static Timing Operation<T>(string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var collector = IsOn ? ProfileCollector.OfThisThread() : null;
        if (collector is null || collector.Depth > 0)
        {
            return default;
        }
        collector.BeginForward(name, Stopwatch.GetTimestamp(), null, ElementTypeName<T>(), []);
        return new Timing(collector);
    }

    /// <summary><c>float32</c> or <c>float64</c>.</summary>
    public static string ElementTypeName<T>() => typeof(T) == typeof(float) ? "float32" : typeof(T) == typeof(double) ? "float64" : typeof(T).Name;

    private static Shape[] InputShapes<T>(Node<T> node)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shapes = new Shape[node.InputCount];
        for (int i = 0; i < shapes.Length; i++)
        {
            shapes[i] = node.Input(i).Shape;
        }
        return shapes;
    }

    /// <summary>Closes the record it was opened for when disposed; the default value closes nothing.</summary>
    internal readonly ref struct Timing(ProfileCollector? collector)
    {
        /// <summary>Ends the record and hands it to the collector.</summary>
        public void Dispose() => collector?.End();
    }
}
