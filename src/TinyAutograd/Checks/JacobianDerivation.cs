using System.Numerics;

namespace TinyAutograd.Checks;

/// <summary>
/// A hand-derived Jacobian to verify for a vector-valued (any shape) function of one tensor. Checking compares each
/// element ∂f[r]/∂x[c] with autodiff (reverse mode; finite differences of f check autodiff), at given points or at seeded
/// random ones, and looks for patterns in the mistakes (a constant factor, a transposed layout, one wrong row).
/// </summary>
/// <remarks>
/// The hand Jacobian has shape f(x).Shape ++ x.Shape, or [m, n] with m and n the numbers of elements of f(x) and x;
/// element (r, c) = ∂f[r]/∂x[c], both flattened row-major. Tolerances as in <see cref="CheckOptions"/>.
/// </remarks>
/// <typeparam name="T">The element type; checks refuse float32 unless <see cref="CheckOptions.AllowSinglePrecision"/>.</typeparam>
public sealed class JacobianDerivation<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const string Name = "JacobianCheck";
    private readonly Func<Tensor<T>, Tensor<T>> _function;
    private readonly Func<Tensor<T>, Tensor<T>> _jacobian;
    private readonly string _inputName;

    /// <summary>A hand-derived Jacobian of a function of one tensor.</summary>
    /// <param name="function">f(x), of any shape.</param>
    /// <param name="jacobian">The hand-derived Jacobian, of shape f(x).Shape ++ x.Shape (or [m, n]).</param>
    /// <param name="inputName">The input's name for the report.</param>
    public JacobianDerivation(Func<Tensor<T>, Tensor<T>> function, Func<Tensor<T>, Tensor<T>> jacobian, string inputName = "x")
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(jacobian);
        ArgumentException.ThrowIfNullOrWhiteSpace(inputName);
        _function = function;
        _jacobian = jacobian;
        _inputName = inputName;
    }

    /// <summary>Checks the Jacobian at each of the given points.</summary>
    /// <exception cref="ArgumentException">The points differ in shape, the hand Jacobian has the wrong shape, the input is
    /// float32 without <see cref="CheckOptions.AllowSinglePrecision"/>, or the options are unusable.</exception>
    /// <exception cref="ArithmeticException">The hand Jacobian produced NaN or infinity (it runs under <see cref="AnomalyMode"/>).</exception>
    public CheckReport CheckAt(IEnumerable<Tensor<T>> points, CheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(points);
        var given = points.ToList();
        Argument.ThrowIfAnyNull(given, "JacobianDerivation.CheckAt", nameof(points));
        options ??= CheckOptions.Default;
        var notes = options.Validate<T>(Name);
        var list = given.Select(point => new[] { point }).ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException($"{Name}: no points given; pass at least one point to check at.", nameof(points));
        }
        var layout = InputLayout.Of(list[0], Name, [_inputName]);
        Shape output;
        using (GradMode.Disable())
        {
            output = _function(list[0][0]).Shape;
        }
        string Row(int row) => output.Rank == 0 ? "f" : CheckText.Element("f", CheckText.Unravel(output, row));
        var part = new PartValues("Jacobian", layout, RowKind.Outputs, output, (r, c) => $"∂{Row(r)}/∂{layout.Element(c)}");
        var recorder = new CheckRecorder(Name,
            $"hand-derived Jacobian of f({layout.Describe()}) -> {output} against autodiff (finite differences check autodiff) " +
            $"at {list.Count} point{(list.Count == 1 ? "" : "s")}", options, notes);
        var values = FiniteDifferences.Values<T>(xs => _function(xs[0]));
        foreach (var point in list)
        {
            if (point[0].Shape != list[0][0].Shape)
            {
                throw new ArgumentException($"{Name}: point {recorder.PointCount} has shape {point[0].Shape}, but the first has {list[0][0].Shape}; all points must agree.");
            }
            int number = recorder.AddPoint(CheckText.Point(layout.Names, point));
            var hand = ValueOrigin.Trace(xs => [_jacobian(xs[0])], point)[0];
            int m = output.Length, n = layout.Count;
            if (hand.Shape != new Shape([.. output.Dimensions, .. point[0].Shape.Dimensions]) && hand.Shape != new Shape(m, n))
            {
                throw new ArgumentException(
                    $"{Name}: the hand Jacobian has shape {hand.Shape}; expected f's shape {output} followed by {_inputName}'s shape {point[0].Shape}, or [{m}, {n}].");
            }
            var handValues = FiniteDifferences.Flatten([hand]);
            var autoDiff = FiniteDifferences.Flatten([AutoDiff.Jacobian(_function, point[0])]);
            for (int column = 0; column < n; column++)
            {
                var numeric = FiniteDifferences.AlongElement(values, point, layout, column, options);
                for (int row = 0; row < m; row++)
                {
                    recorder.Compare(ElementId.Of(part.Quantity(row, column), layout, column, CheckText.Unravel(output, row)), number,
                        handValues[row * n + column], autoDiff[row * n + column], numeric, row, DerivationChecker<T>.HandOrigin(hand, row * n + column));
                }
            }
            part.Add(handValues, autoDiff);
        }
        foreach (var pattern in PatternFinder.Find(part, options))
        {
            recorder.AddPattern(pattern);
        }
        return recorder.Build();
    }

    /// <summary>Checks the Jacobian at one point.</summary>
    /// <exception cref="ArgumentException">As for <see cref="CheckAt(IEnumerable{Tensor{T}}, CheckOptions?)"/>.</exception>
    public CheckReport CheckAt(Tensor<T> point, CheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(point);
        return CheckAt([point], options);
    }

    /// <summary>Checks the Jacobian at <paramref name="count"/> points of the given shape drawn uniformly from
    /// [low, high) per element, from the seed <see cref="CheckOptions.Seed"/>.</summary>
    /// <exception cref="ArgumentException">As for <see cref="CheckAt(IEnumerable{Tensor{T}}, CheckOptions?)"/>, or
    /// <paramref name="count"/> is not positive.</exception>
    public CheckReport CheckAtRandomPoints(Shape shape, int count = 5, double low = -1, double high = 1, CheckOptions? options = null) =>
        CheckAt(DerivationChecker<T>.RandomPoints([shape], count, low, high, options).Select(point => point[0]), options);
}
