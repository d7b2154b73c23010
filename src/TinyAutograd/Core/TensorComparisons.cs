using TinyAutograd.Kernels;

namespace TinyAutograd;

/// <remarks>
/// The comparisons give 0/1 masks under NumPy broadcasting, as new tensors that are not recorded: a comparison has
/// derivative 0 wherever it is defined, so no gradient flows through it (to either side). A comparison with NaN is
/// false, except <see cref="NotEqual"/>, which is true.
/// </remarks>
public sealed partial class Tensor<T>
{
    /// <summary>1 where this &gt; <paramref name="other"/>, 0 elsewhere (broadcast); no gradient.</summary>
    /// <remarks>yᵢ = [xᵢ &gt; zᵢ]; constant in x and z, so no gradient flows (the result is not recorded).</remarks>
    /// <exception cref="ArgumentException">The shapes do not broadcast.</exception>
    public Tensor<T> Greater(Tensor<T> other) => Compare<GreaterThanOperator<T>>(other, swapped: false, "Greater");

    /// <summary>1 where this &lt; <paramref name="other"/>, 0 elsewhere (broadcast); no gradient.</summary>
    /// <remarks>yᵢ = [xᵢ &lt; zᵢ]; no gradient flows (the result is not recorded).</remarks>
    /// <exception cref="ArgumentException">The shapes do not broadcast.</exception>
    public Tensor<T> Less(Tensor<T> other) => Compare<GreaterThanOperator<T>>(other, swapped: true, "Less");

    /// <summary>1 where this = <paramref name="other"/>, 0 elsewhere (broadcast); no gradient.</summary>
    /// <remarks>yᵢ = [xᵢ = zᵢ]; no gradient flows (the result is not recorded).</remarks>
    /// <exception cref="ArgumentException">The shapes do not broadcast.</exception>
    public Tensor<T> Equal(Tensor<T> other) => Compare<EqualOperator<T>>(other, swapped: false, "Equal");

    /// <summary>1 where this ≠ <paramref name="other"/> (or either is NaN), 0 elsewhere (broadcast); no gradient.</summary>
    /// <remarks>yᵢ = 1 − [xᵢ = zᵢ]; no gradient flows (the result is not recorded).</remarks>
    /// <exception cref="ArgumentException">The shapes do not broadcast.</exception>
    public Tensor<T> NotEqual(Tensor<T> other)
    {
        var mask = Compare<EqualOperator<T>>(other, swapped: false, "NotEqual");
        var values = mask.Storage;
        for (int i = 0; i < mask.Length; i++)
        {
            values[i] = T.One - values[i];
        }
        return mask;
    }

    /// <summary>1 where this ≥ <paramref name="other"/>, 0 elsewhere (broadcast); no gradient.</summary>
    /// <remarks>yᵢ = [xᵢ &gt; zᵢ] + [xᵢ = zᵢ]; no gradient flows (the result is not recorded).</remarks>
    /// <exception cref="ArgumentException">The shapes do not broadcast.</exception>
    public Tensor<T> GreaterOrEqual(Tensor<T> other) => Either(Compare<GreaterThanOperator<T>>(other, swapped: false, "GreaterOrEqual"), Compare<EqualOperator<T>>(other, swapped: false, "GreaterOrEqual"));

    /// <summary>1 where this ≤ <paramref name="other"/>, 0 elsewhere (broadcast); no gradient.</summary>
    /// <remarks>yᵢ = [xᵢ &lt; zᵢ] + [xᵢ = zᵢ]; no gradient flows (the result is not recorded).</remarks>
    /// <exception cref="ArgumentException">The shapes do not broadcast.</exception>
    public Tensor<T> LessOrEqual(Tensor<T> other) => Either(Compare<GreaterThanOperator<T>>(other, swapped: true, "LessOrEqual"), Compare<EqualOperator<T>>(other, swapped: false, "LessOrEqual"));

    /// <summary>The operator applied to (this, other), or to (other, this) when <paramref name="swapped"/>.</summary>
    private Tensor<T> Compare<TOperator>(Tensor<T> other, bool swapped, string operation)
        where TOperator : IBinaryOperator<T>
    {
        ArgumentNullException.ThrowIfNull(other);
        return swapped ? Broadcasting<TOperator>(other, this, operation) : Broadcasting<TOperator>(this, other, operation);
    }

    /// <summary>The sum of two disjoint masks (never both 1), in place in the first.</summary>
    private static Tensor<T> Either(Tensor<T> first, Tensor<T> second)
    {
        var into = first.Storage;
        var other = second.Data;
        for (int i = 0; i < first.Length; i++)
        {
            into[i] += other[i];
        }
        return first;
    }
}
