namespace TinyAutograd.Tests.Fuzzing;

/// <summary>
/// Perturbations the size of rounding errors, one per computed value of a fuzz program (Monte Carlo arithmetic): the
/// value of operation i, and each term of the output, is multiplied by 1 + δᵢ with δᵢ = ±(2, 3 or 4)·ε, ε = 2⁻⁵²,
/// which scales its adjoint in reverse mode and its tangent in forward mode the same way. How far a derivative moves
/// under such perturbations estimates how far the library's own rounding may have moved it; the estimate is what
/// separates amplified rounding from a wrong rule, which moves a derivative the same way under every jitter.
/// </summary>
/// <param name="seed">Chooses the perturbations; the same seed gives the same δᵢ in every evaluation.</param>
internal sealed class FuzzJitter(int seed)
{
    /// <summary>ε = 2⁻⁵², the gap between 1 and the next double.</summary>
    private const double Epsilon = 1.0 / (1L << 52);

    /// <summary>The factor 1 + δ for the value (or output term) numbered <paramref name="value"/>; exact in double.</summary>
    public double Factor(int value)
    {
        var random = new Random(unchecked((seed * 7919) + value));
        int sign = random.Next(2) == 0 ? -1 : 1;
        return 1 + (sign * (2 + random.Next(3)) * Epsilon);
    }
}
