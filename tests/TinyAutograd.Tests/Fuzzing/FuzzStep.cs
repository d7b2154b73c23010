namespace TinyAutograd.Tests.Fuzzing;

/// <summary>One value of a fuzz program: an input leaf, or an operation on earlier values.</summary>
/// <param name="Operation">What computes the value.</param>
/// <param name="Operands">Indices of earlier values it reads.</param>
/// <param name="Arguments">Integer parameters (axes, indices, flags; see <see cref="FuzzOperation"/>).</param>
/// <param name="Number">A real parameter (a scalar constant or an exponent).</param>
/// <param name="Mask">The constant condition of <see cref="FuzzOperation.Where"/>, with its shape.</param>
/// <param name="Result">The shape of the value.</param>
internal sealed record FuzzStep(FuzzOperation Operation, int[] Operands, int[] Arguments, double Number, (Shape Shape, double[] Values)? Mask, Shape Result);
