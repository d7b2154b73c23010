using System.Numerics;

namespace TinyAutograd.Checks;

/// <summary>
/// Step, tolerances and reporting limits shared by every check; the defaults suit functions computed in double.
/// </summary>
/// <remarks>
/// Two values a (under test) and r (reference) agree when |a − r| ≤ atol + rtol·|r| (PyTorch's <c>gradcheck</c>
/// rule). Numeric derivatives are central differences (g(x + h·d) − g(x − h·d)) / 2h, whose truncation error is
/// O(h²) and rounding error about ε·|g|/h: with h = 1e-6 in double both are near 1e-10 for values of order one.
/// </remarks>
public sealed record CheckOptions
{
    /// <summary>The defaults: h = 1e-6, atol = 1e-5, rtol = 1e-3, five listed elements, double precision only.</summary>
    public static CheckOptions Default { get; } = new();

    /// <summary>The finite-difference step h.</summary>
    public double Step { get; init; } = 1e-6;

    /// <summary>The absolute tolerance atol.</summary>
    public double AbsoluteTolerance { get; init; } = 1e-5;

    /// <summary>The relative tolerance rtol, applied to the reference value.</summary>
    public double RelativeTolerance { get; init; } = 1e-3;

    /// <summary>How many out-of-tolerance elements a report lists at most (the worst ones); it never lists more.</summary>
    public int MaxListedElements { get; init; } = 5;

    /// <summary>
    /// Run on float32 inputs instead of refusing them. Central differences in single precision lose most digits
    /// (rounding error ε·|f|/h with ε ≈ 6e-8), so choose a larger <see cref="Step"/> (about 1e-3) and looser
    /// tolerances; the report then carries a warning.
    /// </summary>
    public bool AllowSinglePrecision { get; init; }

    /// <summary>Seed for the random vectors some checks draw (directions, cotangents, sample points).</summary>
    public ulong Seed { get; init; }

    /// <summary>The tolerance atol + rtol·|reference| a value compared with <paramref name="reference"/> must meet.</summary>
    internal double ToleranceFor(double reference) => AbsoluteTolerance + RelativeTolerance * Math.Abs(reference);

    /// <summary>
    /// Fails clearly on unusable settings, and refuses float32 unless allowed; returns the warnings for the report.
    /// </summary>
    internal List<string> Validate<T>(string check)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!double.IsFinite(Step) || Step <= 0)
        {
            throw new ArgumentException($"{check}: CheckOptions.Step is {Step}; the finite-difference step must be a positive finite number.");
        }
        if (!(AbsoluteTolerance >= 0) || !(RelativeTolerance >= 0))
        {
            throw new ArgumentException($"{check}: CheckOptions tolerances must be non-negative; got atol {AbsoluteTolerance}, rtol {RelativeTolerance}.");
        }
        if (MaxListedElements < 1)
        {
            throw new ArgumentException($"{check}: CheckOptions.MaxListedElements is {MaxListedElements}; at least one element must be listed.");
        }
        var warnings = new List<string>();
        if (typeof(T) == typeof(float))
        {
            if (!AllowSinglePrecision)
            {
                throw new ArgumentException(
                    $"{check}: the inputs are float32. Central differences with step {Step:G3} in single precision carry rounding errors " +
                    $"near 6e-8·|f|/h (about {6e-8 / Step:G2}·|f| here), so the comparison would be meaningless. Run the function in double " +
                    "(Tensor<double>), or set CheckOptions.AllowSinglePrecision with a larger Step (about 1e-3) and looser tolerances.");
            }
            warnings.Add(
                $"float32 inputs: finite differences in single precision are rough (rounding error near {6e-8 / Step:G2}·|f| with h = {Step:G3}); " +
                "treat a pass as weak evidence and prefer double.");
        }
        return warnings;
    }
}
