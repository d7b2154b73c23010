using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using TinyAutograd.Kernels;

namespace TinyAutograd.Optim;

/// <summary>How <see cref="Lbfgs{T}"/> chooses the step length along its direction.</summary>
public enum LineSearch
{
    /// <summary>A fixed step α = η (after the first iteration); PyTorch's default. Cheap, but may diverge on hard problems.</summary>
    None,

    /// <summary>A search for the strong Wolfe conditions, which keeps yᵀs &gt; 0 and so the curvature pairs useful (Nocedal and Wright, Algorithms 3.5–3.6).</summary>
    StrongWolfe,
}

/// <summary>Hyper-parameters of <see cref="Lbfgs{T}"/> (names and defaults after PyTorch's <c>LBFGS</c>).</summary>
public sealed record LbfgsOptions : OptimizerOptions
{
    /// <summary>Creates the options with η = 1 (the first trial step).</summary>
    public LbfgsOptions()
        : base(1.0)
    {
    }

    /// <summary>Iterations per <c>Step</c> call (PyTorch's <c>max_iter</c>). Default 20.</summary>
    public int MaxIterations { get; set; } = 20;

    /// <summary>How many curvature pairs (s, y) are kept; read when the optimizer is created. Default 10.</summary>
    public int HistorySize { get; set; } = 10;

    /// <summary>The step-length rule. Default <see cref="Optim.LineSearch.StrongWolfe"/> (PyTorch defaults to none).</summary>
    public LineSearch LineSearch { get; set; } = LineSearch.StrongWolfe;

    /// <summary>Stop when max |gᵢ| ≤ this. Default 1e−7.</summary>
    public double GradientTolerance { get; set; } = 1e-7;

    /// <summary>Stop when the step (max |αdᵢ|) or the change of the loss falls below this. Default 1e−9.</summary>
    public double ChangeTolerance { get; set; } = 1e-9;

    /// <summary>c₁ of the sufficient-decrease condition; in (0, c₂). Default 1e−4.</summary>
    public double SufficientDecrease { get; set; } = 1e-4;

    /// <summary>c₂ of the curvature condition |φ′(α)| ≤ c₂|φ′(0)|; in (c₁, 1). Default 0.9.</summary>
    public double Curvature { get; set; } = 0.9;

    /// <summary>The most loss evaluations of one line search. Default 25.</summary>
    public int MaxLineSearchEvaluations { get; set; } = 25;

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        RequirePositive(LearningRate, nameof(LearningRate));
        RequireCount(MaxIterations, nameof(MaxIterations));
        RequireCount(HistorySize, nameof(HistorySize));
        RequireNonNegative(GradientTolerance, nameof(GradientTolerance));
        RequireNonNegative(ChangeTolerance, nameof(ChangeTolerance));
        RequirePositive(SufficientDecrease, nameof(SufficientDecrease));
        RequireDecayRate(Curvature, nameof(Curvature));
        if (!(SufficientDecrease < Curvature))
        {
            throw new ArgumentOutOfRangeException(nameof(SufficientDecrease), SufficientDecrease,
                $"LbfgsOptions.SufficientDecrease: {SufficientDecrease} must be below Curvature ({Curvature}); expected 0 < c₁ < c₂ < 1.");
        }
        RequireCount(MaxLineSearchEvaluations, nameof(MaxLineSearchEvaluations));
    }
}

/// <summary>
/// Limited-memory BFGS: a quasi-Newton method that builds an approximation of the inverse Hessian from the last m
/// steps and gradient changes, and searches along the resulting direction.
/// </summary>
/// <remarks>
/// <para>
/// Each iteration (Nocedal and Wright, Numerical Optimization, 2nd ed. 2006, Algorithms 7.4 and 7.5): d = −H̃g by the
/// two-loop recursion over the pairs sᵢ = θᵢ₊₁ − θᵢ, yᵢ = gᵢ₊₁ − gᵢ, ρᵢ = 1/(yᵢᵀsᵢ),
/// with H̃₀ = (sᵀy/yᵀy)·I from the newest pair (d = −g with no history); α from the line search, starting at η (and at
/// min(1, 1/‖g‖₁)·η on the very first iteration); θ ← θ + αd; the pair is stored only if yᵀs &gt; √ε‖y‖‖s‖ (ε the
/// element type's machine epsilon).
/// One <see cref="Step(Func{Tensor{T}})"/> runs up to <see cref="LbfgsOptions.MaxIterations"/> iterations, stopping
/// early on the gradient and change tolerances, as PyTorch's <c>LBFGS.step(closure)</c> does; it returns the loss at
/// the starting point. The plain <see cref="Step()"/> is not available.
/// </para>
/// <para>
/// State (method-wide): scalars <c>"iterations"</c> and <c>"historyCount"</c>; buffers <c>"s0"</c>…, <c>"y0"</c>…
/// (oldest first, each of length n, all parameters concatenated) and <c>"rho"</c>.
/// </para>
/// </remarks>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Lbfgs<T> : Optimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly double CurvatureThreshold = Math.Sqrt(double.CreateTruncating(T.Epsilon));
    private readonly FlatParameters<T> _flat;
    private readonly T[] _direction, _start, _trial;
    private T[] _gradient, _nextGradient;
    private readonly T[][] _s, _y;
    private readonly double[] _rho, _alpha;
    private int _historyStart, _historyCount;
    private long _iterations;

    /// <summary>Optimizes <paramref name="parameters"/> (one group).</summary>
    /// <exception cref="ArgumentException">See <see cref="Optimizer{T}"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public Lbfgs(IEnumerable<Tensor<T>> parameters, LbfgsOptions? options = null)
        : base([new ParameterGroup<T>(parameters, options ?? new LbfgsOptions())])
    {
        Options.Validate();
        _flat = new FlatParameters<T>(Parameters, Method);
        int n = _flat.Length, m = Options.HistorySize;
        _gradient = new T[n];
        _nextGradient = new T[n];
        _direction = new T[n];
        _start = new T[n];
        _trial = new T[n];
        _s = new T[m][];
        _y = new T[m][];
        _rho = new double[m];
        _alpha = new double[m];
    }

    /// <summary>The hyper-parameters; changes apply from the next step (except <see cref="LbfgsOptions.HistorySize"/>).</summary>
    public LbfgsOptions Options => (LbfgsOptions)ParameterGroups[0].Options;

    /// <summary>Iterations (direction + line search) over all steps so far.</summary>
    public long Iterations => _iterations;

    /// <summary>Loss evaluations (closure calls) in the last step.</summary>
    public int LastEvaluations { get; private set; }

    /// <summary>Not available: L-BFGS re-evaluates the loss along its search direction.</summary>
    /// <exception cref="InvalidOperationException">Always.</exception>
    public override void Step() => throw new InvalidOperationException(
        "Lbfgs.Step(): L-BFGS evaluates the loss along its search direction; call Step(closure).");

    /// <summary>Runs up to <see cref="LbfgsOptions.MaxIterations"/> iterations; returns the loss at the starting point.</summary>
    /// <inheritdoc/>
    public override Tensor<T> Step(Func<Tensor<T>> closure)
    {
        ArgumentNullException.ThrowIfNull(closure);
        var options = Options;
        options.Validate();
        var (loss, value) = _flat.Evaluate(closure, _gradient);
        LastEvaluations = 1;
        if (MaxAbs(_gradient) <= options.GradientTolerance)
        {
            return loss;
        }
        for (int iteration = 0; iteration < options.MaxIterations; iteration++)
        {
            ComputeDirection();
            double slope = Dot(_gradient, _direction);
            if (!(slope < -options.ChangeTolerance))
            {
                break;
            }
            double initialStep = _iterations == 0
                ? Math.Min(1, 1 / double.CreateTruncating(TensorPrimitives.SumOfMagnitudes<T>(_gradient))) * options.LearningRate
                : options.LearningRate;
            _flat.Read(_start);
            var search = Search(closure, options, value, slope, initialStep);
            LastEvaluations += search.Evaluations;
            _iterations++;
            if (search.Step == 0)
            {
                _flat.Write(_start);
                break;
            }
            if (!search.EndedAtStep)
            {
                Evaluate(closure, search.Step);
                LastEvaluations++;
            }
            Remember(search.Step);
            (_gradient, _nextGradient) = (_nextGradient, _gradient);
            double previous = value;
            value = search.Value;
            if (MaxAbs(_gradient) <= options.GradientTolerance
                || search.Step * MaxAbs(_direction) <= options.ChangeTolerance
                || Math.Abs(value - previous) < options.ChangeTolerance)
            {
                break;
            }
        }
        for (int i = 0; i < Parameters.Count; i++)
        {
            StateOf(i).Step++;
        }
        return loss;
    }

    /// <inheritdoc/>
    protected override void SaveMethodState(IDictionary<string, double> scalars, IDictionary<string, double[]> buffers)
    {
        scalars["iterations"] = _iterations;
        scalars["historyCount"] = _historyCount;
        var rho = new double[_historyCount];
        for (int k = 0; k < _historyCount; k++)
        {
            int slot = Slot(k);
            buffers[Name("s", k)] = ToDoubles(_s[slot]);
            buffers[Name("y", k)] = ToDoubles(_y[slot]);
            rho[k] = _rho[slot];
        }
        buffers["rho"] = rho;
    }

    /// <inheritdoc/>
    protected override void LoadMethodState(IReadOnlyDictionary<string, double> scalars, IReadOnlyDictionary<string, double[]> buffers)
    {
        long iterations = (long)RequireScalar(scalars, "iterations");
        int count = (int)RequireScalar(scalars, "historyCount");
        if (count < 0 || count > _s.Length)
        {
            throw new ArgumentException($"Lbfgs.LoadState: the state holds {count} curvature pairs; this optimizer keeps at most {_s.Length} (HistorySize).", nameof(scalars));
        }
        var rho = RequireBuffer(buffers, "rho", count);
        var s = new double[count][];
        var y = new double[count][];
        for (int k = 0; k < count; k++)
        {
            s[k] = RequireBuffer(buffers, Name("s", k), _flat.Length);
            y[k] = RequireBuffer(buffers, Name("y", k), _flat.Length);
        }
        _iterations = iterations;
        _historyStart = 0;
        _historyCount = count;
        for (int k = 0; k < count; k++)
        {
            CopyInto(s[k], _s[k] ??= new T[_flat.Length]);
            CopyInto(y[k], _y[k] ??= new T[_flat.Length]);
            _rho[k] = rho[k];
        }
    }

    /// <summary>The two-loop recursion: _direction = −H̃·g.</summary>
    private void ComputeDirection()
    {
        Span<T> d = _direction;
        _gradient.AsSpan().CopyTo(d);
        for (int k = _historyCount - 1; k >= 0; k--)
        {
            int slot = Slot(k);
            _alpha[slot] = _rho[slot] * Dot(_s[slot], d);
            OptimizerKernels.AddScaled<T>(d, _y[slot], T.CreateTruncating(-_alpha[slot]));
        }
        if (_historyCount > 0)
        {
            int newest = Slot(_historyCount - 1);
            TensorPrimitives.Multiply(d, T.CreateTruncating(1 / (_rho[newest] * Dot(_y[newest], _y[newest]))), d);
        }
        for (int k = 0; k < _historyCount; k++)
        {
            int slot = Slot(k);
            double beta = _rho[slot] * Dot(_y[slot], d);
            OptimizerKernels.AddScaled<T>(d, _s[slot], T.CreateTruncating(_alpha[slot] - beta));
        }
        TensorPrimitives.Negate(d, d);
    }

    /// <summary>Finds the step length; leaves the parameters at θ₀ + αd and, if it ended there, ∇L in _nextGradient.</summary>
    private LineSearchResult Search(Func<Tensor<T>> closure, LbfgsOptions options, double value, double slope, double initialStep)
    {
        if (options.LineSearch == LineSearch.None)
        {
            var (trialValue, _) = Evaluate(closure, initialStep);
            return new LineSearchResult(initialStep, trialValue, 1, true);
        }
        return StrongWolfeLineSearch.Search(
            step => Evaluate(closure, step), value, slope, initialStep, options.SufficientDecrease, options.Curvature,
            options.MaxLineSearchEvaluations, options.ChangeTolerance / Math.Max(MaxAbs(_direction), double.Epsilon));
    }

    /// <summary>φ(α) and φ′(α) = ∇L(θ₀ + αd)ᵀd, moving the parameters to θ₀ + αd.</summary>
    private (double Value, double Slope) Evaluate(Func<Tensor<T>> closure, double step)
    {
        TensorPrimitives.MultiplyAdd(_direction, T.CreateTruncating(step), _start, _trial);
        _flat.Write(_trial);
        var (_, value) = _flat.Evaluate(closure, _nextGradient);
        return (value, Dot(_nextGradient, _direction));
    }

    /// <summary>
    /// Stores s = αd and y = g_new − g when yᵀs &gt; √ε‖y‖‖s‖ (positive curvature above rounding noise; a relative test,
    /// unlike PyTorch's absolute 1e−10, so pairs keep coming near the minimum), dropping the oldest pair when full.
    /// </summary>
    private void Remember(double step)
    {
        int slot;
        if (_historyCount < _s.Length)
        {
            slot = Slot(_historyCount);
        }
        else
        {
            slot = _historyStart;
        }
        var s = _s[slot] ?? new T[_flat.Length];
        var y = _y[slot] ?? new T[_flat.Length];
        TensorPrimitives.Multiply(_direction, T.CreateTruncating(step), s);
        TensorPrimitives.Subtract(_nextGradient, _gradient, y);
        double curvature = Dot(y, s);
        if (!(curvature > CurvatureThreshold * Math.Sqrt(Dot(y, y) * Dot(s, s))))
        {
            return;
        }
        _s[slot] = s;
        _y[slot] = y;
        _rho[slot] = 1 / curvature;
        if (_historyCount < _s.Length)
        {
            _historyCount++;
        }
        else
        {
            _historyStart = (_historyStart + 1) % _s.Length;
        }
    }

    /// <summary>The ring-buffer slot of the k-th oldest pair.</summary>
    private int Slot(int k) => (_historyStart + k) % _s.Length;

    private static string Name(string prefix, int k) => prefix + k.ToString(CultureInfo.InvariantCulture);

    private static double RequireScalar(IReadOnlyDictionary<string, double> scalars, string name) =>
        scalars.TryGetValue(name, out double value)
            ? value
            : throw new ArgumentException($"Lbfgs.LoadState: the state lacks the scalar '{name}'.", nameof(scalars));

    private static double[] RequireBuffer(IReadOnlyDictionary<string, double[]> buffers, string name, int length)
    {
        if (!buffers.TryGetValue(name, out var values) || values.Length != length)
        {
            throw new ArgumentException(
                $"Lbfgs.LoadState: buffer '{name}' is {(values is null ? "missing" : $"of length {values.Length}")}; expected {length} values.", nameof(buffers));
        }
        return values;
    }

    private static double Dot(ReadOnlySpan<T> x, ReadOnlySpan<T> y) => double.CreateTruncating(TensorPrimitives.Dot(x, y));

    private static double MaxAbs(ReadOnlySpan<T> x) => x.IsEmpty ? 0 : Math.Abs(double.CreateTruncating(TensorPrimitives.MaxMagnitude(x)));
}
