namespace TinyAutograd.Nn;

/// <summary>
/// Zero padding of a 2-d convolution or pooling: explicit sizes per axis (an int means both, a pair is
/// (height, width)), or <see cref="Same"/> (the string "same" converts to it, as in PyTorch).
/// </summary>
/// <remarks>
/// "same" pads by dilation·(kernel − 1) in total per axis so that, at stride 1, the output has the input's size; an odd
/// total puts the extra row or column after (bottom, right), as PyTorch does.
/// </remarks>
public readonly record struct Padding2d
{
    private Padding2d(int height, int width, bool same) => (Height, Width, IsSame) = (height, width, same);

    /// <summary>The padding on each side of the height axis (0 for <see cref="Same"/>).</summary>
    public int Height { get; }

    /// <summary>The padding on each side of the width axis (0 for <see cref="Same"/>).</summary>
    public int Width { get; }

    /// <summary>Whether this is "same" padding.</summary>
    public bool IsSame { get; }

    /// <summary>Padding that keeps the spatial size at stride 1.</summary>
    public static Padding2d Same => new(0, 0, same: true);

    /// <summary>The same padding on both axes.</summary>
    public static implicit operator Padding2d(int padding) => new(padding, padding, same: false);

    /// <summary>(height, width).</summary>
    public static implicit operator Padding2d((int Height, int Width) padding) => new(padding.Height, padding.Width, same: false);

    /// <summary>"same" (case-insensitive); "valid" means 0.</summary>
    /// <exception cref="ArgumentException">Any other string.</exception>
    public static implicit operator Padding2d(string padding) =>
        IsSameText(padding, "an int or an (int, int) pair") ? Same : 0;

    /// <inheritdoc/>
    public override string ToString() => IsSame ? "same" : Height == Width ? $"{Height}" : $"({Height}, {Width})";

    /// <summary>Whether <paramref name="padding"/> is "same" (true) or "valid" (false), case-insensitive.</summary>
    /// <exception cref="ArgumentException">Any other string; the message lists the accepted forms, ending with <paramref name="sizes"/>.</exception>
    internal static bool IsSameText(string padding, string sizes)
    {
        ArgumentNullException.ThrowIfNull(padding);
        return padding.ToLowerInvariant() switch
        {
            "same" => true,
            "valid" => false,
            _ => throw new ArgumentException($"Padding '{padding}' is not understood; expected \"same\", \"valid\" or {sizes}.", nameof(padding)),
        };
    }

    /// <summary>(before, after) padding along one axis, for a kernel extent of dilation·(kernel − 1) + 1.</summary>
    internal (int Before, int After) Along(bool heightAxis, int kernel, int dilation)
    {
        if (!IsSame)
        {
            int padding = heightAxis ? Height : Width;
            return (padding, padding);
        }
        int total = dilation * (kernel - 1);
        return (total / 2, total - total / 2);
    }
}
