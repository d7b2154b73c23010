using TinyAutograd.Optim;
using Xunit.Abstractions;
using static TinyAutograd.Tests.Optim.TestProblems;

namespace TinyAutograd.Tests.Optim;

/// <summary>Newton-CG and L-BFGS: exactness on quadratics, behaviour on Rosenbrock, negative curvature, line searches.</summary>
public sealed class SecondOrderTests(ITestOutputHelper output)
{
    private static readonly double[] One = [1, 1];

    /// <summary>A strictly convex 6-dimensional quadratic: A = MᵀM + I with M random, b random.</summary>
    private static Quadratic RandomQuadratic(double shift = 1)
    {
        const int n = 6;
        var random = new RandomSource(5);
        var m = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                m[i, j] = random.NextNormal();
            }
        }
        var a = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                for (int k = 0; k < n; k++)
                {
                    a[i, j] += m[k, i] * m[k, j];
                }
            }
            a[i, i] += shift;
        }
        return new Quadratic(a, [.. Enumerable.Range(0, n).Select(_ => random.NextNormal())]);
    }

    [Fact]
    public void NewtonCG_SolvesAStrictlyConvexQuadratic_InAtMostNCgIterations()
    {
        var problem = RandomQuadratic();
        var theta = Parameter<double>(new double[problem.Size]);
        var optimizer = new NewtonCG<double>([theta], new NewtonCGOptions { CgTolerance = 1e-12 });
        optimizer.Step(Closure(optimizer, () => problem.Loss(theta)));
        double error = Distance(ToDoubles(theta), problem.Minimizer());
        Assert.True(optimizer.LastStep.CgIterations <= problem.Size, $"{optimizer.LastStep.CgIterations} CG iterations for n = {problem.Size}");
        Assert.Equal(1, optimizer.LastStep.StepLength);
        Assert.True(error <= 1e-9, $"one Newton-CG step ends {error:E2} from θ* = A⁻¹b");
    }

    [Fact]
    public void NewtonCG_WithDamping_SolvesTheShiftedSystem()
    {
        const double lambda = 2;
        var problem = RandomQuadratic();
        var start = new double[] { 0.3, -0.2, 0.1, 0.5, -0.4, 0.2 };
        var theta = Parameter<double>(start);
        var optimizer = new NewtonCG<double>([theta], new NewtonCGOptions { CgTolerance = 1e-13, Damping = lambda });
        optimizer.Step(Closure(optimizer, () => problem.Loss(theta)));

        var shifted = (double[,])problem.A.Clone();
        for (int i = 0; i < problem.Size; i++)
        {
            shifted[i, i] += lambda;
        }
        var d = new Quadratic(shifted, [.. problem.Gradient(start).Select(g => -g)]).Minimizer();
        var expected = start.Zip(d, (x, step) => x + step).ToArray();
        Assert.True(Distance(expected, ToDoubles(theta)) <= 1e-10, "the step is not −(A + λI)⁻¹g");
    }

    [Fact]
    public void NewtonCG_Rosenbrock_ConvergesInUnder100Iterations_WhereGradientDescentNeedsThousands()
    {
        const double tolerance = 1e-8;
        var newtonTheta = Parameter<double>(Rosenbrock.Start);
        var newton = new NewtonCG<double>([newtonTheta]);
        int newtonIterations = CountSteps(newton, newtonTheta, 1000, tolerance);
        var exactTheta = Parameter<double>(Rosenbrock.Start);
        var exact = new NewtonCG<double>([exactTheta], new NewtonCGOptions { CgTolerance = 1e-10 });
        int exactIterations = CountSteps(exact, exactTheta, 1000, tolerance);

        var gdTheta = Parameter<double>(Rosenbrock.Start);
        var gd = new GradientDescent<double>([gdTheta], new GradientDescentOptions { LearningRate = 0.001 });
        int gdIterations = CountSteps(gd, gdTheta, 200_000, tolerance);

        string counts = $"Rosenbrock from (−1.2, 1) to ‖θ − (1, 1)‖ ≤ {tolerance:E0}: Newton-CG {newtonIterations} iterations ({newton.TotalCgIterations} CG iterations in all; with exact CG solves {exactIterations} and {exact.TotalCgIterations}), gradient descent (η = 0.001) {gdIterations}";
        output.WriteLine(counts);
        Assert.True(newtonIterations < 100 && exactIterations < 100, counts);
        Assert.True(gdIterations >= 1000 && gdIterations < int.MaxValue, counts);
    }

    [Fact]
    public void NewtonCG_AtNegativeCurvature_StepsDownhillAndReachesALocalMinimum()
    {
        // f(x, y) = x⁴/4 − x²/2 + y²/2: ∂²f/∂x² = 3x² − 1 < 0 at x = 0.5, so the first CG direction −g has negative curvature.
        var theta = Parameter<double>([0.5, 0.01]);
        Func<Tensor<double>> loss = () =>
        {
            var x = theta.Slice(0, 0, 1);
            var y = theta.Slice(0, 1, 1);
            return (0.25 * x.Pow(4) - 0.5 * x.Square() + 0.5 * y.Square()).Sum();
        };
        var optimizer = new NewtonCG<double>([theta]);
        var closure = Closure(optimizer, loss);
        double before = optimizer.Step(closure).ToScalar();
        Assert.True(optimizer.LastStep.NegativeCurvature, "premise: the first direction has negative curvature");
        Assert.True(loss().ToScalar() < before, "the negative-curvature step must still decrease the loss");
        for (int k = 0; k < 30; k++)
        {
            optimizer.Step(closure);
        }
        Assert.True(Distance(ToDoubles(theta), [1, 0]) <= 1e-8, $"ended at ({theta[0]}, {theta[1]}), not the local minimum (1, 0)");
    }

    [Fact]
    public void NewtonCG_HessianVectorProductThroughTheClosure_MatchesReverseOverReverse()
    {
        var model = new SmallRegression<double>();
        var flat = new FlatParameters<double>(model.Parameters, "test");
        var vector = new RandomSource(3).Uniform<double>([flat.Length], -1, 1).ToArray();
        var product = new double[flat.Length];
        var optimizer = new GradientDescent<double>(model.Parameters);
        flat.HessianVectorProduct(Closure(optimizer, model.Loss), vector, product);

        var vectors = new[] { Tensor.FromArray(vector[..6], 2, 3), Tensor.FromArray(vector[6..]) };
        var copy = model.Copy();
        var expected = AutoDiff.HessianVectorProduct(copy.LossAt, [copy.Weight, copy.Bias], vectors, HessianVectorMethod.ReverseOverReverse);
        var flatExpected = expected.SelectMany(t => t.ToArray()).ToArray();
        for (int i = 0; i < product.Length; i++)
        {
            Assert.Equal(flatExpected[i], product[i], 12);
        }
        Assert.All(model.Parameters, p => Assert.Null(p.Tangent));
        Assert.All(model.Parameters, p => Assert.Null(p.Grad!.Tangent));
    }

    [Fact]
    public void Lbfgs_EveryStrongWolfeStepMeetsBothConditions_AndRosenbrockConvergesInUnder100Steps()
    {
        var options = new LbfgsOptions { MaxIterations = 1, GradientTolerance = 0, ChangeTolerance = 0 };
        var theta = Parameter<double>(Rosenbrock.Start);
        var optimizer = new Lbfgs<double>([theta], options);
        var closure = Closure(optimizer, () => Rosenbrock.Loss(theta));
        int steps = 0;
        while (Distance(ToDoubles(theta), One) > 1e-8 && steps < 200)
        {
            var x0 = ToDoubles(theta);
            optimizer.Step(closure);
            steps++;
            var x1 = ToDoubles(theta);
            var s = x1.Zip(x0, (a, b) => a - b).ToArray();
            if (Norm(s) == 0)
            {
                continue;
            }
            double slope0 = Dot(Rosenbrock.Gradient(x0), s), slope1 = Dot(Rosenbrock.Gradient(x1), s);
            Assert.True(Rosenbrock.Value(x1) <= Rosenbrock.Value(x0) + options.SufficientDecrease * slope0,
                $"step {steps}: sufficient decrease fails (f from {Rosenbrock.Value(x0):R} to {Rosenbrock.Value(x1):R})");
            Assert.True(Math.Abs(slope1) <= options.Curvature * Math.Abs(slope0) + 1e-15,
                $"step {steps}: curvature condition fails (|∇f₁ᵀs| = {Math.Abs(slope1):E3}, c₂|∇f₀ᵀs| = {options.Curvature * Math.Abs(slope0):E3})");
        }
        output.WriteLine($"L-BFGS (strong Wolfe, one iteration per step): {steps} iterations on Rosenbrock to 1e-8");
        Assert.True(steps < 100, $"L-BFGS needed {steps} iterations");
    }

    [Fact]
    public void Lbfgs_SolvesAStrictlyConvexQuadratic()
    {
        var problem = RandomQuadratic();
        var theta = Parameter<double>(new double[problem.Size]);
        var optimizer = new Lbfgs<double>([theta], new LbfgsOptions { GradientTolerance = 0, ChangeTolerance = 0 });
        var closure = Closure(optimizer, () => problem.Loss(theta));
        for (int k = 0; k < 3; k++)
        {
            optimizer.Step(closure);
        }
        Assert.True(Distance(ToDoubles(theta), problem.Minimizer()) <= 1e-9, $"{optimizer.Iterations} iterations did not reach θ*");
    }

    [Fact]
    public void SecondOrderMethods_WorkInFloat()
    {
        var problem = RandomQuadratic();
        var minimizer = problem.Minimizer();
        var newtonTheta = Parameter<float>(new double[problem.Size]);
        var newton = new NewtonCG<float>([newtonTheta], new NewtonCGOptions { CgTolerance = 1e-6 });
        var lbfgsTheta = Parameter<float>(new double[problem.Size]);
        var lbfgs = new Lbfgs<float>([lbfgsTheta]);
        for (int k = 0; k < 10; k++)
        {
            newton.Step(Closure(newton, () => problem.Loss(newtonTheta)));
            lbfgs.Step(Closure(lbfgs, () => problem.Loss(lbfgsTheta)));
        }
        Assert.True(Distance(ToDoubles(newtonTheta), minimizer) <= 1e-4, "Newton-CG in float");
        Assert.True(Distance(ToDoubles(lbfgsTheta), minimizer) <= 1e-4, "L-BFGS in float");
    }

    private static int CountSteps(Optimizer<double> optimizer, Tensor<double> theta, int limit, double tolerance)
    {
        var closure = Closure(optimizer, () => Rosenbrock.Loss(theta));
        for (int t = 1; t <= limit; t++)
        {
            optimizer.Step(closure);
            if (Distance(ToDoubles(theta), One) <= tolerance)
            {
                return t;
            }
        }
        return int.MaxValue;
    }
}
