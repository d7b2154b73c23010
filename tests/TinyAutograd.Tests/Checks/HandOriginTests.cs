using System.Runtime.CompilerServices;
using TinyAutograd.Checks;

namespace TinyAutograd.Tests.Checks;

/// <summary>A wrong hand value is traced to the op the user called and its source line, also in Release builds.</summary>
public sealed class HandOriginTests
{
    private static readonly Tensor<double> s_a = Tensor.Normal<double>([4, 3], seed: 9);
    private static int s_meanLine;

    /// <summary>f(w) = mean over the rows aₙ of (aₙ·w)⁴ / 12.</summary>
    private static Tensor<double> Loss(Tensor<double> w) => (s_a.MatMul(w.Reshape(3, 1)).Square().Square() / 12.0).Mean();

    /// <summary>∇f = mean of (aₙ·w)³ aₙ / 3.</summary>
    private static Tensor<double> Gradient(Tensor<double> w) => (s_a.MatMul(w.Reshape(3, 1)).Square() * s_a.MatMul(w.Reshape(3, 1)) * s_a / 3.0).Mean(0);

    /// <summary>∇²f = mean of (aₙ·w)² aₙaₙᵀ, here with a stray factor 2.</summary>
    private static Tensor<double> HessianTwiceTooLarge(Tensor<double> w)
    {
        var squares = s_a.MatMul(w.Reshape(3, 1)).Square().Reshape(4, 1, 1);
        var outer = s_a.Reshape(4, 3, 1) * s_a.Reshape(4, 1, 3);
        var hessian = (2.0 * squares * outer).Mean(0); s_meanLine = Line();
        return hessian;
    }

    private static int Line([CallerLineNumber] int line = 0) => line;

    [Fact]
    public void AWrongHessianBuiltWithMeanNamesMeanAndItsLine()
    {
        var derivation = new Derivation<double>(Loss, Gradient, "w") { Hessian = HessianTwiceTooLarge };

        var report = derivation.CheckAt(Tensor.FromArray([0.4, -0.7, 1.1], 3));

        Assert.Equal($"hand value was made by 'Mean' at HandOriginTests.cs:{s_meanLine}", report.Worst!.Origin);
        Assert.Contains($"where      hand value was made by 'Mean' at HandOriginTests.cs:{s_meanLine}", report.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, Assert.Single(report.Patterns).Factor!.Value, 1e-9);
    }
}
