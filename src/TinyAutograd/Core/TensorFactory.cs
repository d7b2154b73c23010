using System.Numerics;

namespace TinyAutograd;

/// <summary>
/// Static helpers for <see cref="Tensor{T}"/> that infer T from their arguments: creation from arrays, constants,
/// ranges and seeded random values (this file), and the ops that take several tensors (TensorOperations.cs).
/// </summary>
public static partial class Tensor
{
    /// <summary>A one-dimensional tensor holding a copy of <paramref name="values"/>.</summary>
    public static Tensor<T> FromArray<T>(T[] values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(values);
        return FromArray(values, new Shape(values.Length));
    }

    /// <summary>A tensor of the given shape holding a copy of <paramref name="values"/> in row-major order.</summary>
    /// <remarks>
    /// An empty <paramref name="shape"/> (<c>FromArray(values, [])</c>, or the dimensions of a 0-d shape) gives a 0-d
    /// tensor, which holds one value; with no shape argument at all the result is one-dimensional.
    /// </remarks>
    /// <exception cref="ArgumentException">The number of values does not match the shape's element count.</exception>
    public static Tensor<T> FromArray<T>(T[] values, params int[] shape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(shape);
        return FromArray(values, new Shape(shape));
    }

    private static Tensor<T> FromArray<T>(T[] values, Shape shape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (shape.Length != values.Length)
        {
            throw new ArgumentException(
                $"FromArray: {values.Length} values cannot fill shape {shape}, which holds {shape.Length} element{(shape.Length == 1 ? "" : "s")}.", nameof(values));
        }
        return new Tensor<T>(shape, (T[])values.Clone());
    }

    /// <summary>A matrix holding a copy of a two-dimensional array.</summary>
    public static Tensor<T> FromArray<T>(T[,] values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(values);
        int rows = values.GetLength(0), columns = values.GetLength(1);
        var result = Tensor<T>.Uninitialized(new Shape(rows, columns));
        var data = result.Storage;
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                data[r * columns + c] = values[r, c];
            }
        }
        return result;
    }

    /// <summary>A 0-d tensor (a scalar) holding <paramref name="value"/>.</summary>
    public static Tensor<T> Scalar<T>(T value)
        where T : unmanaged, IFloatingPointIeee754<T> => new(Shape.Scalar, [value]);

    /// <summary>
    /// A tensor of the given shape whose values are unspecified: the caller overwrites them all (through
    /// <see cref="Tensor{T}.GetSpanForWrite"/>). Inside a <see cref="TensorArena"/> its buffer may be a recycled one,
    /// still holding another tensor's old values; it is never cleared, which is what makes it cheaper than
    /// <see cref="Zeros{T}(int[])"/>.
    /// </summary>
    public static Tensor<T> Empty<T>(params int[] shape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(shape);
        return Tensor<T>.Uninitialized(new Shape(shape));
    }

    /// <summary>A tensor of the given shape filled with zeros.</summary>
    public static Tensor<T> Zeros<T>(params int[] shape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(shape);
        return Tensor<T>.ZerosOf(new Shape(shape));
    }

    /// <summary>A tensor of the given shape filled with ones.</summary>
    public static Tensor<T> Ones<T>(params int[] shape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(shape);
        return Full(T.One, shape);
    }

    /// <summary>A tensor of the given shape with every element equal to <paramref name="value"/>.</summary>
    public static Tensor<T> Full<T>(T value, params int[] shape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(shape);
        return Tensor<T>.Filled(new Shape(shape), value);
    }

    /// <summary>The one-dimensional range start, start + step, … up to but excluding <paramref name="stop"/>.</summary>
    /// <remarks>Element i is start + i·step (computed in double, then converted), so no error accumulates.</remarks>
    /// <exception cref="ArgumentException"><paramref name="step"/> is zero or not finite, or the range is not finite.</exception>
    public static Tensor<T> Arange<T>(double start, double stop, double step = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (step == 0 || !double.IsFinite(step) || !double.IsFinite(start) || !double.IsFinite(stop))
        {
            throw new ArgumentException($"Arange: start {start}, stop {stop} and step {step} must be finite and step non-zero.", nameof(step));
        }
        double count = Math.Ceiling((stop - start) / step);
        if (count > int.MaxValue)
        {
            throw new ArgumentException($"Arange: the range from {start} to {stop} by {step} has {count} elements, more than a tensor holds.", nameof(step));
        }
        int length = Math.Max(0, (int)count);
        var values = new T[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = T.CreateTruncating(start + i * step);
        }
        return new Tensor<T>(new Shape(length), values);
    }

    /// <summary>Values drawn uniformly from [low, high) by a generator seeded with <paramref name="seed"/>.</summary>
    /// <remarks>Without a seed the values come from the process-wide generator (see <see cref="RandomSource"/>), so two calls differ.</remarks>
    public static Tensor<T> Uniform<T>(int[] shape, double low = 0, double high = 1, ulong? seed = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(shape);
        return RandomSource.For(seed).Uniform<T>(shape, low, high);
    }

    /// <summary>Values drawn from the normal distribution N(mean, std²) by a generator seeded with <paramref name="seed"/>.</summary>
    /// <remarks>Without a seed the values come from the process-wide generator (see <see cref="RandomSource"/>), so two calls differ.</remarks>
    public static Tensor<T> Normal<T>(int[] shape, double mean = 0, double std = 1, ulong? seed = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(shape);
        return RandomSource.For(seed).Normal<T>(shape, mean, std);
    }
}
