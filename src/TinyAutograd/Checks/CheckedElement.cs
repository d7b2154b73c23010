namespace TinyAutograd.Checks;

/// <summary>
/// One compared derivative element in a check: which element it is (as data: the input and index, the second input and
/// index of a second derivative, the output index of a Jacobian element), its values by each method, the error of the
/// comparison that decided it and the tolerance that applied.
/// </summary>
/// <param name="Quantity">The derivative element in words, e.g. <c>∂f/∂w</c>, <c>∂f[1]/∂x[0, 2] (reverse mode)</c> or
/// <c>∂²f/∂x[0]∂x[1] (forward-over-reverse)</c>.</param>
/// <param name="Input">The name of the input the element belongs to (for ∂²f/∂a∂b, the input of a).</param>
/// <param name="Index">The element's index within that input; empty for a scalar input.</param>
/// <param name="SecondInput">For a second derivative ∂²f/∂a∂b, the input of b; null otherwise.</param>
/// <param name="SecondIndex">For a second derivative, b's index within <paramref name="SecondInput"/>; null otherwise.</param>
/// <param name="OutputIndex">For an element ∂f[r]/∂a of a Jacobian, r's index in f's output; null for a scalar f.</param>
/// <param name="Point">The number (from 0) of the sample point it was compared at; 0 for single-point checks.</param>
/// <param name="Hand">The hand-derived value, when the check has one.</param>
/// <param name="AutoDiff">The value from automatic differentiation, when the check computes one.</param>
/// <param name="Numeric">The value from finite differences.</param>
/// <param name="NumericError">The estimated error of <paramref name="Numeric"/> (zero without an estimate).</param>
/// <param name="Comparison">The comparison that gave <paramref name="Error"/>: <c>hand vs autodiff</c>, or
/// <c>autodiff vs finite differences</c>.</param>
/// <param name="Error">|value under test − reference| for that comparison (NaN when either is NaN).</param>
/// <param name="Tolerance">atol + rtol·|reference| for that comparison, plus the numeric error estimate when the
/// reference is numeric.</param>
/// <param name="Origin">Where the value under test was made, when known: the op and the source line, e.g.
/// <c>hand value was made by 'Multiply' at Neuron.cs:42</c>.</param>
public sealed record CheckedElement(
    string Quantity,
    string Input,
    IReadOnlyList<int> Index,
    string? SecondInput,
    IReadOnlyList<int>? SecondIndex,
    IReadOnlyList<int>? OutputIndex,
    int Point,
    double? Hand,
    double? AutoDiff,
    double? Numeric,
    double? NumericError,
    string Comparison,
    double Error,
    double Tolerance,
    string? Origin)
{
    /// <summary>What was compared, e.g. <c>gradient</c>; never null.</summary>
    public string Quantity { get; init => field = Argument.NotNull(value); } = Argument.NotNull(Quantity);

    /// <summary>The input's name; never null.</summary>
    public string Input { get; init => field = Argument.NotNull(value); } = Argument.NotNull(Input);

    /// <summary>The element's index in the input; never null.</summary>
    public IReadOnlyList<int> Index { get; init => field = Argument.NotNull(value); } = Argument.NotNull(Index);

    /// <summary>How the values were compared; never null.</summary>
    public string Comparison { get; init => field = Argument.NotNull(value); } = Argument.NotNull(Comparison);

    /// <summary>Whether the error is within the tolerance (a NaN error fails).</summary>
    public bool Passed => Error <= Tolerance;

    /// <summary>Error over tolerance: above one fails; NaN counts as infinitely bad. Reports rank elements by it.</summary>
    public double Ratio => double.IsNaN(Error) ? double.PositiveInfinity : Error / Math.Max(Tolerance, double.Epsilon);
}
