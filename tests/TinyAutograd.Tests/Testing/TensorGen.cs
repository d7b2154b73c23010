using FsCheck;
using FsCheck.Fluent;

namespace TinyAutograd.Tests.Testing;

/// <summary>Generators of double tensors of a given shape with values from a domain.</summary>
public static class TensorGen
{
    /// <summary>A tensor of <paramref name="shape"/> with independent elements drawn from <paramref name="values"/>.</summary>
    public static Gen<Tensor<double>> Of(Shape shape, Gen<double> values) =>
        Gen.ArrayOf(values, shape.Length).Select(data => NdIndex.TensorOf(shape, data));

    /// <summary>A tensor of <paramref name="shape"/> whose elements are pairwise distinct (see <see cref="Values.Distinct"/>).</summary>
    public static Gen<Tensor<double>> Distinct(Shape shape) =>
        Values.Distinct(shape.Length).Select(data => NdIndex.TensorOf(shape, data));

    /// <summary>A tensor of a random shape (see <see cref="Shapes.Any"/>) with values from <paramref name="values"/>.</summary>
    public static Gen<Tensor<double>> Of(Gen<double> values) => Shapes.Any.SelectMany(shape => Of(shape, values));
}
