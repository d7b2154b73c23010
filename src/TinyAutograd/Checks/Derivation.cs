using System.Numerics;

namespace TinyAutograd.Checks;

/// <summary>
/// A derivation to verify: a scalar function f with its hand-derived gradient and, optionally, its hand-derived
/// Hessian or Hessian-vector product. Checking compares each hand value with autodiff and with central finite
/// differences, at given points or at seeded random ones, and reports the worst element and where its value was made.
/// </summary>
/// <remarks>
/// A hand value passes when it is within atol + rtol·|reference| of both references: autodiff, and central
/// differences ((f(x + h·e) − f(x − h·e)) / 2h for the gradient; the same difference of the autodiff gradient for
/// second derivatives). The hand functions run with the inputs recording under <see cref="AnomalyMode"/>, so a wrong
/// value is traced to the op and source line that made it.
/// </remarks>
/// <typeparam name="T">The element type; checks refuse float32 unless <see cref="CheckOptions.AllowSinglePrecision"/>.</typeparam>
public sealed class Derivation<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const string Name = "DerivationCheck";
    private readonly Func<Tensor<T>[], Tensor<T>> _function;
    private readonly Func<Tensor<T>[], Tensor<T>[]> _gradient;
    private readonly string[] _inputNames;

    /// <summary>A derivation for a scalar function of several tensors.</summary>
    /// <param name="function">f(x₁, …, xₙ), returning a single element.</param>
    /// <param name="gradient">The hand-derived gradient: one tensor per input, each of its input's shape.</param>
    /// <param name="inputNames">The inputs' names for the report (e.g. <c>"w", "b"</c>); by default each point
    /// tensor's <see cref="Tensor{T}.Name"/>, else x0, x1, ….</param>
    public Derivation(Func<Tensor<T>[], Tensor<T>> function, Func<Tensor<T>[], Tensor<T>[]> gradient, params string[] inputNames)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(gradient);
        Argument.ThrowIfAnyNull(inputNames, "Derivation");
        _function = function;
        _gradient = gradient;
        _inputNames = inputNames;
    }

    /// <summary>A derivation for a scalar function of one tensor.</summary>
    /// <param name="function">f(x), returning a single element.</param>
    /// <param name="gradient">The hand-derived gradient ∇f(x), of x's shape.</param>
    /// <param name="inputName">The input's name for the report.</param>
    public Derivation(Func<Tensor<T>, Tensor<T>> function, Func<Tensor<T>, Tensor<T>> gradient, string inputName = "x")
        : this(inputs => function(inputs[0]), inputs => [gradient(inputs[0])], Argument.NotNull(inputName))
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(gradient);
    }

    /// <summary>
    /// The hand-derived Hessian over all inputs flattened and concatenated in order (for inputs w and b: rows and
    /// columns w, b), of shape [n, n] with n the total number of elements; for a single input x, shape
    /// x.Shape ++ x.Shape is accepted too.
    /// </summary>
    public Func<Tensor<T>[], Tensor<T>>? Hessian { get; init; }

    /// <summary>The hand-derived Hessian-vector product (x, v) ↦ ∇²f(x)·v, given and returned per input. It is checked
    /// with a seeded standard normal v at each point.</summary>
    public Func<Tensor<T>[], Tensor<T>[], Tensor<T>[]>? HessianVectorProduct { get; init; }

    /// <summary>Checks the derivation at each of the given points (each point gives one tensor per input).</summary>
    /// <exception cref="ArgumentException">A point does not fit f, the number of input names differs from the number of
    /// inputs, a hand function returns the wrong number or shapes of tensors, the inputs are float32 without
    /// <see cref="CheckOptions.AllowSinglePrecision"/>, or the options are unusable.</exception>
    /// <exception cref="ArithmeticException">A hand function produced NaN or infinity; the message names the op and
    /// the source line (the hand functions run under <see cref="AnomalyMode"/>).</exception>
    public CheckReport CheckAt(IEnumerable<Tensor<T>[]> points, CheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(points);
        options ??= CheckOptions.Default;
        var notes = options.Validate<T>(Name);
        var list = points.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException($"{Name}: no points given; pass at least one point (one tensor per input) to check at.", nameof(points));
        }
        ArgumentNullException.ThrowIfNull(list[0], nameof(points));
        if (_inputNames.Length != 0 && _inputNames.Length != list[0].Length)
        {
            throw new ArgumentException(
                $"{Name}: {_inputNames.Length} input names ({string.Join(", ", _inputNames)}) for points of {list[0].Length} inputs; give one name per input.", nameof(points));
        }
        var layout = InputLayout.Of(list[0], Name, _inputNames.Length == 0 ? null : _inputNames);
        var parts = new List<string> { "gradient" };
        if (Hessian is not null)
        {
            parts.Add("Hessian");
        }
        if (HessianVectorProduct is not null)
        {
            parts.Add("Hessian-vector product");
        }
        var recorder = new CheckRecorder(Name,
            $"hand-derived {string.Join(" and ", parts)} of f({layout.Describe()}) against autodiff and central differences at {list.Count} point{(list.Count == 1 ? "" : "s")}", options, notes);
        var random = new RandomSource(options.Seed);
        if (HessianVectorProduct is not null)
        {
            notes.Add($"the Hessian-vector products use a standard normal v drawn at each point (seed {options.Seed}).");
        }
        foreach (var point in list)
        {
            RequireShapes($"point {recorder.PointCount}", point, list[0], layout);
            int number = recorder.AddPoint(CheckText.Point(layout.Names, point));
            CheckGradient(point, layout, number, recorder, options);
            if (Hessian is not null)
            {
                CheckHessian(Hessian, point, layout, number, recorder, options);
            }
            if (HessianVectorProduct is not null)
            {
                CheckHessianVectorProduct(HessianVectorProduct, point, random, layout, number, recorder, options);
            }
        }
        return recorder.Build();
    }

    /// <summary>Checks the derivation at one point (one tensor per input).</summary>
    /// <exception cref="ArgumentException">As for <see cref="CheckAt(IEnumerable{Tensor{T}[]}, CheckOptions?)"/>.</exception>
    public CheckReport CheckAt(Tensor<T>[] point, CheckOptions? options = null)
    {
        Argument.ThrowIfAnyNull(point, "Derivation.CheckAt");
        return CheckAt([point], options);
    }

    /// <summary>
    /// Checks the derivation at <paramref name="count"/> points drawn uniformly from [low, high) per element, with the
    /// given input shapes, from the seed <see cref="CheckOptions.Seed"/>.
    /// </summary>
    /// <exception cref="ArgumentException">As for <see cref="CheckAt(IEnumerable{Tensor{T}[]}, CheckOptions?)"/>, or
    /// <paramref name="count"/> is not positive.</exception>
    public CheckReport CheckAtRandomPoints(Shape[] shapes, int count = 5, double low = -1, double high = 1, CheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(shapes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var random = new RandomSource((options ?? CheckOptions.Default).Seed);
        var points = Enumerable.Range(0, count)
            .Select(_ => shapes.Select(shape => random.Uniform<T>(shape.ToArray(), low, high)).ToArray())
            .ToList();
        return CheckAt(points, options);
    }

    private void CheckGradient(Tensor<T>[] point, InputLayout layout, int number, CheckRecorder recorder, CheckOptions options)
    {
        var hand = ValueOrigin.Trace(_gradient, point);
        RequireShapes("the hand gradient", hand, point, layout);
        var autoDiff = FiniteDifferences.Flatten(AutoDiff.ValueAndGradients(_function, point).Gradients);
        var handValues = FiniteDifferences.Flatten(hand);
        var values = FiniteDifferences.Values(_function);
        for (int element = 0; element < layout.Count; element++)
        {
            double numeric = FiniteDifferences.AlongElement(values, point, layout, element, options.Step)[0];
            recorder.Compare($"∂f/∂{layout.Element(element)}", layout.InputName(element), layout.Index(element), number,
                handValues[element], autoDiff[element], numeric, Comparisons.HandVsAutoDiff | Comparisons.HandVsNumeric, HandOrigin(hand, layout, element));
        }
    }

    private void CheckHessian(Func<Tensor<T>[], Tensor<T>> hessian, Tensor<T>[] point, InputLayout layout, int number, CheckRecorder recorder, CheckOptions options)
    {
        var hand = ValueOrigin.Trace(xs => [hessian(xs)], point);
        int n = layout.Count;
        bool singleInputShape = point.Length == 1 && hand[0].Shape == new Shape([.. point[0].Shape.Dimensions, .. point[0].Shape.Dimensions]);
        if (hand[0].Shape != new Shape(n, n) && !singleInputShape)
        {
            throw new ArgumentException(
                $"{Name}: the hand Hessian has shape {hand[0].Shape}; expected [{n}, {n}] over the inputs ({layout.Describe()}) flattened and concatenated in order.");
        }
        var blocks = AutoDiff.Hessian(_function, point);
        var handValues = FiniteDifferences.Flatten(hand);
        var gradients = FiniteDifferences.Gradients(_function);
        for (int column = 0; column < n; column++)
        {
            var numeric = FiniteDifferences.AlongElement(gradients, point, layout, column, options.Step);
            var (j, k) = layout.Locate(column);
            for (int row = 0; row < n; row++)
            {
                var (i, a) = layout.Locate(row);
                double autoDiff = double.CreateChecked(blocks[i][j].Data[a * point[j].Length + k]);
                recorder.Compare($"∂²f/∂{layout.Element(row)}∂{layout.Element(column)}", layout.InputName(row), layout.Index(row), number,
                    handValues[row * n + column], autoDiff, numeric[row], Comparisons.HandVsAutoDiff | Comparisons.HandVsNumeric, HandOrigin(hand[0], row * n + column));
            }
        }
    }

    private void CheckHessianVectorProduct(Func<Tensor<T>[], Tensor<T>[], Tensor<T>[]> product, Tensor<T>[] point, RandomSource random,
        InputLayout layout, int number, CheckRecorder recorder, CheckOptions options)
    {
        var vectors = point.Select(input => random.Normal<T>(input.Shape.ToArray())).ToArray();
        var hand = ValueOrigin.Trace(xs => product(xs, vectors), point);
        RequireShapes("the hand Hessian-vector product", hand, point, layout);
        var handValues = FiniteDifferences.Flatten(hand);
        var autoDiff = FiniteDifferences.Flatten(AutoDiff.HessianVectorProduct(_function, point, vectors));
        var numeric = FiniteDifferences.Directional(FiniteDifferences.Gradients(_function), point, vectors, options.Step);
        for (int element = 0; element < layout.Count; element++)
        {
            recorder.Compare($"(∇²f·v) for {layout.Element(element)}", layout.InputName(element), layout.Index(element), number,
                handValues[element], autoDiff[element], numeric[element], Comparisons.HandVsAutoDiff | Comparisons.HandVsNumeric, HandOrigin(hand, layout, element));
        }
    }

    /// <summary>Where the hand value at flat position <paramref name="element"/> over all inputs was made.</summary>
    private static string? HandOrigin(Tensor<T>[] hand, InputLayout layout, int element)
    {
        var (input, inner) = layout.Locate(element);
        return HandOrigin(hand[input], inner);
    }

    /// <summary>Where element <paramref name="flat"/> of a traced hand result was made.</summary>
    private static string? HandOrigin(Tensor<T> hand, int flat) =>
        ValueOrigin.Of(hand, flat) is { } made ? $"hand value was made by {made}" : null;

    /// <summary>Fails clearly unless <paramref name="values"/> (a hand function's result, or a point) has one tensor per
    /// input, of that input's shape.</summary>
    private static void RequireShapes(string what, Tensor<T>[] values, Tensor<T>[] point, InputLayout layout)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != point.Length)
        {
            throw new ArgumentException($"{Name}: {what} has {values.Length} tensors for {point.Length} inputs ({layout.Describe()}); give one per input, in order.");
        }
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i].Shape != point[i].Shape)
            {
                throw new ArgumentException($"{Name}: {what} for input '{layout.Names[i]}' has shape {values[i].Shape}, but the input has shape {point[i].Shape}; they must match.");
            }
        }
    }
}
