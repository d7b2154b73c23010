using System.Numerics;

namespace TinyAutograd.Tests.Optim;

/// <summary>
/// Objectives for optimizer tests, each twice: as a tensor expression the library differentiates, and as hand-written
/// plain-double formulas for the value, gradient and (where needed) Hessian, to compute expected steps independently.
/// </summary>
internal static class TestProblems
{
    public static T[] Convert<T>(double[] values)
        where T : unmanaged, IFloatingPointIeee754<T> => [.. values.Select(T.CreateTruncating)];

    public static double[] ToDoubles<T>(Tensor<T> tensor)
        where T : unmanaged, IFloatingPointIeee754<T> => [.. tensor.ToArray().Select(double.CreateTruncating)];

    public static Tensor<T> Parameter<T>(double[] values)
        where T : unmanaged, IFloatingPointIeee754<T> => Tensor.FromArray(Convert<T>(values)).RequireGrad();

    /// <summary>The closure of the optimizer contract: zero, evaluate, backward, return.</summary>
    public static Func<Tensor<T>> Closure<T>(TinyAutograd.Optim.Optimizer<T> optimizer, Func<Tensor<T>> loss)
        where T : unmanaged, IFloatingPointIeee754<T> => () =>
        {
            optimizer.ZeroGrad();
            var value = loss();
            value.Backward();
            return value;
        };

    public static double Dot(double[] x, double[] y) => x.Zip(y, (a, b) => a * b).Sum();

    public static double Norm(double[] x) => Math.Sqrt(Dot(x, x));

    public static double Distance(double[] x, double[] y) => Norm([.. x.Zip(y, (a, b) => a - b)]);
}

/// <summary>f(θ) = ½θᵀAθ − bᵀθ with A symmetric positive definite: ∇f = Aθ − b, ∇²f = A, θ* = A⁻¹b.</summary>
internal sealed class Quadratic(double[,] a, double[] b)
{
    public double[,] A { get; } = a;

    public double[] B { get; } = b;

    public int Size => B.Length;

    /// <summary>A 3×3 coupled quadratic (eigenvalues about 1.3, 2.5 and 5.2).</summary>
    public static Quadratic Coupled { get; } = new(new double[,] { { 3, 1, 0.5 }, { 1, 2, 0 }, { 0.5, 0, 4 } }, [1, -1, 0.5]);

    /// <summary>diag(1, κ): condition number κ, minimum at the origin when b = 0.</summary>
    public static Quadratic IllConditioned(double kappa) => new(new double[,] { { 1, 0 }, { 0, kappa } }, [0, 0]);

    public Tensor<T> Loss<T>(Tensor<T> theta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var a = Tensor.FromArray(TestProblems.Convert<T>([.. A.Cast<double>()]), Size, Size);
        var b = Tensor.FromArray(TestProblems.Convert<T>(B));
        return 0.5 * theta.MatMul(a.MatMul(theta)) - b.MatMul(theta);
    }

    public double[] Gradient(double[] theta)
    {
        var g = new double[Size];
        for (int i = 0; i < Size; i++)
        {
            for (int j = 0; j < Size; j++)
            {
                g[i] += A[i, j] * theta[j];
            }
            g[i] -= B[i];
        }
        return g;
    }

    /// <summary>θ* = A⁻¹b by Gaussian elimination (A is SPD, so no pivoting is needed).</summary>
    public double[] Minimizer()
    {
        int n = Size;
        var m = (double[,])A.Clone();
        var x = (double[])B.Clone();
        for (int k = 0; k < n; k++)
        {
            for (int i = k + 1; i < n; i++)
            {
                double factor = m[i, k] / m[k, k];
                for (int j = k; j < n; j++)
                {
                    m[i, j] -= factor * m[k, j];
                }
                x[i] -= factor * x[k];
            }
        }
        for (int i = n - 1; i >= 0; i--)
        {
            for (int j = i + 1; j < n; j++)
            {
                x[i] -= m[i, j] * x[j];
            }
            x[i] /= m[i, i];
        }
        return x;
    }
}

/// <summary>
/// J(θ) = log Σᵢ exp(aᵢᵀθ + bᵢ) (SEEDS §7). The rows aᵢ surround the origin (0 is inside their convex hull), so J grows
/// in every direction and has a unique minimum, though ∇J = Σ pᵢaᵢ = 0 (p = softmax(Aθ + b)) has no closed form.
/// </summary>
internal static class LogSumExpObjective
{
    public static readonly double[,] A = { { 1, 0.5 }, { -1, 0.2 }, { 0.3, 1 }, { -0.2, -1 }, { 0.5, -0.5 } };
    public static readonly double[] B = [0.1, -0.2, 0.3, 0, -0.1];

    public static Tensor<T> Loss<T>(Tensor<T> theta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var a = Tensor.FromArray(TestProblems.Convert<T>([.. A.Cast<double>()]), 5, 2);
        var b = Tensor.FromArray(TestProblems.Convert<T>(B));
        return (a.MatMul(theta) + b).LogSumExp();
    }

    public static double[] Gradient(double[] theta)
    {
        var z = new double[5];
        for (int i = 0; i < 5; i++)
        {
            z[i] = A[i, 0] * theta[0] + A[i, 1] * theta[1] + B[i];
        }
        double max = z.Max();
        var p = z.Select(v => Math.Exp(v - max)).ToArray();
        double total = p.Sum();
        var g = new double[2];
        for (int i = 0; i < 5; i++)
        {
            g[0] += p[i] / total * A[i, 0];
            g[1] += p[i] / total * A[i, 1];
        }
        return g;
    }
}

/// <summary>Rosenbrock's banana f(x, y) = (1 − x)² + 100(y − x²)², minimum 0 at (1, 1), classic start (−1.2, 1).</summary>
internal static class Rosenbrock
{
    public static readonly double[] Start = [-1.2, 1];

    public static Tensor<T> Loss<T>(Tensor<T> theta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = theta.Slice(0, 0, 1);
        var y = theta.Slice(0, 1, 1);
        return ((1.0 - x).Square() + 100.0 * (y - x.Square()).Square()).Sum();
    }

    public static double Value(double[] p) => Math.Pow(1 - p[0], 2) + 100 * Math.Pow(p[1] - p[0] * p[0], 2);

    public static double[] Gradient(double[] p) =>
        [-2 * (1 - p[0]) - 400 * p[0] * (p[1] - p[0] * p[0]), 200 * (p[1] - p[0] * p[0])];

    public static double[,] Hessian(double[] p) => new double[,]
    {
        { 2 - 400 * (p[1] - p[0] * p[0]) + 800 * p[0] * p[0], -400 * p[0] },
        { -400 * p[0], 200 },
    };
}
