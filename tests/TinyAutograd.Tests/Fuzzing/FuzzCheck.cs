using TinyAutograd.Tests.Testing;

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
/// crosses a kink, or that makes a NaN, an infinity or a value beyond 10¹⁰⁰ anywhere (<see cref="FuzzProgram.IsInRange"/>),
/// is discarded (FsCheck counts it as rejected); so is one whose output is so noisy with amplified rounding that even
/// the widest step's differences cannot meet the gradient's tolerance (<see cref="OutputNoise"/>).
/// </para>
/// <para>
/// Tolerances, with a = the AD value, d = its difference, |f| the output and ‖g‖, ‖d‖ the largest gradient and HVP
/// difference magnitudes: gradient |a − d| ≤ 1e−6·(|d| + ‖g‖) + 1e−8·(1 + |f|), with d the three-point difference at
/// h = 10⁻⁵ (truncation ≈ h²·f‴/6, rounding ≈ ε·|f|/h); HVP |a − d| ≤ 1e−6·(|d| + ‖d‖) + 1e−7·(1 + ‖g‖), with d the
/// five-point difference of the gradient at h = 10⁻³. When a value misses its tolerance, the reference is recomputed
/// (<see cref="Refinement"/>) with five-point differences at h and h/2 for two or three steps, h = 10⁻³ (steep programs,
/// whose three-point difference rounding spoils), h = 10⁻⁶ (programs that vary on scales below 10⁻³, which the larger
/// steps average over) and a step scaled to the value itself where that is smaller (<see cref="Refinements"/>); a pair's
/// finer difference is the reference and the tolerance grows by twice the pair's gap
/// (Richardson's estimate of the finer one's truncation error), and the value passes when it meets any pair. When it
/// meets none and none has settled (<see cref="Refinement.Settled"/>), no step of these sizes resolves the function
/// (a sine of a quantity that moves by millions per unit of input) and the program is discarded; a wrong derivative of a
/// function they resolve still fails, and so does one too large for the function, whose scaled step then shows the
/// smaller slope. Forward against reverse
/// mode (JVP and ⟨∇f, v⟩; the two HVP methods): 1e−9 relative to the magnitudes involved plus 1e−11·(1 + |f|) or
/// 1e−11·(1 + ‖g‖), the rounding noise of a derivative that is exactly 0 (which a steep op after it amplifies: a
/// softmax of four equal logits of e⁹·⁶, whose derivative cancels to 0, left 2.9·10⁻¹² in reverse mode). Inputs lie in [−1.5, 1.5].
/// </para>
/// <para>
/// The derivatives round too, and a steep op after a cancellation amplifies their rounding beyond any fixed floor:
/// Σ(v₁ − v₄)² = 36.2 broadcast to three equal logits, then exp (5·10¹⁵ each) and a softmax, has ∂f/∂v₅ = 0 exactly,
/// but the softmax's backward terms cancel only to within a rounding, which exp's backward multiplies to 2.6. Every
/// tolerance above therefore also admits the derivative's own rounding noise (<see cref="RoundingNoise"/>): twice the
/// largest change that three jitters of the program by a few units in the last place (<see cref="FuzzJitter"/>) make to
/// it. A wrong rule moves a derivative the same way under every jitter, so the noise does not hide it (a tanh rule off
/// by 10⁻⁵ still fails within the first 30 programs).
/// </para>
/// </remarks>
internal static class FuzzCheck
{
    /// <summary>What every check of one program needs: the program, its base signature, output and gradients.</summary>
    private sealed record Context(FuzzProgram Program, FuzzStatistics Statistics, ulong Signature, double Output, Tensor<double>[] Gradients)
    {
        private double[]? _gradientNoise;

        public double GradientScale { get; } = Gradients.SelectMany(g => g.ToArray()).Select(Math.Abs).DefaultIfEmpty(0).Max();

        /// <summary>The reverse-mode gradient's rounding noise, flattened (see <see cref="RoundingNoise"/>).</summary>
        public double[] GradientNoise => _gradientNoise ??= RoundingNoise(this, Flatten(Gradients), f => Flatten(AutoDiff.ValueAndGradients(f, Program.Inputs()).Gradients));

        /// <summary>The output for the inputs changed by <paramref name="change"/>, on the base piece.</summary>
        /// <exception cref="UncheckableProgramException">The evaluation crossed a kink or met a NaN or infinity.</exception>
        public double[] OutputOnPiece(Action<Tensor<double>[]> change)
        {
            var inputs = Program.Inputs();
            change(inputs);
            return OutputOnPiece(inputs);
        }

        /// <summary>The output for <paramref name="inputs"/>, on the base piece.</summary>
        /// <exception cref="UncheckableProgramException">The evaluation crossed a kink or met a NaN or infinity.</exception>
        public double[] OutputOnPiece(Tensor<double>[] inputs)
        {
            var signature = new FuzzSignature();
            bool finite = true;
            double value;
            using (GradMode.Disable())
            {
                value = Program.Evaluate(inputs, signature, ref finite).ToScalar();
            }
            return signature.Value == Signature && finite ? [value] : throw new UncheckableProgramException("a finite-difference stencil crosses a kink");
        }

        /// <summary>The gradient at x + t·v, flattened, on the base piece.</summary>
        /// <exception cref="UncheckableProgramException">The evaluation crossed a kink or met a NaN or infinity.</exception>
        public double[] GradientOnPiece(double t)
        {
            var signature = new FuzzSignature();
            bool finite = true;
            var (_, gradients) = AutoDiff.ValueAndGradients(xs => Program.Evaluate(xs, signature, ref finite), Program.Inputs(t));
            return signature.Value == Signature && finite
                ? Flatten(gradients)
                : throw new UncheckableProgramException("a finite-difference stencil along v crosses a kink");
        }
    }

    private const double GradientStep = 1e-5;
    private const double RefinedStep = 1e-3;
    private const double ShortStep = 1e-6;
    private const double SmallestStep = 1e-12;

    /// <summary>
    /// The largest argument of a sine or cosine the differences can judge. Arguments this large come from exponential
    /// chains whose slopes are as large, so that the period falls below every step, and a term with a bounded value
    /// but a huge slope escapes the differences while the other terms settle them: beside e^(e^(x)), cos(10¹²) made the
    /// reverse-mode gradient 14% less than every difference, which all agreed on the smooth terms alone.
    /// </summary>
    private const double PeriodicArgumentLimit = 1e6;
    private const double RelativeTolerance = 1e-6;
    private const double OutputFloor = 1e-8;
    private const double GradientFloor = 1e-7;
    private const double ModeAgreement = 1e-9;
    private const double AgreementFloor = 1e-2;

    /// <summary>How many jittered evaluations estimate each derivative's rounding noise.</summary>
    private const int JitterRuns = 3;

    /// <summary>A derivative's rounding noise, as a multiple of the largest change the jitters make to it.</summary>
    private const double NoiseFactor = 2;

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
            return "a value is not finite or beyond 10¹⁰⁰";
        }
        if (baseSignature.LargestPeriodicArgument > PeriodicArgumentLimit)
        {
            return "a sine or cosine of an argument beyond 10⁶, which moves by whole periods within any finite-difference step";
        }
        var (recorded, gradients) = AutoDiff.ValueAndGradients(program.Evaluate, program.Inputs());
        var context = new Context(program, statistics, baseSignature.Value, value.ToScalar(), gradients);
        Expect(BitConverter.DoubleToInt64Bits(context.Output) == BitConverter.DoubleToInt64Bits(recorded.ToScalar()), program,
            $"the output differs with gradient recording on ({FuzzInterpreter.Number(recorded.ToScalar())}) and off ({FuzzInterpreter.Number(context.Output)})");
        try
        {
            // Even the widest step's differences carry noise / 10⁻³ of rounding error: beyond the gradient's tolerance, no
            // reference can check a derivative.
            if (!(OutputNoise(context) / RefinedStep <= (RelativeTolerance * context.GradientScale) + (OutputFloor * (1 + Math.Abs(context.Output)))))
            {
                return "the output's rounding noise (its sixth difference along v) exceeds what the widest difference step can see past";
            }
            CheckGradients(context);
            CheckJacobianVectorProduct(context);
            CheckHessianVectorProducts(context);
            return null;
        }
        catch (UncheckableProgramException uncheckable)
        {
            return uncheckable.Message;
        }
    }

    /// <summary>
    /// The output's rounding noise, estimated from its sixth difference along v at the gradient's step h = 10⁻⁵ (Hamming's
    /// table of differences): for a smooth output that is h⁶·f⁽⁶⁾, nothing, while independent rounding errors of standard
    /// deviation σ at the seven points give a sixth difference of standard deviation √924·σ. An output whose intermediate
    /// values are rounded and then amplified has no derivative the differences can find: x·(1 − t) with t = σ(v) rounded
    /// near 1 and x = eᵛ ≈ 2·10¹¹ jumps by 2·10⁻⁵ as t moves by one unit in its last place, and the references read
    /// 1.20 (h = 10⁻⁵), 1.04 (10⁻³) and 2.23 for a slope of 1.0334.
    /// </summary>
    private static double OutputNoise(Context context)
    {
        ReadOnlySpan<double> binomial = [1, 6, 15, 20, 15, 6, 1];
        double sixth = 0;
        for (int i = 0; i < binomial.Length; i++)
        {
            double output = context.OutputOnPiece(context.Program.Inputs((i - 3) * GradientStep))[0];
            sixth += (i % 2 == 0 ? 1 : -1) * binomial[i] * output;
        }
        return Math.Abs(sixth) / Math.Sqrt(924);
    }

    /// <summary>
    /// How far rounding may have moved each element of a derivative: <see cref="NoiseFactor"/> times the largest change
    /// that <see cref="JitterRuns"/> jitters of the program (<see cref="FuzzJitter"/>) make to it. <paramref name="derivative"/>
    /// computes the derivative, flattened, of the function it is given; <paramref name="value"/> is its unjittered value.
    /// </summary>
    /// <exception cref="UncheckableProgramException">A jitter moved a value across a kink, or out of range.</exception>
    private static double[] RoundingNoise(Context context, double[] value, Func<Func<Tensor<double>[], Tensor<double>>, double[]> derivative)
    {
        var noise = new double[value.Length];
        for (int run = 1; run <= JitterRuns; run++)
        {
            var jittered = new JitteredProgram(context.Program, new FuzzJitter(run), context.Signature);
            var moved = jittered.OnPiece(derivative(jittered.Evaluate));
            for (int i = 0; i < noise.Length; i++)
            {
                noise[i] = Math.Max(noise[i], NoiseFactor * Math.Abs(moved[i] - value[i]));
            }
        }
        return noise;
    }

    /// <summary>Reverse-mode gradients against central differences, every input element.</summary>
    private static void CheckGradients(Context context)
    {
        var (program, statistics) = (context.Program, context.Statistics);
        for (int input = 0, offset = 0; input < context.Gradients.Length; offset += context.Gradients[input].Length, input++)
        {
            var ad = context.Gradients[input].Data;
            for (int j = 0; j < ad.Length; j++)
            {
                int k = input, element = j;
                double[] Output(double t) => context.OutputOnPiece(inputs => inputs[k].GetSpanForWrite()[element] += t);
                double central = (Output(GradientStep)[0] - Output(-GradientStep)[0]) / (2 * GradientStep);
                double tolerance = RelativeTolerance * (Math.Abs(central) + context.GradientScale) + OutputFloor * (1 + Math.Abs(context.Output))
                    + context.GradientNoise[offset + j];
                double error = Math.Abs(ad[j] - central);
                string check = "gradient";
                if (!(error <= tolerance))
                {
                    check = "gradient, refined";
                    statistics.CountRefinement();
                    var refinements = Refinements(Output, ad[j], 1 + Math.Abs(context.Output), new Refinement(Output, RefinedStep));
                    (error, tolerance) = Judge(ad[j], tolerance, 0, refinements, out string references);
                    Expect(error <= tolerance, program,
                        $"∂f/∂(input {input})[{j}]: reverse mode gives {FuzzInterpreter.Number(ad[j])}, finite differences {FuzzInterpreter.Number(central)} " +
                        $"(three-point, h = {GradientStep}), {references}; tolerance {tolerance:E2}");
                }
                statistics.Record(check, error / tolerance, program);
            }
        }
    }

    /// <summary>Forward mode's J·v against reverse mode's ⟨∇f, v⟩.</summary>
    private static void CheckJacobianVectorProduct(Context context)
    {
        var program = context.Program;
        double[] Jvp(Func<Tensor<double>[], Tensor<double>> f) => [AutoDiff.Jvp(f, program.Inputs(), program.Directions()).Product.ToScalar()];
        double jvp = Jvp(program.Evaluate)[0];
        double dot = 0, magnitude = 0, noise = RoundingNoise(context, [jvp], Jvp)[0];
        for (int input = 0, offset = 0; input < context.Gradients.Length; offset += context.Gradients[input].Length, input++)
        {
            for (int j = 0; j < context.Gradients[input].Length; j++)
            {
                double term = context.Gradients[input].Data[j] * program.Direction[input][j];
                dot += term;
                magnitude += Math.Abs(term);
                noise += context.GradientNoise[offset + j] * Math.Abs(program.Direction[input][j]);
            }
        }
        double tolerance = ModeAgreement * (magnitude + AgreementFloor * (1 + Math.Abs(context.Output))) + noise;
        context.Statistics.Record("jvp", Math.Abs(jvp - dot) / tolerance, program);
        Expect(Math.Abs(jvp - dot) <= tolerance, program,
            $"forward mode gives J·v = {FuzzInterpreter.Number(jvp)}, reverse mode ⟨∇f, v⟩ = {FuzzInterpreter.Number(dot)}");
    }

    /// <summary>Both Hessian-vector products against five-point differences of the gradient along v, and each other.</summary>
    private static void CheckHessianVectorProducts(Context context)
    {
        var (program, statistics) = (context.Program, context.Statistics);
        var difference = FiniteDifferences.Derivative(context.GradientOnPiece, RefinedStep);
        Func<Func<Tensor<double>[], Tensor<double>>, double[]> Hvp(HessianVectorMethod method) =>
            f => Flatten(AutoDiff.HessianVectorProduct(f, program.Inputs(), program.Directions(), method));
        var forward = Hvp(HessianVectorMethod.ForwardOverReverse)(program.Evaluate);
        var reverse = Hvp(HessianVectorMethod.ReverseOverReverse)(program.Evaluate);
        var forwardNoise = RoundingNoise(context, forward, Hvp(HessianVectorMethod.ForwardOverReverse));
        var reverseNoise = RoundingNoise(context, reverse, Hvp(HessianVectorMethod.ReverseOverReverse));
        double scale = difference.Select(Math.Abs).DefaultIfEmpty(0).Max();
        var wide = new Refinement(context.GradientOnPiece, RefinedStep, difference);
        for (int i = 0; i < difference.Length; i++)
        {
            double tolerance = RelativeTolerance * (Math.Abs(difference[i]) + scale) + GradientFloor * (1 + context.GradientScale);
            foreach (var (method, product, noise) in new[] { ("forward-over-reverse", forward, forwardNoise), ("reverse-over-reverse", reverse, reverseNoise) })
            {
                double error = Math.Abs(product[i] - difference[i]);
                double widened = tolerance + noise[i];
                string check = "hvp";
                if (!(error <= widened))
                {
                    check = "hvp, refined";
                    statistics.CountRefinement();
                    var refinements = Refinements(context.GradientOnPiece, product[i], 1 + context.GradientScale, wide);
                    (error, widened) = Judge(product[i], widened, i, refinements, out string references);
                    Expect(error <= widened, program,
                        $"(H·v) element {i} (inputs flattened in order): {method} gives {FuzzInterpreter.Number(product[i])}, five-point differences of the gradient " +
                        $"{references}; tolerance {widened:E2}");
                }
                statistics.Record(check, error / widened, program);
            }
            double agreement = ModeAgreement * (Math.Abs(forward[i]) + scale + AgreementFloor * (1 + context.GradientScale)) + forwardNoise[i] + reverseNoise[i];
            statistics.Record("hvp methods", Math.Abs(forward[i] - reverse[i]) / agreement, program);
            Expect(Math.Abs(forward[i] - reverse[i]) <= agreement, program,
                $"(H·v) element {i} (inputs flattened in order): forward-over-reverse gives {FuzzInterpreter.Number(forward[i])}, reverse-over-reverse {FuzzInterpreter.Number(reverse[i])}");
        }
    }

    /// <summary>
    /// The references a value that missed its tolerance is judged against: <paramref name="wide"/> (h = 10⁻³), h = 10⁻⁶,
    /// and, where it is smaller still, the step over which a slope of the value's size moves the differenced function
    /// (of size <paramref name="scale"/>) by a thousandth of that size: a derivative of 10⁷ on an output of size 1 varies
    /// on scales of 10⁻⁷, below which the other steps, however consistent, only alias. Not below
    /// <see cref="SmallestStep"/>: inputs of order 1 barely resolve smaller steps.
    /// </summary>
    private static Refinement[] Refinements(Func<double, double[]> f, double value, double scale, Refinement wide)
    {
        double adaptive = 1e-3 * scale / Math.Abs(value);
        return adaptive < ShortStep / 4 && adaptive >= SmallestStep
            ? [wide, new Refinement(f, ShortStep), new Refinement(f, adaptive)]
            : [wide, new Refinement(f, ShortStep)];
    }

    /// <summary>
    /// Judges <paramref name="value"/> (element <paramref name="element"/>), which missed <paramref name="tolerance"/>,
    /// against each refinement: returns its error and widened tolerance against the refinement it meets (else the one it
    /// misses by the smallest factor), with every refinement's differences described in <paramref name="references"/>.
    /// </summary>
    /// <exception cref="UncheckableProgramException">It meets none, and none has settled.</exception>
    private static (double Error, double Tolerance) Judge(double value, double tolerance, int element, Refinement[] refinements, out string references)
    {
        references = string.Join(" and ", refinements.Select(r => r.Describe(element)));
        var best = refinements.Select(r => (Error: Math.Abs(value - r.Fine[element]), Tolerance: tolerance + r.ErrorEstimate(element))).MinBy(v => v.Error / v.Tolerance);
        if (best.Error > best.Tolerance && !refinements.Any(r => r.Settled(element)))
        {
            throw new UncheckableProgramException("finite differences do not settle: the function varies on a scale below their steps");
        }
        return best;
    }

    /// <summary>
    /// Five-point differences of <c>f</c> at a step h, h/2 and h/4, each computed when first needed (or the one at h
    /// given). The one at h/2 is the reference; twice its gap to the one at h estimates its truncation error (Richardson:
    /// the five-point error falls 16-fold when h halves). The differences have settled when that estimate is at most a
    /// quarter of their size and the gap from h/2 to h/4 is at most a quarter of the gap from h to h/2: their error
    /// is falling as a power of h, h being small beside the scale the function varies on. (Differences of a function that
    /// varies on a far smaller scale are noise, and two of them agree by chance about once in 40 000 programs.)
    /// </summary>
    private sealed class Refinement(Func<double, double[]> f, double step, double[]? coarse = null)
    {
        private double[]? _coarse = coarse;
        private double[]? _fine;
        private double[]? _finest;

        public double[] Fine => _fine ??= FiniteDifferences.Derivative(f, step / 2);

        private double[] Coarse => _coarse ??= FiniteDifferences.Derivative(f, step);

        private double[] Finest => _finest ??= FiniteDifferences.Derivative(f, step / 4);

        public double ErrorEstimate(int i) => 2 * Math.Abs(Coarse[i] - Fine[i]);

        public bool Settled(int i) =>
            ErrorEstimate(i) <= 0.25 * Math.Max(Math.Abs(Coarse[i]), Math.Abs(Fine[i]))
            && Math.Abs(Fine[i] - Finest[i]) <= 0.25 * Math.Abs(Coarse[i] - Fine[i]);

        public string Describe(int i) =>
            $"{FuzzInterpreter.Number(Coarse[i])} and {FuzzInterpreter.Number(Fine[i])} (five-point, h = {step} and {step / 2})";
    }

    /// <summary>
    /// The program under one jitter, for the derivative transforms: every evaluation must stay on the base piece (the
    /// jitter moves values by a few units in their last place, which can still break a tie a kink sits on).
    /// </summary>
    private sealed class JitteredProgram(FuzzProgram program, FuzzJitter jitter, ulong baseSignature)
    {
        private bool _onPiece = true;

        public Tensor<double> Evaluate(Tensor<double>[] inputs)
        {
            var signature = new FuzzSignature();
            var value = program.Evaluate(inputs, signature, ref _onPiece, jitter);
            _onPiece &= signature.Value == baseSignature;
            return value;
        }

        /// <summary>Returns <paramref name="derivative"/>, computed from this program's evaluations.</summary>
        /// <exception cref="UncheckableProgramException">An evaluation left the base piece or the range.</exception>
        public double[] OnPiece(double[] derivative) =>
            _onPiece ? derivative : throw new UncheckableProgramException("a perturbation the size of rounding crosses a kink or leaves the range");
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

/// <summary>
/// Finite differences cannot judge the program, which is discarded: a stencil point left its smooth piece (or met a NaN
/// or infinity), or the differences do not settle as their step shrinks.
/// </summary>
internal sealed class UncheckableProgramException(string reason) : Exception(reason);
