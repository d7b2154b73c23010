using System.Numerics;

namespace TinyAutograd.Examples.Models;

/// <summary>
/// The Hessian eigenvalue of largest magnitude of a scalar loss of many tensors (a model's parameters), by power
/// iteration on exact Hessian-vector products; the Hessian itself is never formed.
/// </summary>
/// <remarks>
/// From a random unit v₀: wₖ = H·vₖ, λₖ = ⟨vₖ, wₖ⟩ (the Rayleigh quotient), vₖ₊₁ = wₖ / ‖wₖ‖, with the parameters'
/// tensors taken together as one vector. λₖ converges to the eigenvalue of largest |λ| at the rate |λ₂/λ₁| per step
/// (Golub and Van Loan, "Matrix Computations", 4th ed., §7.3.1); each H·v is forward-over-reverse
/// (Pearlmutter 1994), a few times the cost of one gradient.
/// </remarks>
internal static class HessianPowerIteration
{
    /// <summary>
    /// Runs <paramref name="iterations"/> steps from a random start drawn from <paramref name="random"/>; returns every
    /// step's Rayleigh quotient (the last is the estimate) and the last unit vector. <paramref name="afterStep"/> hears each step's estimate.
    /// </summary>
    public static (double[] Estimates, Tensor<T>[] Vector) Run<T>(Func<Tensor<T>[], Tensor<T>> loss, Tensor<T>[] parameters, int iterations, RandomSource random,
        Action<int, double>? afterStep = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var vector = Normalized([.. parameters.Select(p => random.Normal<T>(p.Shape.ToArray()))]);
        var estimates = new double[iterations];
        for (int step = 0; step < iterations; step++)
        {
            var product = AutoDiff.HessianVectorProduct(loss, parameters, vector);
            estimates[step] = Dot(vector, product);
            vector = Normalized(product);
            afterStep?.Invoke(step, estimates[step]);
        }
        return (estimates, vector);
    }

    /// <summary>The curvature of the loss along the unit vector <paramref name="direction"/> by a central second difference with step <paramref name="step"/>: (L(θ + hv) − 2L(θ) + L(θ − hv)) / h².</summary>
    public static double SecondDifference<T>(Func<Tensor<T>[], Tensor<T>> loss, Tensor<T>[] parameters, Tensor<T>[] direction, double step)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var noRecording = GradMode.Disable();
        double At(double t) => double.CreateTruncating(loss([.. parameters.Zip(direction, (p, v) => p + v * t)]).ToScalar());
        return (At(step) - 2 * At(0) + At(-step)) / (step * step);
    }

    private static double Dot<T>(Tensor<T>[] a, Tensor<T>[] b)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        a.Zip(b, (x, y) => double.CreateTruncating((x * y).Sum().ToScalar())).Sum();

    private static Tensor<T>[] Normalized<T>(Tensor<T>[] vector)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double norm = Math.Sqrt(Dot(vector, vector));
        return [.. vector.Select(v => v * (1 / norm))];
    }
}
