namespace TinyAutograd.Checks;

/// <summary>
/// One hand-derived quantity of a derivation check (its gradient, Hessian, Hessian-vector product or Jacobian) with
/// the matching autodiff values at every point, viewed as a matrix: rows are the output elements of a Jacobian or the
/// first variable of a Hessian (a single row otherwise), columns are the inputs' elements in <see cref="InputLayout"/>
/// order. The pattern finders read it.
/// </summary>
internal sealed class PartValues(string name, InputLayout layout, RowKind rows, Shape? outputShape, Func<int, int, string> quantity)
{
    private readonly List<double[]> _hand = [];
    private readonly List<double[]> _autoDiff = [];

    /// <summary>The quantity's name in reports, e.g. <c>Hessian</c>.</summary>
    public string Name => name;

    /// <summary>The columns' layout (and the rows' for a Hessian).</summary>
    public InputLayout Layout => layout;

    /// <summary>What the rows are.</summary>
    public RowKind RowKind => rows;

    /// <summary>f's output shape when the rows are its elements.</summary>
    public Shape? OutputShape => outputShape;

    /// <summary>The number of rows.</summary>
    public int Rows => rows switch { RowKind.Variables => layout.Count, RowKind.Outputs => outputShape!.Value.Length, _ => 1 };

    /// <summary>The number of columns.</summary>
    public int Columns => layout.Count;

    /// <summary>The number of elements at one point.</summary>
    public int Count => Rows * Columns;

    /// <summary>How many points were added.</summary>
    public int PointCount => _hand.Count;

    /// <summary>The element (row, column) in words, e.g. <c>∂²f/∂x[0]∂x[1]</c>.</summary>
    public string Quantity(int row, int column) => quantity(row, column);

    /// <summary>The element at flat position <paramref name="element"/> = row·Columns + column, in words.</summary>
    public string Quantity(int element) => quantity(element / Columns, element % Columns);

    /// <summary>Adds one point's values, both row-major over (row, column).</summary>
    public void Add(double[] hand, double[] autoDiff)
    {
        _hand.Add(hand);
        _autoDiff.Add(autoDiff);
    }

    /// <summary>The hand values at point <paramref name="point"/>.</summary>
    public double[] Hand(int point) => _hand[point];

    /// <summary>The autodiff values at point <paramref name="point"/>.</summary>
    public double[] AutoDiff(int point) => _autoDiff[point];

    /// <summary>Whether a hand value matches an autodiff value within the options' tolerance.</summary>
    public static bool Matches(double hand, double autoDiff, CheckOptions options) =>
        Math.Abs(hand - autoDiff) <= options.ToleranceFor(autoDiff);

    /// <summary>Which elements differ from autodiff at one point at least.</summary>
    public bool[] Failing(CheckOptions options)
    {
        var failing = new bool[Count];
        for (int point = 0; point < PointCount; point++)
        {
            for (int e = 0; e < Count; e++)
            {
                failing[e] |= !Matches(_hand[point][e], _autoDiff[point][e], options);
            }
        }
        return failing;
    }
}

/// <summary>What the rows of a <see cref="PartValues"/> are.</summary>
internal enum RowKind
{
    /// <summary>A single row: a gradient or a Hessian-vector product.</summary>
    Single,

    /// <summary>The inputs' elements again: a Hessian.</summary>
    Variables,

    /// <summary>The function's output elements: a Jacobian.</summary>
    Outputs,
}
