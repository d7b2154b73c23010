using System.Numerics;

namespace TinyAutograd.Checks;

/// <summary>
/// The elements of several inputs numbered as one flat vector, in input order, with their names: the layout of a
/// Hessian over all inputs, or of a concatenated gradient.
/// </summary>
internal sealed class InputLayout
{
    private readonly Shape[] _shapes;
    private readonly int[] _offsets;

    private InputLayout(string[] names, Shape[] shapes)
    {
        Names = names;
        _shapes = shapes;
        _offsets = new int[shapes.Length + 1];
        for (int i = 0; i < shapes.Length; i++)
        {
            _offsets[i + 1] = _offsets[i] + shapes[i].Length;
        }
    }

    /// <summary>The layout of <paramref name="inputs"/>, named as <see cref="CheckText.InputNames"/> decides.</summary>
    /// <exception cref="ArgumentException">There are no inputs, or one is null.</exception>
    public static InputLayout Of<T>(Tensor<T>[] inputs, string check, IReadOnlyList<string>? names = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (inputs.Length == 0 || inputs.Any(input => input is null))
        {
            throw new ArgumentException($"{check}: {(inputs.Length == 0 ? "no inputs given" : "an input is null")}; pass one tensor per argument of f.", nameof(inputs));
        }
        return new(CheckText.InputNames(inputs, names), [.. inputs.Select(input => input.Shape)]);
    }

    /// <summary>The inputs' names.</summary>
    public string[] Names { get; }

    /// <summary>The number of elements of all inputs together.</summary>
    public int Count => _offsets[^1];

    /// <summary>The shape of input <paramref name="input"/>.</summary>
    public Shape ShapeOf(int input) => _shapes[input];

    /// <summary>The flat position of input <paramref name="input"/>'s first element.</summary>
    public int Offset(int input) => _offsets[input];

    /// <summary>Which input flat position <paramref name="flat"/> falls in, and the element within it.</summary>
    public (int Input, int Element) Locate(int flat)
    {
        int input = 0;
        while (flat >= _offsets[input + 1])
        {
            input++;
        }
        return (input, flat - _offsets[input]);
    }

    /// <summary>The element's index within its input.</summary>
    public int[] Index(int flat)
    {
        var (input, element) = Locate(flat);
        return CheckText.Unravel(_shapes[input], element);
    }

    /// <summary>The input's name that flat position <paramref name="flat"/> falls in.</summary>
    public string InputName(int flat) => Names[Locate(flat).Input];

    /// <summary>The element's name, e.g. <c>w</c> or <c>x[1, 0]</c>.</summary>
    public string Element(int flat) => CheckText.Element(InputName(flat), Index(flat));

    /// <summary>The inputs with their shapes, e.g. <c>w [], x [3]</c>.</summary>
    public string Describe() => string.Join(", ", Names.Select((name, i) => $"{name} {_shapes[i]}"));
}
