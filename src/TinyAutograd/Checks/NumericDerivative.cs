namespace TinyAutograd.Checks;

/// <summary>A numeric derivative of a vector quantity, element by element, with an estimate of each element's error.</summary>
/// <param name="Values">The derivative's elements.</param>
/// <param name="Errors">The estimated absolute error of each element (zero when the method gives no estimate; NaN when
/// no step gave a finite value).</param>
internal sealed record NumericDerivative(double[] Values, double[] Errors);
