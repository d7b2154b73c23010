using FsCheck;
using FsCheck.Fluent;
using TinyAutograd.Nn;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Nn;

/// <summary>
/// A layer as the property tests differentiate it: a function of its input (when differentiable) and of all its
/// parameters, evaluated through <see cref="Module{T}.WithParameters{TResult}"/>.
/// </summary>
internal static class LayerCase
{
    /// <summary>The case f(x, p₁, …) = layer(x) at parameters p, with the input and the layer's current parameters as the point.</summary>
    public static Gen<OpCase> Of(Layer<double> layer, Tensor<double> input) =>
        OpCase.Of(layer.Description, xs => layer.WithParameters(xs[1..], () => layer.Forward(xs[0])), [input, .. layer.Parameters()]);

    /// <summary>As <see cref="Of(Layer{double}, Tensor{double})"/> with parameters replaced by values drawn from <paramref name="values"/> (so that γ, β etc. are not at their trivial start).</summary>
    public static Gen<OpCase> WithRandomParameters(Layer<double> layer, Tensor<double> input, Gen<double> values) =>
        Gen.CollectToArray(layer.Parameters().Select(p => TensorGen.Of(p.Shape, values)))
            .SelectMany(parameters => OpCase.Of(layer.Description, xs => layer.WithParameters(xs[1..], () => layer.Forward(xs[0])), [input, .. parameters]));

    /// <summary>
    /// <paramref name="x"/> (values in [−3, 3]) plus 7·i at index i along <paramref name="axis"/>: the slices along that
    /// axis are at least 1 apart, so a normalization over it is well conditioned and finite differences stay accurate.
    /// </summary>
    public static Tensor<double> Spread(Tensor<double> x, int axis)
    {
        var values = x.ToArray();
        var dims = x.Shape.ToArray();
        int inner = dims[(axis + 1)..].Aggregate(1, (a, b) => a * b);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] += 7 * (i / inner % dims[axis]);
        }
        return NdIndex.TensorOf(x.Shape, values);
    }

    /// <summary>A random shape [batch…, features] with 0 to 2 leading axes of size 1 to 3.</summary>
    public static Gen<int[]> Leading(int features) =>
        from rank in Gen.Choose(0, 2)
        from leading in Gen.ArrayOf(Gen.Choose(1, 3), rank)
        select (int[])[.. leading, features];
}
