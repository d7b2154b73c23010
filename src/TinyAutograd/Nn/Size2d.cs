namespace TinyAutograd.Nn;

/// <summary>A pair of sizes for the height and width axes (a kernel, stride or dilation); an int means both.</summary>
/// <param name="Height">The size along the height axis.</param>
/// <param name="Width">The size along the width axis.</param>
public readonly record struct Size2d(int Height, int Width)
{
    /// <summary>The same size on both axes.</summary>
    public static implicit operator Size2d(int size) => new(size, size);

    /// <summary>(height, width).</summary>
    public static implicit operator Size2d((int Height, int Width) size) => new(size.Height, size.Width);

    /// <inheritdoc/>
    public override string ToString() => Height == Width ? $"{Height}" : $"({Height}, {Width})";

    internal void RequirePositive(string what)
    {
        if (Height <= 0 || Width <= 0)
        {
            throw new ArgumentOutOfRangeException(what, $"{what} is {this}; expected positive sizes.");
        }
    }
}
