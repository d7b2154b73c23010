using Xunit.Sdk;
using static System.FormattableString;

namespace TinyAutograd.Tests.Testing;

/// <summary>
/// Compares a computed array with a reference element by element and, on failure, reports the worst element: its
/// index, both values and the tolerance, so a failing property says exactly what went wrong where.
/// </summary>
public static class ElementwiseComparison
{
    /// <summary>
    /// Throws an <see cref="XunitException"/> unless every element of <paramref name="actual"/> is within
    /// <paramref name="tolerance"/> of the matching element of <paramref name="expected"/>.
    /// </summary>
    /// <param name="subject">What is compared, e.g. "Exp: gradient of input 0"; the message starts with it.</param>
    /// <param name="shape">The shape both arrays are read in (for the multi-index in the message).</param>
    /// <param name="actual">The values under test.</param>
    /// <param name="expected">The independently computed reference values.</param>
    /// <param name="tolerance">The allowed difference.</param>
    /// <param name="actualLabel">How to call the values under test in the message (e.g. "analytic").</param>
    /// <param name="expectedLabel">How to call the reference values in the message (e.g. "numeric").</param>
    public static void Require(
        string subject, Shape shape, ReadOnlySpan<double> actual, ReadOnlySpan<double> expected, Tolerance tolerance,
        string actualLabel = "analytic", string expectedLabel = "numeric")
    {
        if (actual.Length != expected.Length)
        {
            throw new XunitException($"{subject}: {actual.Length} {actualLabel} values but {expected.Length} {expectedLabel} values.");
        }
        int worst = -1;
        double worstExcess = 1;
        for (int i = 0; i < actual.Length; i++)
        {
            double excess = tolerance.Excess(actual[i], expected[i]);
            if (excess > worstExcess)
            {
                worst = i;
                worstExcess = excess;
            }
        }
        if (worst < 0)
        {
            return;
        }
        double a = actual[worst], e = expected[worst];
        throw new XunitException(Invariant(
            $"{subject} (shape {shape}): the worst element, at index {FormatIndex(shape, worst)}, has {actualLabel} {a:R} but {expectedLabel} {e:R}; ") +
            Invariant($"|Δ| = {Math.Abs(a - e):G3} exceeds the allowed {tolerance.Allowed(e):G3} ({tolerance})."));
    }

    /// <summary>Throws unless <paramref name="actual"/> has the reference's shape and every element is within <paramref name="tolerance"/>.</summary>
    public static void Require(string subject, Tensor<double> actual, Tensor<double> expected, Tolerance tolerance, string actualLabel = "computed", string expectedLabel = "reference")
    {
        if (actual.Shape != expected.Shape)
        {
            throw new XunitException($"{subject}: the result has shape {actual.Shape} but the reference has shape {expected.Shape}.");
        }
        Require(subject, expected.Shape, actual.Data, expected.Data, tolerance, actualLabel, expectedLabel);
    }

    /// <summary>Throws unless every element of <paramref name="actual"/> is within <paramref name="tolerance"/> of the listed values.</summary>
    public static void Require(string subject, ReadOnlySpan<double> actual, double[] expected, Tolerance tolerance) =>
        Require(subject, new Shape(expected.Length), actual, expected, tolerance, "computed", "expected");

    /// <summary>Throws unless a computed scalar is within <paramref name="tolerance"/> of its reference.</summary>
    public static void Require(string subject, double actual, double expected, Tolerance tolerance, string actualLabel = "analytic", string expectedLabel = "numeric") =>
        Require(subject, Shape.Scalar, [actual], [expected], tolerance, actualLabel, expectedLabel);

    /// <summary>The multi-index of a row-major flat position, e.g. <c>[1, 0, 2]</c>.</summary>
    public static string FormatIndex(Shape shape, int flat) => "[" + string.Join(", ", NdIndex.Unflatten(shape, flat)) + "]";
}
