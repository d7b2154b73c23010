namespace TinyAutograd.Tests.Fuzzing;

/// <summary>
/// Checks one fuzz program's derivatives: the output is the same bits with and without recording; reverse-mode
/// gradients match central differences of the output for every input element; the Jacobian–vector product matches
/// ⟨∇f, v⟩; both Hessian-vector products match five-point differences of the gradient along v, and each other.
/// </summary>
/// <remarks>
/// <para>
/// Finite differences are only valid on one smooth piece of the program, so every evaluation records the side of
/// every kink it met (relu, abs, maximum, minimum, max; see <see cref="FuzzSignature"/>). A program whose stencil
/// crosses a kink, or that makes a NaN or infinity anywhere, is discarded (FsCheck counts it as rejected).
/// </para>
/// <para>
/// Tolerances, with a = the AD value, d = its difference, |f| the output and ‖g‖, ‖d‖ the largest gradient and HVP
/// difference magnitudes: gradient |a − d| ≤ 1e−6·(|d| + ‖g‖) + 1e−8·(1 + |f|), with d the three-point difference at
/// h = 10⁻⁵ (truncation ≈ h²·f‴/6, rounding ≈ ε·|f|/h); HVP |a − d| ≤ 1e−6·(|d| + ‖d‖) + 1e−7·(1 + ‖g‖), with d the
/// five-point difference of the gradient at h = 10⁻³. When a value misses its tolerance, the reference is recomputed
/// with five-point differences at h = 10⁻³ and h/2, the finer one is used, and the tolerance grows by twice their gap
/// (Richardson's estimate of the finer one's truncation error, which steep programs need). Forward against reverse
/// mode (JVP and ⟨∇f, v⟩; the two HVP methods): 1e−9 relative to the magnitudes involved plus 1e−12·(1 + |f|) or
/// 1e−12·(1 + ‖g‖), the rounding noise of a derivative that is exactly 0. Inputs lie in [−1.5, 1.5].
/// </para>
/// </remarks>
internal static class FuzzCheck
{
    private const double GradientStep = 1e-5;
    private const double RefinedStep = 1e-3;
    private const double RelativeTolerance = 1e-6;
    private const double OutputFloor = 1e-8;
    private const double GradientFloor = 1e-7;
    private const double ModeAgreement = 1e-9;
    private const double AgreementFloor = 1e-3;

    /// <summary>Checks <paramref name="program"/>; returns null when it was checked, or why it was discarded.</summary>
    /// <exception cref="FuzzMismatchException">A derivative disagrees with its reference.</exception>
    public static string? Verify(FuzzProgram program, FuzzStatistics statistics)
    {
        var baseSignature = new FuzzSignature();
        bool finite = true;
        Tensor<double> value;
        using (GradMode.Disable())
        {
            value = program.Evaluate(program.Inputs(), baseSignature, ref finite);
        }
        if (!finite)
        {
            return "a value is not finite";
        }
        double f = value.ToScalar();

        var (recorded, gradients) = AutoDiff.ValueAndGradients(program.Evaluate, program.Inputs());
        Expect(BitConverter.DoubleToInt64Bits(f) == BitConverter.DoubleToInt64Bits(recorded.ToScalar()), program,
            $"the output differs with gradient recording on ({FuzzInterpreter.Number(recorded.ToScalar())}) and off ({FuzzInterpreter.Number(f)})");

        double gradientScale = gradients.SelectMany(g => g.ToArray()).Select(Math.Abs).DefaultIfEmpty(0).Max();
        for (int input = 0; input < gradients.Length; input++)
        {
            var ad = gradients[input].Data;
            for (int j = 0; j < ad.Length; j++)
            {
                int k = input, element = j;
                double[]? Output(double t) => EvaluateOnPiece(program, program.Inputs(), baseSignature.Value, inputs => inputs[k].GetSpanForWrite()[element] += t);
                if (FiniteDifference.Central(Output, GradientStep) is not { } central)
                {
                    return "a finite-difference stencil crosses a kink";
                }
                double tolerance = RelativeTolerance * (Math.Abs(central[0]) + gradientScale) + OutputFloor * (1 + Math.Abs(f));
                double error = Math.Abs(ad[j] - central[0]);
                if (error > tolerance)
                {
                    if (Richardson(Output) is not { } refined)
                    {
                        return "a finite-difference stencil crosses a kink";
                    }
                    statistics.CountRefinement();
                    tolerance += 2 * Math.Abs(refined.Coarse[0] - refined.Fine[0]);
                    error = Math.Abs(ad[j] - refined.Fine[0]);
                    Expect(error <= tolerance, program,
                        $"∂f/∂(input {input})[{j}]: reverse mode gives {FuzzInterpreter.Number(ad[j])}, finite differences {FuzzInterpreter.Number(central[0])} " +
                        $"(three-point, h = {GradientStep}), {FuzzInterpreter.Number(refined.Coarse[0])} and {FuzzInterpreter.Number(refined.Fine[0])} (five-point, h = {RefinedStep} and {RefinedStep / 2}); tolerance {tolerance:E2}");
                }
                statistics.Record("gradient", error / tolerance, program);
            }
        }

        var directions = program.Directions();
        var (_, jvp) = AutoDiff.Jvp(program.Evaluate, program.Inputs(), directions);
        double dot = 0, magnitude = 0;
        for (int input = 0; input < gradients.Length; input++)
        {
            for (int j = 0; j < gradients[input].Length; j++)
            {
                dot += gradients[input].Data[j] * program.Direction[input][j];
                magnitude += Math.Abs(gradients[input].Data[j] * program.Direction[input][j]);
            }
        }
        double jvpTolerance = ModeAgreement * (magnitude + AgreementFloor * (1 + Math.Abs(f)));
        statistics.Record("jvp", Math.Abs(jvp.ToScalar() - dot) / jvpTolerance, program);
        Expect(Math.Abs(jvp.ToScalar() - dot) <= jvpTolerance, program,
            $"forward mode gives J·v = {FuzzInterpreter.Number(jvp.ToScalar())}, reverse mode ⟨∇f, v⟩ = {FuzzInterpreter.Number(dot)}");

        double[]? Gradient(double t)
        {
            var signature = new FuzzSignature();
            bool allFinite = true;
            var (_, shifted) = AutoDiff.ValueAndGradients(xs => program.Evaluate(xs, signature, ref allFinite), program.Inputs(t));
            return signature.Value == baseSignature.Value && allFinite ? [.. shifted.SelectMany(g => g.ToArray())] : null;
        }
        if (FiniteDifference.FivePoint(Gradient, RefinedStep) is not { } hvpDifference)
        {
            return "a finite-difference stencil along v crosses a kink";
        }
        var forward = Flatten(AutoDiff.HessianVectorProduct(program.Evaluate, program.Inputs(), directions, HessianVectorMethod.ForwardOverReverse));
        var reverse = Flatten(AutoDiff.HessianVectorProduct(program.Evaluate, program.Inputs(), directions, HessianVectorMethod.ReverseOverReverse));
        double hvpScale = hvpDifference.Select(Math.Abs).DefaultIfEmpty(0).Max();
        double[]? finer = null;
        for (int i = 0; i < hvpDifference.Length; i++)
        {
            double tolerance = RelativeTolerance * (Math.Abs(hvpDifference[i]) + hvpScale) + GradientFloor * (1 + gradientScale);
            foreach (var (method, product) in new[] { ("forward-over-reverse", forward), ("reverse-over-reverse", reverse) })
            {
                double error = Math.Abs(product[i] - hvpDifference[i]);
                double widened = tolerance;
                if (error > tolerance)
                {
                    finer ??= FiniteDifference.FivePoint(Gradient, RefinedStep / 2);
                    if (finer is null)
                    {
                        return "a finite-difference stencil along v crosses a kink";
                    }
                    statistics.CountRefinement();
                    widened += 2 * Math.Abs(hvpDifference[i] - finer[i]);
                    error = Math.Abs(product[i] - finer[i]);
                    Expect(error <= widened, program,
                        $"(H·v) element {i} (inputs flattened in order): {method} gives {FuzzInterpreter.Number(product[i])}, five-point differences of the gradient " +
                        $"{FuzzInterpreter.Number(hvpDifference[i])} (h = {RefinedStep}) and {FuzzInterpreter.Number(finer[i])} (h = {RefinedStep / 2}); tolerance {widened:E2}");
                }
                statistics.Record("hvp", error / widened, program);
            }
            double agreement = ModeAgreement * (Math.Abs(forward[i]) + hvpScale + AgreementFloor * (1 + gradientScale));
            statistics.Record("hvp methods", Math.Abs(forward[i] - reverse[i]) / agreement, program);
            Expect(Math.Abs(forward[i] - reverse[i]) <= agreement, program,
                $"(H·v) element {i} (inputs flattened in order): forward-over-reverse gives {FuzzInterpreter.Number(forward[i])}, reverse-over-reverse {FuzzInterpreter.Number(reverse[i])}");
        }
        return null;
    }

    /// <summary>
    /// Five-point differences at <see cref="RefinedStep"/> and half of it: the finer one, and twice their gap as an
    /// estimate of its error (Richardson: the five-point error falls 16-fold when h halves).
    /// </summary>
    private static (double[] Coarse, double[] Fine)? Richardson(Func<double, double[]?> f) =>
        FiniteDifference.FivePoint(f, RefinedStep) is { } coarse && FiniteDifference.FivePoint(f, RefinedStep / 2) is { } fine ? (coarse, fine) : null;

    /// <summary>The output for inputs changed by <paramref name="change"/>, or null if it left the base piece or met a non-finite value.</summary>
    private static double[]? EvaluateOnPiece(FuzzProgram program, Tensor<double>[] inputs, ulong signature, Action<Tensor<double>[]> change)
    {
        change(inputs);
        var pieceSignature = new FuzzSignature();
        bool finite = true;
        double value;
        using (GradMode.Disable())
        {
            value = program.Evaluate(inputs, pieceSignature, ref finite).ToScalar();
        }
        return pieceSignature.Value == signature && finite ? [value] : null;
    }

    private static double[] Flatten(Tensor<double>[] tensors) => [.. tensors.SelectMany(t => t.ToArray())];

    private static void Expect(bool condition, FuzzProgram program, string mismatch)
    {
        if (!condition)
        {
            throw new FuzzMismatchException($"{mismatch}\n{program}");
        }
    }
}

/// <summary>A derivative of a fuzz program disagrees with its reference; the message holds the program.</summary>
internal sealed class FuzzMismatchException(string message) : Exception(message);
