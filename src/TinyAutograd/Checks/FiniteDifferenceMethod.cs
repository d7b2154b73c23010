namespace TinyAutograd.Checks;

/// <summary>How checks compute numeric derivatives.</summary>
public enum FiniteDifferenceMethod
{
    /// <summary>
    /// Central differences at a ladder of steps h₀·2⁻ᵏ, extrapolated to h → 0 (Richardson), keeping for each element the
    /// estimate with the smallest estimated error; that error estimate widens the tolerance of the element.
    /// </summary>
    Richardson,

    /// <summary>One central difference (g(x + h·d) − g(x − h·d)) / 2h at the step <see cref="CheckOptions.Step"/>, with
    /// no error estimate.</summary>
    Central,
}
