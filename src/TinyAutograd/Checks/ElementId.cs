namespace TinyAutograd.Checks;

/// <summary>Which derivative element a comparison is about: its name and its indices as data.</summary>
/// <param name="Quantity">The element in words, e.g. <c>∂²f/∂x[0]∂x[1]</c>.</param>
/// <param name="Input">The (first) input's name.</param>
/// <param name="Index">The index within it.</param>
/// <param name="SecondInput">The second input of a second derivative.</param>
/// <param name="SecondIndex">The index within the second input.</param>
/// <param name="OutputIndex">The output index of a Jacobian element.</param>
internal readonly record struct ElementId(
    string Quantity, string Input, int[] Index, string? SecondInput = null, int[]? SecondIndex = null, int[]? OutputIndex = null)
{
    /// <summary>The element ∂(output)/∂(flat position <paramref name="flat"/> of the layout).</summary>
    public static ElementId Of(string quantity, InputLayout layout, int flat, int[]? outputIndex = null) =>
        new(quantity, layout.InputName(flat), layout.Index(flat), OutputIndex: outputIndex);

    /// <summary>The second derivative with respect to flat positions <paramref name="row"/> and <paramref name="column"/>.</summary>
    public static ElementId Second(string quantity, InputLayout layout, int row, int column) =>
        new(quantity, layout.InputName(row), layout.Index(row), layout.InputName(column), layout.Index(column));
}
