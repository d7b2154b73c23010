namespace TinyAutograd.Tests.Testing;

/// <summary>The tolerances of the second-order and forward-mode properties checked by <see cref="SecondOrderChecker"/>.</summary>
/// <param name="HessianVsDifferences">H·v against the central difference of the gradient along v.</param>
/// <param name="MethodAgreement">Forward-over-reverse against reverse-over-reverse, relative to the largest |element| (at least 1).</param>
/// <param name="Symmetry">⟨w, H·v⟩ against ⟨v, H·w⟩, relative to Σ|wᵢ(Hv)ᵢ| + Σ|vᵢ(Hw)ᵢ| (at least 1).</param>
/// <param name="Linearity">H·(αv + βw) against α·H·v + β·H·w, relative to the largest |element| (at least 1).</param>
/// <param name="JvpVsDifferences">J·v by forward mode against the central difference of the op along v.</param>
/// <param name="Adjoint">⟨u, J·v⟩ (forward mode) against ⟨Jᵀ·u, v⟩ (reverse mode), relative to the sums of |terms| (at least 1).</param>
public sealed record SecondOrderTolerances(
    Tolerance HessianVsDifferences, double MethodAgreement, double Symmetry, double Linearity, Tolerance JvpVsDifferences, double Adjoint)
{
    /// <summary>
    /// For smooth ops on O(1) inputs in double: finite-difference comparisons |Δ| ≤ 10⁻⁷ + 10⁻⁶·|ref|
    /// (Richardson-extrapolated differences are good to ~10⁻¹⁰); exact identities to 10⁻¹⁰ (methods agree, adjoint)
    /// or 10⁻⁹ (symmetry and linearity, which combine two or three products).
    /// </summary>
    public static SecondOrderTolerances Standard { get; } = new(
        HessianVsDifferences: new Tolerance(1e-7, 1e-6),
        MethodAgreement: 1e-10,
        Symmetry: 1e-9,
        Linearity: 1e-9,
        JvpVsDifferences: new Tolerance(1e-7, 1e-6),
        Adjoint: 1e-10);
}
