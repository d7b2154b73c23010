namespace TinyAutograd.Checks;

/// <summary>The kinds of systematic mistake a derivation check recognises.</summary>
public enum PatternKind
{
    /// <summary>hand = c·autodiff at every element for one constant c ≠ ±1 (a missing 1/N, a stray factor 2).</summary>
    ConstantFactor,

    /// <summary>hand = −autodiff at every element.</summary>
    SignFlip,

    /// <summary>hand equals autodiff with its elements permuted (a transposed layout, swapped Kronecker factors, swapped
    /// inputs).</summary>
    Permutation,

    /// <summary>The hand Hessian is not symmetric, though second derivatives of a smooth function commute.</summary>
    AsymmetricHessian,

    /// <summary>Every mismatch lies in one input, one row or slice, one block of the Hessian, or one element.</summary>
    Confined,
}

/// <summary>One element of a permutation found between hand and autodiff values: the hand value at
/// <paramref name="HandElement"/> is autodiff's value at <paramref name="AutoDiffElement"/>.</summary>
/// <param name="HandElement">Where the hand value sits, e.g. <c>∂f/∂W[0, 1]</c>.</param>
/// <param name="AutoDiffElement">Where autodiff has that value, e.g. <c>∂f/∂W[1, 0]</c>.</param>
public sealed record MovedElement(string HandElement, string AutoDiffElement)
{
    /// <summary>Where the hand value sits; never null.</summary>
    public string HandElement { get; init => field = Argument.NotNull(value); } = Argument.NotNull(HandElement);

    /// <summary>Where autodiff has that value; never null.</summary>
    public string AutoDiffElement { get; init => field = Argument.NotNull(value); } = Argument.NotNull(AutoDiffElement);
}

/// <summary>
/// A systematic mistake recognised across many elements of a hand-derived quantity, with a hint at its usual cause.
/// </summary>
/// <param name="Kind">Which pattern.</param>
/// <param name="Part">The checked quantity it was found in: <c>gradient</c>, <c>Hessian</c>, <c>Hessian-vector
/// product</c> or <c>Jacobian</c>.</param>
/// <param name="Description">The diagnosis in words, as the report prints it.</param>
/// <param name="Factor">hand / autodiff for <see cref="PatternKind.ConstantFactor"/> and <see cref="PatternKind.SignFlip"/>
/// (also for a <see cref="PatternKind.Confined"/> mismatch whose elements share one factor); null otherwise.</param>
/// <param name="Mapping">For <see cref="PatternKind.Permutation"/>: the first few moved elements; empty otherwise.</param>
public sealed record PatternDiagnosis(PatternKind Kind, string Part, string Description, double? Factor, IReadOnlyList<MovedElement> Mapping)
{
    /// <summary>The checked quantity; never null.</summary>
    public string Part { get; init => field = Argument.NotNull(value); } = Argument.NotNull(Part);

    /// <summary>The diagnosis in words; never null.</summary>
    public string Description { get; init => field = Argument.NotNull(value); } = Argument.NotNull(Description);

    /// <summary>The first few moved elements of a permutation; never null.</summary>
    public IReadOnlyList<MovedElement> Mapping { get; init => field = Argument.NotNull(value); } = Argument.NotNull(Mapping);

    /// <summary>The diagnosis as the report prints it.</summary>
    public override string ToString() => $"{Part}: {Description}";
}
