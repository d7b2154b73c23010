namespace TinyAutograd.Profiling;

/// <summary>
/// One row of a <see cref="ProfileReport"/>: an op (by name and element type) summed over its calls, like a row of
/// torch.profiler's <c>key_averages</c>, with its throughput and its place under the roofline.
/// </summary>
/// <remarks>
/// GFLOP/s = <see cref="Flops"/> / (forward + backward seconds) / 10⁹ and GB/s likewise from <see cref="Bytes"/>; the
/// arithmetic intensity is I = FLOPs / bytes; <see cref="PercentOfPeak"/> = 100·max(GFLOP/s / peak, GB/s / bandwidth)
/// (<see cref="MachineLimits.PercentOfRoof"/>). JVP time is shown apart and left out of the throughput.
/// </remarks>
/// <param name="Name">The op's public name (a composite's or a custom op's own).</param>
/// <param name="ElementType"><c>float32</c> or <c>float64</c>.</param>
/// <param name="Calls">How many times the op was called (its backward-only rows: how many backward rules ran).</param>
/// <param name="BackwardCalls">How many times its backward rule ran.</param>
/// <param name="ForwardSeconds">Forward time summed over calls.</param>
/// <param name="BackwardSeconds">Backward time summed over calls.</param>
/// <param name="JvpSeconds">Forward-mode (tangent) time summed over calls.</param>
/// <param name="PercentOfWall">Its total time as a share of the profiler's wall time, in percent.</param>
/// <param name="Flops">Forward and backward FLOPs by the op's formula, or null when unknown (an undeclared custom op).</param>
/// <param name="Bytes">Forward and backward bytes moved by the op's formula, or null when unknown.</param>
/// <param name="Gflops">Achieved GFLOP/s, or null without a cost or a time.</param>
/// <param name="GigabytesPerSecond">Achieved GB/s, or null without a cost or a time.</param>
/// <param name="ArithmeticIntensity">FLOPs per byte, or null without bytes.</param>
/// <param name="Bound">The ceiling that binds it, or null without a cost.</param>
/// <param name="PercentOfPeak">Percent of the binding ceiling reached, or null without a cost or a time.</param>
/// <param name="InputShapes">The distinct input shapes it was called with, e.g. <c>[128, 784] [256, 784]</c>.</param>
public sealed record OpProfile(
    string Name,
    string ElementType,
    int Calls,
    int BackwardCalls,
    double ForwardSeconds,
    double BackwardSeconds,
    double JvpSeconds,
    double PercentOfWall,
    long? Flops,
    long? Bytes,
    double? Gflops,
    double? GigabytesPerSecond,
    double? ArithmeticIntensity,
    RooflineBound? Bound,
    double? PercentOfPeak,
    IReadOnlyList<string> InputShapes)
{
    /// <summary>The op's public name; never null.</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public string Name { get; init => field = Argument.NotNull(value); } = Argument.NotNull(Name);

    /// <summary><c>float32</c> or <c>float64</c>; never null.</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public string ElementType { get; init => field = Argument.NotNull(value); } = Argument.NotNull(ElementType);

    /// <summary>The distinct input shapes it was called with; never null.</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public IReadOnlyList<string> InputShapes { get; init => field = Argument.NotNull(value); } = Argument.NotNull(InputShapes);

    /// <summary>Forward, backward and JVP time together.</summary>
    public double TotalSeconds => ForwardSeconds + BackwardSeconds + JvpSeconds;
}
