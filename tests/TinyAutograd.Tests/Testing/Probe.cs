using FsCheck;
using FsCheck.Fluent;

namespace TinyAutograd.Tests.Testing;

/// <summary>
/// Random directions at which the second-order properties of an <see cref="OpCase"/> are probed: two input-space
/// directions v and w (one array per input), an output-space cotangent u, and coefficients α and β.
/// </summary>
public sealed record Probe(double[][] V, double[][] W, double[] U, double Alpha, double Beta)
{
    /// <summary>Directions shaped for <paramref name="opCase"/>, with entries in [−1, 1] and α, β in [−2, 2].</summary>
    public static Gen<Probe> For(OpCase opCase)
    {
        var lengths = opCase.Inputs.Select(x => x.Length).ToArray();
        return
            from v in Directions(lengths)
            from w in Directions(lengths)
            from u in Gen.ArrayOf(Values.Direction, opCase.Weights.Length)
            from alpha in Values.Uniform(-2, 2)
            from beta in Values.Uniform(-2, 2)
            select new Probe(v, w, u, alpha, beta);
    }

    private static Gen<double[][]> Directions(int[] lengths) =>
        Gen.CollectToArray(lengths.Select(length => Gen.ArrayOf(Values.Direction, length)));

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant($"probe α = {Alpha}, β = {Beta}");
}
