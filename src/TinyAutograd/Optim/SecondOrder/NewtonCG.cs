using System.Numerics;
using System.Numerics.Tensors;
using TinyAutograd.Kernels;

namespace TinyAutograd.Optim;

/// <summary>Hyper-parameters of <see cref="NewtonCG{T}"/>.</summary>
public sealed record NewtonCGOptions : OptimizerOptions
{
    /// <summary>Creates the options with a first trial step length of 1 (the full Newton step).</summary>
    public NewtonCGOptions()
        : base(1.0)
    {
    }

    /// <summary>The most conjugate-gradient iterations per step; null for n, the number of parameter elements.</summary>
    public int? MaxCgIterations { get; set; }

    /// <summary>
    /// CG stops when ‖H d + g‖ ≤ tolerance·‖g‖. Null (default) uses the forcing sequence min(0.5, √‖g‖), which gives
    /// superlinear convergence near the minimum (Nocedal and Wright, Algorithm 7.1); a tiny value solves each Newton
    /// system exactly.
    /// </summary>
    public double? CgTolerance { get; set; }

    /// <summary>λ ≥ 0: CG solves (H + λI) d = −g. Damping shortens steps where the quadratic model is not trusted. Default 0.</summary>
    public double Damping { get; set; }

    /// <summary>c₁ of the Armijo condition L(θ + αd) ≤ L(θ) + c₁α gᵀd; in (0, 1). Default 1e−4.</summary>
    public double SufficientDecrease { get; set; } = 1e-4;

    /// <summary>How many times the line search may halve α before giving up the step. Default 30.</summary>
    public int MaxLineSearchSteps { get; set; } = 30;

    /// <summary>No step is taken when ‖g‖ ≤ this (already converged). Default 0.</summary>
    public double GradientTolerance { get; set; }

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        RequirePositive(LearningRate, nameof(LearningRate));
        if (MaxCgIterations is { } iterations)
        {
            RequireCount(iterations, nameof(MaxCgIterations));
        }
        if (CgTolerance is { } tolerance)
        {
            RequirePositive(tolerance, nameof(CgTolerance));
        }
        RequireNonNegative(Damping, nameof(Damping));
        RequireDecayRate(SufficientDecrease, nameof(SufficientDecrease));
        RequirePositive(SufficientDecrease, nameof(SufficientDecrease));
        RequireCount(MaxLineSearchSteps, nameof(MaxLineSearchSteps));
        RequireNonNegative(GradientTolerance, nameof(GradientTolerance));
    }
}

/// <summary>What the last <see cref="NewtonCG{T}"/> step did.</summary>
/// <param name="CgIterations">Conjugate-gradient iterations, one Hessian-vector product each.</param>
/// <param name="NegativeCurvature">CG met a direction p with pᵀ(H + λI)p ≤ 0 and stopped there.</param>
/// <param name="StepLength">The α the line search accepted (0 when no decrease was found and θ was left unchanged).</param>
/// <param name="Evaluations">Closure calls, including those for Hessian-vector products.</param>
public readonly record struct NewtonCGStepReport(int CgIterations, bool NegativeCurvature, double StepLength, int Evaluations);

/// <summary>
/// Newton's method without forming the Hessian (truncated Newton, "Hessian-free"): each step solves the Newton system
/// H d = −g approximately by conjugate gradients, using only exact Hessian-vector products, then searches along d.
/// </summary>
/// <remarks>
/// <para>
/// Each step: g = ∇L(θ); CG on (H + λI) d = −g from d = 0, each iteration costing one Hessian-vector product; if CG
/// meets negative curvature (pᵀ(H + λI)p ≤ 0) it stops and returns its current iterate, or −g on the first iteration
/// (Nocedal and Wright, Numerical Optimization, 2nd ed. 2006, Algorithm 7.1), so d is always a descent direction; then backtracking from α = η (default 1)
/// halves α until L(θ + αd) ≤ L(θ) + c₁α gᵀd; θ ← θ + αd.
/// </para>
/// <para>
/// The loss is supplied as the usual closure (<see cref="Optimizer{T}.Step(Func{Tensor{T}})"/>: zero the gradients,
/// recompute the loss, call <c>Backward</c>, return it), so models written with parameter tensors need no rewriting.
/// A Hessian-vector product H·v runs the closure with each parameter carrying its slice of v as a forward-mode tangent:
/// the gradients it leaves then carry H·v (forward-over-reverse, exact, the same computation as
/// <see cref="AutoDiff.ValueGradientsAndHessianVectorProduct{T}"/>). The plain <see cref="Step()"/> is not available.
/// Keeps no memory between steps.
/// </para>
/// </remarks>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class NewtonCG<T> : Optimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly FlatParameters<T> _flat;
    private readonly T[] _gradient, _solution, _residual, _direction, _product, _start, _trial;

    /// <summary>Optimizes <paramref name="parameters"/> (one group).</summary>
    /// <exception cref="ArgumentException">See <see cref="Optimizer{T}"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public NewtonCG(IEnumerable<Tensor<T>> parameters, NewtonCGOptions? options = null)
        : base([new ParameterGroup<T>(parameters, options ?? new NewtonCGOptions())])
    {
        Options.Validate();
        _flat = new FlatParameters<T>(Parameters, Method);
        int n = _flat.Length;
        _gradient = new T[n];
        _solution = new T[n];
        _residual = new T[n];
        _direction = new T[n];
        _product = new T[n];
        _start = new T[n];
        _trial = new T[n];
    }

    /// <summary>The hyper-parameters; changes apply from the next step.</summary>
    public NewtonCGOptions Options => (NewtonCGOptions)ParameterGroups[0].Options;

    /// <summary>What the last step did (CG iterations, negative curvature, step length, evaluations).</summary>
    public NewtonCGStepReport LastStep { get; private set; }

    /// <summary>CG iterations (Hessian-vector products) over all steps so far.</summary>
    public long TotalCgIterations { get; private set; }

    /// <summary>Not available: Newton-CG re-evaluates the loss for every Hessian-vector product.</summary>
    /// <exception cref="InvalidOperationException">Always.</exception>
    public override void Step() => throw new InvalidOperationException(
        "NewtonCG.Step(): Newton-CG evaluates Hessian-vector products and a line search through the loss; call Step(closure).");

    /// <summary>One Newton-CG step; returns the loss at the starting point.</summary>
    /// <inheritdoc/>
    /// <exception cref="ArithmeticException">The loss or its gradient is NaN or infinite at the starting point.</exception>
    public override Tensor<T> Step(Func<Tensor<T>> closure)
    {
        ArgumentNullException.ThrowIfNull(closure);
        var options = Options;
        options.Validate();
        var (loss, value) = _flat.Evaluate(closure, _gradient);
        double gradientNorm = Norm(_gradient);
        if (!double.IsFinite(value) || !double.IsFinite(gradientNorm))
        {
            throw new ArithmeticException(
                $"NewtonCG.Step: the loss ({value}) or the norm of its gradient ({gradientNorm}) is not finite at the current parameters; no Newton step can be computed.");
        }
        if (gradientNorm <= options.GradientTolerance)
        {
            LastStep = new NewtonCGStepReport(0, false, 0, 1);
            return loss;
        }
        var (iterations, negativeCurvature) = SolveNewtonSystem(closure, options, gradientNorm);
        var (stepLength, searches) = LineSearch(closure, options, value);
        LastStep = new NewtonCGStepReport(iterations, negativeCurvature, stepLength, 1 + iterations + searches);
        TotalCgIterations += iterations;
        for (int i = 0; i < Parameters.Count; i++)
        {
            StateOf(i).Step++;
        }
        return loss;
    }

    /// <summary>Conjugate gradients on (H + λI) d = −g; leaves d in <c>_solution</c>.</summary>
    private (int Iterations, bool NegativeCurvature) SolveNewtonSystem(Func<Tensor<T>> closure, NewtonCGOptions options, double gradientNorm)
    {
        Span<T> d = _solution, r = _residual, p = _direction, hp = _product;
        ReadOnlySpan<T> g = _gradient;
        double tolerance = (options.CgTolerance ?? Math.Min(0.5, Math.Sqrt(gradientNorm))) * gradientNorm;
        var damping = T.CreateTruncating(options.Damping);
        int maxIterations = options.MaxCgIterations ?? _flat.Length;
        d.Clear();
        g.CopyTo(r);
        TensorPrimitives.Negate(r, p);
        double rr = Dot(r, r);
        for (int j = 0; j < maxIterations; j++)
        {
            _flat.HessianVectorProduct(closure, p, hp);
            OptimizerKernels.AddScaled<T>(hp, p, damping);
            double curvature = Dot(p, hp);
            if (!(curvature > 0))
            {
                if (j == 0)
                {
                    TensorPrimitives.Negate(g, d);
                }
                return (j + 1, true);
            }
            double alpha = rr / curvature;
            OptimizerKernels.AddScaled<T>(d, p, T.CreateTruncating(alpha));
            OptimizerKernels.AddScaled<T>(r, hp, T.CreateTruncating(alpha));
            double next = Dot(r, r);
            if (Math.Sqrt(next) <= tolerance)
            {
                return (j + 1, false);
            }
            TensorPrimitives.Multiply(p, T.CreateTruncating(next / rr), p);
            TensorPrimitives.Subtract(p, r, p);
            rr = next;
        }
        return (maxIterations, false);
    }

    /// <summary>Backtracking along d from α = η until the Armijo condition holds; restores θ if it never does.</summary>
    private (double StepLength, int Evaluations) LineSearch(Func<Tensor<T>> closure, NewtonCGOptions options, double value)
    {
        _flat.Read(_start);
        double slope = Dot(_gradient, _solution);
        double alpha = options.LearningRate;
        for (int k = 0; k < options.MaxLineSearchSteps; k++)
        {
            TensorPrimitives.MultiplyAdd(_solution, T.CreateTruncating(alpha), _start, _trial);
            _flat.Write(_trial);
            var (_, trialValue) = _flat.Evaluate(closure, _residual);
            if (trialValue <= value + options.SufficientDecrease * alpha * slope)
            {
                return (alpha, k + 1);
            }
            alpha *= 0.5;
        }
        _flat.Write(_start);
        return (0, options.MaxLineSearchSteps);
    }

    private static double Dot(ReadOnlySpan<T> x, ReadOnlySpan<T> y) => double.CreateTruncating(TensorPrimitives.Dot(x, y));

    private static double Norm(ReadOnlySpan<T> x) => Math.Sqrt(Dot(x, x));
}
