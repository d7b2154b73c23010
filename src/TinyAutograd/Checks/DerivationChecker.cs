using System.Numerics;

namespace TinyAutograd.Checks;

/// <summary>
/// The work behind <see cref="Derivation{T}"/> and <see cref="MultiInputDerivation{T}"/>: compares a hand-derived
/// gradient (and optionally Hessian and Hessian-vector product) of a scalar function of several tensors with autodiff and
/// finite differences at each point, then looks for patterns in whatever failed.
/// </summary>
internal sealed class DerivationChecker<T>(
    Func<Tensor<T>[], Tensor<T>> function,
    Func<Tensor<T>[], Tensor<T>[]> gradient,
    Func<Tensor<T>[], Tensor<T>>? hessian,
    Func<Tensor<T>[], Tensor<T>[], Tensor<T>[]>? hessianVectorProduct,
    string[] inputNames)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The check's name in reports and messages.</summary>
    public const string Name = "DerivationCheck";

    /// <summary>Checks at each of the given points (one tensor per input each).</summary>
    public CheckReport CheckAt(IEnumerable<Tensor<T>[]> points, CheckOptions? options)
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
        if (inputNames.Length != 0 && inputNames.Length != list[0].Length)
        {
            throw new ArgumentException(
                $"{Name}: {inputNames.Length} input names ({string.Join(", ", inputNames)}) for points of {list[0].Length} inputs; give one name per input.", nameof(points));
        }
        var layout = InputLayout.Of(list[0], Name, inputNames.Length == 0 ? null : inputNames);
        var parts = new List<PartValues> { new("gradient", layout, RowKind.Single, null, (_, c) => $"∂f/∂{layout.Element(c)}") };
        if (hessian is not null)
        {
            parts.Add(new("Hessian", layout, RowKind.Variables, null, (r, c) => $"∂²f/∂{layout.Element(r)}∂{layout.Element(c)}"));
        }
        if (hessianVectorProduct is not null)
        {
            parts.Add(new("Hessian-vector product", layout, RowKind.Single, null, (_, c) => $"(∇²f·v) for {layout.Element(c)}"));
            notes.Add($"the Hessian-vector products use a standard normal v drawn at each point (seed {options.Seed}).");
        }
        var recorder = new CheckRecorder(Name,
            $"hand-derived {string.Join(" and ", parts.Select(p => p.Name))} of f({layout.Describe()}) against autodiff (finite differences check autodiff) " +
            $"at {list.Count} point{(list.Count == 1 ? "" : "s")}", options, notes);
        var random = new RandomSource(options.Seed);
        var method = options.ReverseModeOnly ? HessianVectorMethod.ReverseOverReverse : HessianVectorMethod.ForwardOverReverse;
        foreach (var point in list)
        {
            RequireShapes($"point {recorder.PointCount}", point, list[0], layout);
            int number = recorder.AddPoint(CheckText.Point(layout.Names, point));
            CheckGradient(point, layout, number, recorder, parts[0]);
            if (hessian is not null)
            {
                CheckHessian(hessian, point, layout, number, recorder, parts[1], method);
            }
            if (hessianVectorProduct is not null)
            {
                CheckHessianVectorProduct(hessianVectorProduct, point, random, layout, number, recorder, parts[^1], method);
            }
        }
        foreach (var pattern in parts.SelectMany(part => PatternFinder.Find(part, options)))
        {
            recorder.AddPattern(pattern);
        }
        return recorder.Build();
    }

    /// <summary>Checks at <paramref name="count"/> points drawn uniformly from [low, high) from the options' seed.</summary>
    public CheckReport CheckAtRandomPoints(Shape[] shapes, int count, double low, double high, CheckOptions? options) =>
        CheckAt(RandomPoints(shapes, count, low, high, options), options);

    /// <summary><paramref name="count"/> points of the given input shapes drawn uniformly from [low, high) from the
    /// options' seed.</summary>
    public static List<Tensor<T>[]> RandomPoints(Shape[] shapes, int count, double low, double high, CheckOptions? options)
    {
        ArgumentNullException.ThrowIfNull(shapes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var random = new RandomSource((options ?? CheckOptions.Default).Seed);
        return [.. Enumerable.Range(0, count).Select(_ => shapes.Select(shape => random.Uniform<T>(shape.ToArray(), low, high)).ToArray())];
    }

    private void CheckGradient(Tensor<T>[] point, InputLayout layout, int number, CheckRecorder recorder, PartValues part)
    {
        var hand = ValueOrigin.Trace(gradient, point);
        RequireShapes("the hand gradient", hand, point, layout);
        var autoDiff = FiniteDifferences.Flatten(AutoDiff.ValueAndGradients(function, point).Gradients);
        var handValues = FiniteDifferences.Flatten(hand);
        var values = FiniteDifferences.Values(function);
        for (int element = 0; element < layout.Count; element++)
        {
            var numeric = FiniteDifferences.AlongElement(values, point, layout, element, recorder.Options);
            recorder.Compare(ElementId.Of(part.Quantity(0, element), layout, element), number,
                handValues[element], autoDiff[element], numeric, 0, HandOrigin(hand, layout, element));
        }
        part.Add(handValues, autoDiff);
    }

    private void CheckHessian(Func<Tensor<T>[], Tensor<T>> hand, Tensor<T>[] point, InputLayout layout, int number, CheckRecorder recorder,
        PartValues part, HessianVectorMethod method)
    {
        var traced = ValueOrigin.Trace(xs => [hand(xs)], point);
        int n = layout.Count;
        bool singleInputShape = point.Length == 1 && traced[0].Shape == new Shape([.. point[0].Shape.Dimensions, .. point[0].Shape.Dimensions]);
        if (traced[0].Shape != new Shape(n, n) && !singleInputShape)
        {
            throw new ArgumentException(
                $"{Name}: the hand Hessian has shape {traced[0].Shape}; expected [{n}, {n}] over the inputs ({layout.Describe()}) flattened row-major " +
                "and concatenated in order" + (point.Length == 1 ? $", or {point[0].Shape} ++ {point[0].Shape}." : "."));
        }
        var blocks = ForwardRule.Required(Name, () => AutoDiff.Hessian(function, point, method));
        var handValues = FiniteDifferences.Flatten(traced);
        var autoDiff = new double[n * n];
        var gradients = FiniteDifferences.Gradients(function);
        for (int column = 0; column < n; column++)
        {
            var numeric = FiniteDifferences.AlongElement(gradients, point, layout, column, recorder.Options);
            var (j, k) = layout.Locate(column);
            for (int row = 0; row < n; row++)
            {
                var (i, a) = layout.Locate(row);
                autoDiff[row * n + column] = double.CreateChecked(blocks[i][j].Data[a * point[j].Length + k]);
                recorder.Compare(ElementId.Second(part.Quantity(row, column), layout, row, column), number,
                    handValues[row * n + column], autoDiff[row * n + column], numeric, row, HandOrigin(traced[0], row * n + column));
            }
        }
        part.Add(handValues, autoDiff);
    }

    private void CheckHessianVectorProduct(Func<Tensor<T>[], Tensor<T>[], Tensor<T>[]> product, Tensor<T>[] point, RandomSource random,
        InputLayout layout, int number, CheckRecorder recorder, PartValues part, HessianVectorMethod method)
    {
        var vectors = point.Select(input => random.Normal<T>(input.Shape.ToArray())).ToArray();
        var hand = ValueOrigin.Trace(xs => product(xs, vectors), point);
        RequireShapes("the hand Hessian-vector product", hand, point, layout);
        var handValues = FiniteDifferences.Flatten(hand);
        var autoDiff = FiniteDifferences.Flatten(ForwardRule.Required(Name, () => AutoDiff.HessianVectorProduct(function, point, vectors, method)));
        var numeric = FiniteDifferences.Directional(FiniteDifferences.Gradients(function), point, vectors, recorder.Options);
        for (int element = 0; element < layout.Count; element++)
        {
            recorder.Compare(ElementId.Of(part.Quantity(0, element), layout, element), number,
                handValues[element], autoDiff[element], numeric, element, HandOrigin(hand, layout, element));
        }
        part.Add(handValues, autoDiff);
    }

    /// <summary>Where the hand value at flat position <paramref name="element"/> over all inputs was made.</summary>
    private static string? HandOrigin(Tensor<T>[] hand, InputLayout layout, int element)
    {
        var (input, inner) = layout.Locate(element);
        return HandOrigin(hand[input], inner);
    }

    /// <summary>Where element <paramref name="flat"/> of a traced hand result was made.</summary>
    public static string? HandOrigin(Tensor<T> hand, int flat) =>
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
            var shape = values[i].Shape;
            var expected = point[i].Shape;
            if (shape != expected)
            {
                bool transposed = shape.Rank == 2 && expected.Rank == 2 && shape[0] == expected[1] && shape[1] == expected[0];
                throw new ArgumentException(
                    $"{Name}: {what} for input '{layout.Names[i]}' has shape {shape}, but the input has shape {expected}; they must match" +
                    (transposed ? ". It is the transposed shape: a gradient has its input's layout (for f(W) = g(X·W), ∂f/∂W = Xᵀ·G, not Gᵀ·X)." : "."));
            }
        }
    }
}
