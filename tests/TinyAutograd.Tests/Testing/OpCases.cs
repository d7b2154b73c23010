using FsCheck;
using FsCheck.Fluent;

namespace TinyAutograd.Tests.Testing;

/// <summary>Generators of <see cref="OpCase"/>s outside the op registry (which makes its own from each entry).</summary>
public static class OpCases
{
    /// <summary>An elementwise unary op on a tensor of random shape with values from <paramref name="domain"/>.</summary>
    public static Gen<OpCase> Unary(string name, Func<Tensor<double>, Tensor<double>> op, Gen<double> domain) =>
        from x in TensorGen.Of(domain)
        from opCase in OpCase.Of(name, xs => op(xs[0]), x)
        select opCase;
}
