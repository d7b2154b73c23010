using TinyAutograd.Checks;
using static TinyAutograd.Tests.Checks.BrokenDerivations;

namespace TinyAutograd.Tests.Checks;

/// <summary>A function of one tensor takes its hand Hessian and Hessian-vector product as functions of one tensor too
/// (method groups included), in either accepted Hessian shape.</summary>
public class DerivationOverloadTests
{
    private static Tensor<double> HandHessianVectorProduct(Tensor<double> w, Tensor<double> v) =>
        SoftmaxRegression.Hessian(w).MatMul(v.Reshape(6, 1)).Reshape(3, 2);

    [Fact]
    public void MethodGroupsOfOneTensorAreAcceptedAndPass()
    {
        var derivation = new Derivation<double>(SoftmaxRegression.Loss, SoftmaxRegression.Gradient, "W")
        {
            Hessian = SoftmaxRegression.Hessian,
            HessianVectorProduct = HandHessianVectorProduct,
        };

        var report = derivation.CheckAtRandomPoints(new Shape(3, 2), count: 2);

        Assert.True(report.Passed, report.ToString());
        Assert.Equal(2 * (6 + 36 + 6), report.ComparedCount);
    }

    [Fact]
    public void TheHessianMayHaveShapeXShapeTwice()
    {
        var derivation = new Derivation<double>(SoftmaxRegression.Loss, SoftmaxRegression.Gradient, "W") { Hessian = w => SoftmaxRegression.Hessian(w).Reshape(3, 2, 3, 2) };

        var report = derivation.CheckAt(Tensor.Normal<double>([3, 2], seed: 8));

        Assert.True(report.Passed, report.ToString());
    }

    [Fact]
    public void AWrongHessianVectorProductIsDiagnosedInItsOwnPart()
    {
        var derivation = new Derivation<double>(SoftmaxRegression.Loss, SoftmaxRegression.Gradient, "W")
        {
            HessianVectorProduct = (w, v) => SoftmaxRegression.N * HandHessianVectorProduct(w, v),
        };

        var report = derivation.CheckAtRandomPoints(new Shape(3, 2), count: 2);

        var pattern = Assert.Single(report.Patterns);
        Assert.Equal("Hessian-vector product", pattern.Part);
        Assert.Equal(SoftmaxRegression.N, pattern.Factor!.Value, 1e-9);
    }
}
