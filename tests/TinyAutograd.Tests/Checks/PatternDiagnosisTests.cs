using TinyAutograd.Checks;
using Xunit.Abstractions;
using static TinyAutograd.Tests.Checks.BrokenDerivations;

namespace TinyAutograd.Tests.Checks;

/// <summary>Each pattern diagnosis on a deliberately broken derivation, and silence on the right one. The full reports
/// of the main cases go to the test output.</summary>
public class PatternDiagnosisTests(ITestOutputHelper output)
{
    private static readonly Shape s_w = new(SoftmaxRegression.Features, SoftmaxRegression.Classes);

    [Fact]
    public void ARightSoftmaxRegressionHessianPassesWithNoPattern()
    {
        var derivation = new Derivation<double>(SoftmaxRegression.Loss, SoftmaxRegression.Gradient, "W") { Hessian = SoftmaxRegression.Hessian };

        var report = derivation.CheckAtRandomPoints(s_w, count: 2);

        Assert.True(report.Passed, report.ToString());
        Assert.Empty(report.Patterns);
    }

    [Fact]
    public void AForgottenOneOverNIsAFactorOfNEverywhere()
    {
        var derivation = new Derivation<double>(SoftmaxRegression.Loss, SoftmaxRegression.Gradient, "W") { Hessian = SoftmaxRegression.HessianMissingOneOverN };

        var report = derivation.CheckAtRandomPoints(s_w, count: 2);
        output.WriteLine(report.ToString());

        var pattern = Assert.Single(report.Patterns);
        Assert.Equal(PatternKind.ConstantFactor, pattern.Kind);
        Assert.Equal("Hessian", pattern.Part);
        Assert.Equal(SoftmaxRegression.N, pattern.Factor!.Value, 1e-9);
        Assert.Contains("off by a factor of 12.000 everywhere", pattern.Description, StringComparison.Ordinal);
        Assert.Contains("a missing 1/N (N = 12)?", pattern.Description, StringComparison.Ordinal);
        Assert.Contains("pattern in the Hessian: off by a factor of 12.000", report.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ANegatedGradientIsASignFlip()
    {
        var derivation = new Derivation<double>(SoftmaxRegression.Loss, w => -SoftmaxRegression.Gradient(w), "W");

        var report = derivation.CheckAtRandomPoints(s_w, count: 2);

        var pattern = Assert.Single(report.Patterns);
        Assert.Equal(PatternKind.SignFlip, pattern.Kind);
        Assert.Equal(-1.0, pattern.Factor!.Value);
    }

    [Fact]
    public void SwappedKroneckerFactorsAreTheTransposedOrderOfXInRowsAndColumns()
    {
        var derivation = new Derivation<double>(KroneckerQuadratic.Function, KroneckerQuadratic.Gradient, "X") { Hessian = KroneckerQuadratic.HessianSwapped };

        var report = derivation.CheckAt(Tensor.Normal<double>([3, 2], seed: 3));
        output.WriteLine(report.ToString());

        Assert.False(report.Passed);
        var pattern = Assert.Single(report.Patterns);
        Assert.Equal(PatternKind.Permutation, pattern.Kind);
        Assert.Contains("X's elements in the order of X transposed in both the rows and the columns", pattern.Description, StringComparison.Ordinal);
        Assert.Contains("swapped Kronecker factors", pattern.Description, StringComparison.Ordinal);
        // Hand row 1 is X[0, 1] read row-major, but B ⊗ A puts X[1, 0] (column-major position 1) there.
        var first = pattern.Mapping[0];
        Assert.StartsWith("∂²f/∂X[0, 0]∂X[0, 1]", first.HandElement, StringComparison.Ordinal);
        Assert.Equal("∂²f/∂X[0, 0]∂X[1, 0]", first.AutoDiffElement);
    }

    [Fact]
    public void ATransposedGradientIsFoundAsAPermutationWithItsMapping()
    {
        var derivation = new Derivation<double>(LeastSquares.Function, LeastSquares.GradientTransposed, "W");

        var report = derivation.CheckAtRandomPoints(new Shape(3, 3), count: 2);
        output.WriteLine(report.ToString());

        var pattern = Assert.Single(report.Patterns);
        Assert.Equal(PatternKind.Permutation, pattern.Kind);
        Assert.Contains("W's elements in the order of W transposed", pattern.Description, StringComparison.Ordinal);
        Assert.Equal(new MovedElement("∂f/∂W[0, 1]", "∂f/∂W[1, 0]"), pattern.Mapping[0]);
        Assert.Contains("(6 of 9 elements moved)", pattern.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void ATransposedGradientOfANonSquareInputFailsWithAHint()
    {
        var derivation = new Derivation<double>(SoftmaxRegression.Loss, w => SoftmaxRegression.Gradient(w).Transpose(), "W");

        var error = Assert.Throws<ArgumentException>(() => derivation.CheckAtRandomPoints(s_w, count: 1));

        Assert.Contains("It is the transposed shape", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SwappedInputsAreNamed()
    {
        var derivation = new MultiInputDerivation<double>(p => (p[0] * p[1].Square()).Sum(), p => [p[1].Square(), 2.0 * p[0] * p[1]], "a", "b");

        var report = derivation.CheckAt([Tensor.FromArray([1.0, 2.0], 2), Tensor.FromArray([0.5, -1.5], 2)]);
        var swapped = new MultiInputDerivation<double>(p => (p[0] * p[1].Square()).Sum(), p => [2.0 * p[0] * p[1], p[1].Square()], "a", "b")
            .CheckAt([Tensor.FromArray([1.0, 2.0], 2), Tensor.FromArray([0.5, -1.5], 2)]);

        Assert.True(report.Passed, report.ToString());
        var pattern = Assert.Single(swapped.Patterns);
        Assert.Equal(PatternKind.Permutation, pattern.Kind);
        Assert.Contains("the values of a and b swapped", pattern.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void AnAsymmetricHandHessianIsNamedWithTheWrongTriangle()
    {
        // f(x) = Σᵢⱼ Cᵢⱼ xᵢ xⱼ / 2 with symmetric C: H = C. The hand version zeroes the lower triangle.
        double[,] c = { { 2, 1, 0.5 }, { 1, 3, -1 }, { 0.5, -1, 4 } };
        var matrix = Tensor.FromArray(c);
        var upperOnly = (double[,])c.Clone();
        upperOnly[1, 0] = upperOnly[2, 0] = upperOnly[2, 1] = 0;
        var derivation = new Derivation<double>(x => 0.5 * (x * matrix.MatMul(x.Reshape(3, 1)).Reshape(3)).Sum(), x => matrix.MatMul(x.Reshape(3, 1)).Reshape(3))
        {
            Hessian = _ => Tensor.FromArray(upperOnly),
        };

        var report = derivation.CheckAt(Tensor.FromArray([0.3, -0.2, 0.7], 3));

        var asymmetric = Assert.Single(report.Patterns, p => p.Kind == PatternKind.AsymmetricHessian);
        Assert.Contains("3 of 3 off-diagonal pairs differ", asymmetric.Description, StringComparison.Ordinal);
        Assert.Contains("The upper triangle matches autodiff: the lower one is wrong.", asymmetric.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void AMismatchInOneInputIsConfinedToIt()
    {
        var derivation = new MultiInputDerivation<double>(p => (p[0].Exp() * p[1]).Sum(), p => [p[0].Exp() * p[1] + 0.1 * p[0].Square(), p[0].Exp().Sum()], "w", "b");

        var report = derivation.CheckAt([Tensor.FromArray([0.1, -0.4, 0.9], 3), Tensor.Scalar(1.5)]);

        var pattern = Assert.Single(report.Patterns);
        Assert.Equal(PatternKind.Confined, pattern.Kind);
        Assert.Contains("confined to input w (3 of 4 elements wrong", pattern.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void AMismatchInOneRowOfAMatrixGradientIsConfinedToThatSlice()
    {
        var derivation = new Derivation<double>(LeastSquares.Function, w =>
        {
            var g = LeastSquares.Gradient(w).ToArray();
            g[3] *= 2; g[4] *= 2; g[5] *= 2;
            return Tensor.FromArray(g, 3, 3);
        }, "W");

        var report = derivation.CheckAtRandomPoints(new Shape(3, 3), count: 2);

        var pattern = Assert.Single(report.Patterns);
        Assert.Equal(PatternKind.Confined, pattern.Kind);
        Assert.Contains("confined to W[1, :]", pattern.Description, StringComparison.Ordinal);
        Assert.Contains("there hand = 2.000 × autodiff", pattern.Description, StringComparison.Ordinal);
        Assert.Equal(2, pattern.Factor!.Value, 1e-9);
    }

    [Fact]
    public void AMismatchInOneRowAndColumnOfAHessianNamesTheVariable()
    {
        var derivation = new Derivation<double>(SoftmaxRegression.Loss, SoftmaxRegression.Gradient, "W")
        {
            Hessian = w =>
            {
                var h = SoftmaxRegression.Hessian(w).ToArray();
                for (int k = 0; k < 6; k++)
                {
                    h[4 * 6 + k] += 0.5;
                    h[k * 6 + 4] += k == 4 ? 0 : 0.5;
                }
                return Tensor.FromArray(h, 6, 6);
            },
        };

        var report = derivation.CheckAt(Tensor.Normal<double>([3, 2], seed: 2));

        var pattern = Assert.Single(report.Patterns);
        Assert.Equal(PatternKind.Confined, pattern.Kind);
        Assert.Contains("confined to the row and column of W[2, 0] in the Hessian", pattern.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void OneBumpedEntryWithItsMirrorIsConfinedToOneElement()
    {
        var derivation = new Derivation<double>(SoftmaxRegression.Loss, SoftmaxRegression.Gradient, "W")
        {
            Hessian = w =>
            {
                var h = SoftmaxRegression.Hessian(w).ToArray();
                h[1 * 6 + 3] += 0.01;
                h[3 * 6 + 1] += 0.01;
                return Tensor.FromArray(h, 6, 6);
            },
        };

        var report = derivation.CheckAt(Tensor.Normal<double>([3, 2], seed: 2));

        var pattern = Assert.Single(report.Patterns);
        Assert.Contains("confined to one element and its mirror, ∂²f/∂W[0, 1]∂W[1, 1] and ∂²f/∂W[1, 1]∂W[0, 1]", pattern.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void AMismatchInOneHessianBlockNamesTheBlock()
    {
        static Tensor<double> F(Tensor<double>[] p) => (p[0].Exp() * p[1].Square()).Sum();
        var derivation = new MultiInputDerivation<double>(F, p => [p[0].Exp() * p[1].Square(), (2.0 * p[0].Exp() * p[1]).Sum()], "w", "b")
        {
            Hessian = p =>
            {
                double[] w = p[0].ToArray();
                double b = p[1].ToScalar();
                var h = new double[3, 3];
                for (int i = 0; i < 2; i++)
                {
                    h[i, i] = Math.Exp(w[i]) * b * b;
                    h[i, 2] = h[2, i] = 3 * Math.Exp(w[i]) * b; // should be 2·e^w·b
                }
                h[2, 2] = 2 * (Math.Exp(w[0]) + Math.Exp(w[1]));
                return Tensor.FromArray(h);
            },
        };

        var report = derivation.CheckAt([Tensor.FromArray([0.2, -0.3], 2), Tensor.Scalar(0.8)]);

        var pattern = Assert.Single(report.Patterns);
        Assert.Contains("confined to the block ∂²f/∂w∂b (and its mirror) of the Hessian", pattern.Description, StringComparison.Ordinal);
        Assert.Contains("there hand = 1.500 × autodiff", pattern.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void JacobianChecksPassARightJacobianAndFindAMissingFactor()
    {
        var right = new JacobianDerivation<double>(x => x.Square(), x => Diagonal([.. x.ToArray().Select(v => 2 * v)]));
        var missingTwo = new JacobianDerivation<double>(x => x.Square(), x => Diagonal(x.ToArray()));

        var passing = right.CheckAtRandomPoints(new Shape(3), count: 2);
        var failing = missingTwo.CheckAtRandomPoints(new Shape(3), count: 2);

        Assert.True(passing.Passed, passing.ToString());
        Assert.Equal(2 * 9, passing.ComparedCount);
        var pattern = Assert.Single(failing.Patterns);
        Assert.Equal(PatternKind.ConstantFactor, pattern.Kind);
        Assert.Equal("Jacobian", pattern.Part);
        Assert.Contains("an extra 1/N, or a missing factor N (N = 2)?", pattern.Description, StringComparison.Ordinal);
        Assert.NotNull(failing.Worst!.OutputIndex);
    }

    private static Tensor<double> Diagonal(double[] values)
    {
        var d = new double[values.Length, values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            d[i, i] = values[i];
        }
        return Tensor.FromArray(d);
    }
}
