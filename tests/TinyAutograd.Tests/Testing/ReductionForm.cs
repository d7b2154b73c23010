using FsCheck;
using FsCheck.Fluent;

namespace TinyAutograd.Tests.Testing;

/// <summary>
/// One way of calling a reduction (Sum, Mean, Max, LogSumExp): over everything with no arguments, over a set of axes,
/// or over a single axis, with or without keepDims.
/// </summary>
/// <param name="Axes">null for the argument-free overload; otherwise the axes passed (empty means all).</param>
/// <param name="SingleAxis">Whether the single-axis overload is called (then <paramref name="Axes"/> holds one axis).</param>
/// <param name="KeepDims">Whether reduced axes are kept as size 1.</param>
public sealed record ReductionForm(int[]? Axes, bool SingleAxis, bool KeepDims)
{
    /// <summary>Calls the matching overload of a reduction.</summary>
    /// <param name="x">The tensor reduced.</param>
    /// <param name="whole">The argument-free overload, e.g. <c>x => x.Sum()</c>.</param>
    /// <param name="overAxes">The axes overload, e.g. <c>(x, axes, keep) => x.Sum(axes, keep)</c>.</param>
    /// <param name="overAxis">The single-axis overload, e.g. <c>(x, axis, keep) => x.Sum(axis, keep)</c>.</param>
    public Tensor<double> Apply(
        Tensor<double> x,
        Func<Tensor<double>, Tensor<double>> whole,
        Func<Tensor<double>, int[], bool, Tensor<double>> overAxes,
        Func<Tensor<double>, int, bool, Tensor<double>> overAxis) =>
        Axes is null ? whole(x) : SingleAxis ? overAxis(x, Axes[0], KeepDims) : overAxes(x, Axes, KeepDims);

    /// <summary>The call as text, e.g. <c>Sum(axes [1, -1], keepDims: True)</c>.</summary>
    public string Describe(string reduction) =>
        Axes is null ? $"{reduction}()" : SingleAxis ? $"{reduction}(axis {Axes[0]}, keepDims: {KeepDims})" : $"{reduction}(axes [{string.Join(", ", Axes)}], keepDims: {KeepDims})";

    /// <summary>A random form valid for a tensor of <paramref name="rank"/> (only the argument-free and empty-axes forms for 0-d).</summary>
    public static Gen<ReductionForm> For(int rank)
    {
        var whole = Gen.Constant(new ReductionForm(null, false, false));
        var overAxes = from axes in Shapes.Axes(rank) from keep in Gen.Elements(false, true) select new ReductionForm(axes, false, keep);
        if (rank == 0)
        {
            return Gen.OneOf(whole, overAxes);
        }
        var overAxis = from axis in Shapes.Axis(rank) from keep in Gen.Elements(false, true) select new ReductionForm([axis], true, keep);
        return Gen.OneOf(whole, overAxes, overAxis);
    }
}
