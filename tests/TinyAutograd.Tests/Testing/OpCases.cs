using FsCheck;
using FsCheck.Fluent;

namespace TinyAutograd.Tests.Testing;

/// <summary>Generators of <see cref="OpCase"/>s (and of their operands) for the common op signatures.</summary>
public static class OpCases
{
    /// <summary>An elementwise unary op on a tensor of random shape with values from <paramref name="domain"/>.</summary>
    public static Gen<OpCase> Unary(string name, Func<Tensor<double>, Tensor<double>> op, Gen<double> domain) =>
        from x in TensorGen.Of(domain)
        from opCase in OpCase.Of(name, xs => op(xs[0]), x)
        select opCase;

    /// <summary>Two operands of a random broadcast-compatible pair of shapes, each with values from its own domain.</summary>
    public static Gen<(Tensor<double> Left, Tensor<double> Right)> BroadcastOperands(Gen<double> left, Gen<double> right) =>
        from shapes in Shapes.BroadcastPair
        from a in TensorGen.Of(shapes.Left, left)
        from b in TensorGen.Of(shapes.Right, right)
        select (a, b);

    /// <summary>A broadcasting binary op on <see cref="BroadcastOperands"/>, differentiated in both operands.</summary>
    public static Gen<OpCase> Binary(string name, Func<Tensor<double>, Tensor<double>, Tensor<double>> op, Gen<double> left, Gen<double> right) =>
        from operands in BroadcastOperands(left, right)
        from opCase in OpCase.Of(name, xs => op(xs[0], xs[1]), operands.Left, operands.Right)
        select opCase;
}
