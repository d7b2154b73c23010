using TinyAutograd.Optim;
using static TinyAutograd.Tests.Optim.TestProblems;

namespace TinyAutograd.Tests.Optim;

/// <summary>
/// For every update rule, the first three steps computed by hand from SEEDS.md's formulas (plain double arithmetic on
/// a hand-derived gradient) must match the library to 1e−12.
/// </summary>
public sealed class HandComputedStepTests
{
    private const double Tolerance = 1e-12;
    private static readonly Quadratic Problem = Quadratic.Coupled;
    private static readonly double[] Start = [0.5, -1.0, 2.0];

    [Fact]
    public void GradientDescent_StepsAgainstTheGradient()
    {
        const double eta = 0.1;
        var expected = HandSteps((theta, _) =>
        {
            var g = Problem.Gradient(theta);
            for (int i = 0; i < theta.Length; i++)
            {
                theta[i] -= eta * g[i];
            }
        });
        AssertSame(expected, LibrarySteps(p => new GradientDescent<double>([p], new GradientDescentOptions { LearningRate = eta })));
    }

    [Fact]
    public void Momentum_UpdateForm_AccumulatesTheUpdate()
    {
        const double eta = 0.1, gamma = 0.9;
        var update = new double[3];
        var expected = HandSteps((theta, _) =>
        {
            var g = Problem.Gradient(theta);
            for (int i = 0; i < theta.Length; i++)
            {
                update[i] = gamma * update[i] + eta * g[i];
                theta[i] -= update[i];
            }
        });
        AssertSame(expected, LibrarySteps(p => new Momentum<double>([p], new MomentumOptions { LearningRate = eta, Momentum = gamma })));
    }

    [Fact]
    public void Momentum_VelocityForm_AccumulatesTheVelocity()
    {
        const double epsilon = 0.1, alpha = 0.8;
        var v = new double[3];
        var expected = HandSteps((theta, _) =>
        {
            var g = Problem.Gradient(theta);
            for (int i = 0; i < theta.Length; i++)
            {
                v[i] = alpha * v[i] - epsilon * g[i];
                theta[i] += v[i];
            }
        });
        AssertSame(expected, LibrarySteps(p => new Momentum<double>([p],
            new MomentumOptions { LearningRate = epsilon, Momentum = alpha, Form = MomentumForm.Velocity })));
    }

    [Fact]
    public void Nesterov_LookAhead_TakesTheGradientAtTheLookAheadPoint()
    {
        const double eta = 0.1, gamma = 0.9;
        var update = new double[3];
        var expected = HandSteps((w, _) =>
        {
            var look = w.Select((value, i) => value - gamma * update[i]).ToArray();
            var g = Problem.Gradient(look);
            for (int i = 0; i < w.Length; i++)
            {
                update[i] = gamma * update[i] + eta * g[i];
                w[i] -= update[i];
            }
        });
        AssertSame(expected, LibrarySteps(p => new Nesterov<double>([p], new NesterovOptions { LearningRate = eta, Momentum = gamma }), useClosure: true));
    }

    [Fact]
    public void Nesterov_Reformulated_StepsFromTheStoredLookAheadPoint()
    {
        const double eta = 0.1, gamma = 0.9;
        var update = new double[3];
        var expected = HandSteps((phi, _) =>
        {
            var g = Problem.Gradient(phi);
            for (int i = 0; i < phi.Length; i++)
            {
                update[i] = gamma * update[i] + eta * g[i];
                phi[i] -= gamma * update[i] + eta * g[i];
            }
        });
        AssertSame(expected, LibrarySteps(p => new Nesterov<double>([p],
            new NesterovOptions { LearningRate = eta, Momentum = gamma, Form = NesterovForm.Reformulated })));
    }

    [Fact]
    public void AdaGrad_DividesBySquareRootOfSummedSquares()
    {
        const double epsilon = 0.5, delta = 1e-7;
        var r = new double[3];
        var expected = HandSteps((theta, _) =>
        {
            var g = Problem.Gradient(theta);
            for (int i = 0; i < theta.Length; i++)
            {
                r[i] += g[i] * g[i];
                theta[i] += -epsilon / (delta + Math.Sqrt(r[i])) * g[i];
            }
        });
        AssertSame(expected, LibrarySteps(p => new AdaGrad<double>([p], new AdaGradOptions { LearningRate = epsilon, Delta = delta })));
    }

    [Fact]
    public void RmsProp_DividesBySquareRootOfDecayingAverage()
    {
        const double epsilon = 0.1, rho = 0.8, delta = 1e-6;
        var r = new double[3];
        var expected = HandSteps((theta, _) =>
        {
            var g = Problem.Gradient(theta);
            for (int i = 0; i < theta.Length; i++)
            {
                r[i] = rho * r[i] + (1 - rho) * g[i] * g[i];
                theta[i] += -epsilon / (delta + Math.Sqrt(r[i])) * g[i];
            }
        });
        AssertSame(expected, LibrarySteps(p => new RmsProp<double>([p], new RmsPropOptions { LearningRate = epsilon, Rho = rho, Delta = delta })));
    }

    [Fact]
    public void AdaDelta_ScalesByRatioOfRunningRootMeanSquares()
    {
        const double eta = 0.5, rho = 0.9, delta = 1e-4;
        var r = new double[3];
        var s = new double[3];
        var expected = HandSteps((theta, _) =>
        {
            var g = Problem.Gradient(theta);
            for (int i = 0; i < theta.Length; i++)
            {
                r[i] = rho * r[i] + (1 - rho) * g[i] * g[i];
                double step = -(Math.Sqrt(s[i] + delta) / Math.Sqrt(r[i] + delta)) * g[i];
                s[i] = rho * s[i] + (1 - rho) * step * step;
                theta[i] += eta * step;
            }
        });
        AssertSame(expected, LibrarySteps(p => new AdaDelta<double>([p], new AdaDeltaOptions { LearningRate = eta, Rho = rho, Delta = delta })));
    }

    [Fact]
    public void Adam_CorrectsTheBiasOfBothMoments()
    {
        const double epsilon = 0.1, rho1 = 0.8, rho2 = 0.99, delta = 1e-6;
        var expected = HandSteps(AdamReference(epsilon, rho1, rho2, delta, weightDecay: 0, amsGrad: false, out _));
        AssertSame(expected, LibrarySteps(p => new Adam<double>([p],
            new AdamOptions { LearningRate = epsilon, Beta1 = rho1, Beta2 = rho2, Delta = delta })));
    }

    [Fact]
    public void Adam_WithDefaults_UsesSeedsDefaults()
    {
        var expected = HandSteps(AdamReference(0.001, 0.9, 0.999, 1e-8, weightDecay: 0, amsGrad: false, out _));
        AssertSame(expected, LibrarySteps(p => new Adam<double>([p])));
    }

    [Fact]
    public void AmsGrad_DividesByTheRunningMaximumOfTheSecondMoment()
    {
        const double epsilon = 0.3, rho1 = 0.9, rho2 = 0.5, delta = 1e-8;
        var expected = HandSteps(AdamReference(epsilon, rho1, rho2, delta, weightDecay: 0, amsGrad: true, out var maxExceededR));
        Assert.True(maxExceededR(), "premise: within three steps r must fall below its running maximum, or AMSGrad would equal Adam");
        AssertSame(expected, LibrarySteps(p => new Adam<double>([p],
            new AdamOptions { LearningRate = epsilon, Beta1 = rho1, Beta2 = rho2, Delta = delta, AmsGrad = true })));
    }

    [Fact]
    public void AdamW_DecaysTheWeightsOutsideTheAdaptiveStep()
    {
        const double epsilon = 0.1, rho1 = 0.9, rho2 = 0.999, delta = 1e-8, lambda = 0.2;
        var expected = HandSteps(AdamReference(epsilon, rho1, rho2, delta, lambda, amsGrad: false, out _));
        AssertSame(expected, LibrarySteps(p => new AdamW<double>([p],
            new AdamWOptions { LearningRate = epsilon, Beta1 = rho1, Beta2 = rho2, Delta = delta, WeightDecay = lambda })));
    }

    [Fact]
    public void Lbfgs_WithoutLineSearch_FollowsTheTwoLoopRecursion()
    {
        const double eta = 0.5;
        var pairs = new List<(double[] S, double[] Y)>();
        double[]? previousGradient = null, previousStep = null;
        var expected = HandSteps((theta, t) =>
        {
            var g = Problem.Gradient(theta);
            if (previousStep is not null)
            {
                pairs.Add((previousStep, [.. g.Zip(previousGradient!, (a, b) => a - b)]));
            }
            var d = TwoLoopDirection(g, pairs);
            double step = t == 1 ? Math.Min(1, 1 / g.Sum(Math.Abs)) * eta : eta;
            previousStep = [.. d.Select(value => step * value)];
            previousGradient = g;
            for (int i = 0; i < theta.Length; i++)
            {
                theta[i] += step * d[i];
            }
        });
        AssertSame(expected, LibrarySteps(p => new Lbfgs<double>([p],
            new LbfgsOptions { LearningRate = eta, LineSearch = LineSearch.None, MaxIterations = 1 }), useClosure: true));
    }

    [Fact]
    public void NewtonCG_TakesNewtonStepsWithArmijoBacktracking()
    {
        var expected = new double[3][];
        var theta = (double[])Rosenbrock.Start.Clone();
        for (int k = 0; k < 3; k++)
        {
            var g = Rosenbrock.Gradient(theta);
            var h = Rosenbrock.Hessian(theta);
            double det = h[0, 0] * h[1, 1] - h[0, 1] * h[1, 0];
            Assert.True(h[0, 0] > 0 && det > 0, $"premise: the Hessian at step {k + 1} is positive definite, so CG returns the Newton step");
            double[] d = [-(h[1, 1] * g[0] - h[0, 1] * g[1]) / det, -(h[0, 0] * g[1] - h[1, 0] * g[0]) / det];
            double f = Rosenbrock.Value(theta), slope = Dot(g, d), alpha = 1;
            while (Rosenbrock.Value([theta[0] + alpha * d[0], theta[1] + alpha * d[1]]) > f + 1e-4 * alpha * slope)
            {
                alpha /= 2;
            }
            theta = [theta[0] + alpha * d[0], theta[1] + alpha * d[1]];
            expected[k] = theta;
        }

        var parameter = Parameter<double>(Rosenbrock.Start);
        var optimizer = new NewtonCG<double>([parameter], new NewtonCGOptions { CgTolerance = 1e-14 });
        var closure = Closure(optimizer, () => Rosenbrock.Loss(parameter));
        var actual = new double[3][];
        for (int k = 0; k < 3; k++)
        {
            optimizer.Step(closure);
            Assert.Equal(2, optimizer.LastStep.CgIterations);
            actual[k] = ToDoubles(parameter);
        }
        AssertSame(expected, actual, Rosenbrock.Start);
    }

    /// <summary>Adam / AMSGrad / AdamW by hand; <paramref name="maxExceededR"/> tells whether r_max ever exceeded r.</summary>
    private static Action<double[], int> AdamReference(double epsilon, double rho1, double rho2, double delta, double weightDecay, bool amsGrad, out Func<bool> maxExceededR)
    {
        var s = new double[3];
        var r = new double[3];
        var rMax = new double[3];
        bool exceeded = false;
        maxExceededR = () => exceeded;
        return (theta, t) =>
        {
            var g = Problem.Gradient(theta);
            for (int i = 0; i < theta.Length; i++)
            {
                theta[i] -= epsilon * weightDecay * theta[i];
                s[i] = rho1 * s[i] + (1 - rho1) * g[i];
                r[i] = rho2 * r[i] + (1 - rho2) * g[i] * g[i];
                rMax[i] = Math.Max(rMax[i], r[i]);
                exceeded |= rMax[i] > r[i];
                double sHat = s[i] / (1 - Math.Pow(rho1, t));
                double rHat = (amsGrad ? rMax[i] : r[i]) / (1 - Math.Pow(rho2, t));
                theta[i] += -epsilon * sHat / (Math.Sqrt(rHat) + delta);
            }
        };
    }

    /// <summary>d = −H̃g by the two-loop recursion with H̃₀ = (sᵀy/yᵀy)I from the newest pair.</summary>
    private static double[] TwoLoopDirection(double[] g, List<(double[] S, double[] Y)> pairs)
    {
        var q = (double[])g.Clone();
        var alphas = new double[pairs.Count];
        for (int k = pairs.Count - 1; k >= 0; k--)
        {
            var (s, y) = pairs[k];
            alphas[k] = Dot(s, q) / Dot(y, s);
            for (int i = 0; i < q.Length; i++)
            {
                q[i] -= alphas[k] * y[i];
            }
        }
        if (pairs.Count > 0)
        {
            var (s, y) = pairs[^1];
            double gamma = Dot(s, y) / Dot(y, y);
            q = [.. q.Select(value => gamma * value)];
        }
        for (int k = 0; k < pairs.Count; k++)
        {
            var (s, y) = pairs[k];
            double beta = Dot(y, q) / Dot(y, s);
            for (int i = 0; i < q.Length; i++)
            {
                q[i] += (alphas[k] - beta) * s[i];
            }
        }
        return [.. q.Select(value => -value)];
    }

    /// <summary>Three hand steps from <see cref="Start"/>; the action updates θ in place given t = 1, 2, 3.</summary>
    private static double[][] HandSteps(Action<double[], int> step)
    {
        var theta = (double[])Start.Clone();
        var result = new double[3][];
        for (int t = 1; t <= 3; t++)
        {
            step(theta, t);
            result[t - 1] = (double[])theta.Clone();
        }
        return result;
    }

    /// <summary>Three library steps on <see cref="Problem"/> from <see cref="Start"/>, with Backward + Step() or with the closure.</summary>
    private static double[][] LibrarySteps(Func<Tensor<double>, Optimizer<double>> create, bool useClosure = false)
    {
        var theta = Parameter<double>(Start);
        var optimizer = create(theta);
        var closure = Closure(optimizer, () => Problem.Loss(theta));
        var result = new double[3][];
        for (int k = 0; k < 3; k++)
        {
            if (useClosure)
            {
                optimizer.Step(closure);
            }
            else
            {
                closure();
                optimizer.Step();
            }
            result[k] = ToDoubles(theta);
        }
        return result;
    }

    private static void AssertSame(double[][] expected, double[][] actual, double[]? start = null)
    {
        start ??= Start;
        for (int k = 0; k < expected.Length; k++)
        {
            for (int i = 0; i < expected[k].Length; i++)
            {
                Assert.True(Math.Abs(expected[k][i] - actual[k][i]) <= Tolerance,
                    $"step {k + 1}, θ[{i}]: by hand {expected[k][i]:R}, library {actual[k][i]:R} (difference {Math.Abs(expected[k][i] - actual[k][i]):E2})");
            }
            Assert.True(Distance(expected[k], k == 0 ? start : expected[k - 1]) > 1e-9,
                $"step {k + 1} did not move the parameters; the comparison would be vacuous");
        }
    }
}
