namespace TinyAutograd.Tests.Testing;

/// <summary>
/// Naive n-dimensional indexing over row-major data, written independently of the library so that tests can state
/// what an op should compute one element at a time.
/// </summary>
public static class NdIndex
{
    /// <summary>The multi-index of flat position <paramref name="flat"/> in <paramref name="shape"/>.</summary>
    public static int[] Unflatten(Shape shape, int flat)
    {
        var dims = shape.ToArray();
        var index = new int[dims.Length];
        for (int axis = dims.Length - 1; axis >= 0; axis--)
        {
            index[axis] = flat % dims[axis];
            flat /= dims[axis];
        }
        return index;
    }

    /// <summary>The flat row-major position of a multi-index.</summary>
    public static int Flatten(Shape shape, ReadOnlySpan<int> index)
    {
        var dims = shape.Dimensions;
        int flat = 0;
        for (int axis = 0; axis < dims.Length; axis++)
        {
            flat = flat * dims[axis] + index[axis];
        }
        return flat;
    }

    /// <summary>Every multi-index of <paramref name="shape"/> in row-major order (one empty index for a scalar).</summary>
    public static IEnumerable<int[]> All(Shape shape)
    {
        for (int flat = 0; flat < shape.Length; flat++)
        {
            yield return Unflatten(shape, flat);
        }
    }

    /// <summary>The element of <paramref name="x"/> at a multi-index.</summary>
    public static double At(Tensor<double> x, ReadOnlySpan<int> index) => x.Data[Flatten(x.Shape, index)];

    /// <summary>
    /// The element of <paramref name="x"/> that NumPy broadcasting pairs with <paramref name="resultIndex"/> of a
    /// larger result: axes aligned from the right, size-1 axes read at 0.
    /// </summary>
    public static double AtBroadcast(Tensor<double> x, ReadOnlySpan<int> resultIndex)
    {
        var dims = x.Shape.Dimensions;
        var index = new int[dims.Length];
        int lead = resultIndex.Length - dims.Length;
        for (int axis = 0; axis < dims.Length; axis++)
        {
            index[axis] = dims[axis] == 1 ? 0 : resultIndex[lead + axis];
        }
        return At(x, index);
    }

    /// <summary>A tensor of <paramref name="shape"/> whose element at each multi-index is <paramref name="valueAt"/>(index).</summary>
    public static Tensor<double> Build(Shape shape, Func<int[], double> valueAt)
    {
        var values = new double[shape.Length];
        int flat = 0;
        foreach (var index in All(shape))
        {
            values[flat++] = valueAt(index);
        }
        return TensorOf(shape, values);
    }

    /// <summary>A tensor of <paramref name="shape"/> holding <paramref name="values"/> (any rank, including 0-d).</summary>
    public static Tensor<double> TensorOf(Shape shape, double[] values) => Tensor.FromArray(values, shape.ToArray());
}
