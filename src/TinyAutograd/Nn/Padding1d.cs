namespace TinyAutograd.Nn;

/// <summary>
/// Zero padding of a 1-d convolution: the same size on both ends (an int), or <see cref="Same"/> (the string "same"
/// converts to it and "valid" to 0, as in PyTorch).
/// </summary>
/// <remarks>
/// "same" pads by dilation·(kernel − 1) in total so that, at stride 1, the output has the input's length; an odd total
/// puts the extra element at the end, as PyTorch does.
/// </remarks>
public readonly record struct Padding1d
{
    private Padding1d(int size, bool same) => (Size, IsSame) = (size, same);

    /// <summary>The padding at each end (0 for <see cref="Same"/>).</summary>
    public int Size { get; }

    /// <summary>Whether this is "same" padding.</summary>
    public bool IsSame { get; }

    /// <summary>Padding that keeps the length at stride 1.</summary>
    public static Padding1d Same => new(0, same: true);

    /// <summary>The same padding at both ends.</summary>
    public static implicit operator Padding1d(int padding) => new(padding, same: false);

    /// <summary>"same" (case-insensitive); "valid" means 0.</summary>
    /// <exception cref="ArgumentException">Any other string.</exception>
    public static implicit operator Padding1d(string padding) => Padding2d.IsSameText(padding, "an int") ? Same : 0;

    /// <inheritdoc/>
    public override string ToString() => IsSame ? "same" : $"{Size}";

    /// <summary>The padding of the equivalent 2-d convolution over a height of 1: none along the height.</summary>
    internal Padding2d ToPadding2d() => IsSame ? Padding2d.Same : (0, Size);
}
