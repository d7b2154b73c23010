using TinyAutograd.Checks;

namespace TinyAutograd.Tests.Transforms;

/// <summary>
/// The shortcuts of the forward-over-reverse Hessian-vector product, each against central differences of the gradient
/// and against reverse-over-reverse (<see cref="HessianVectorProductCheck"/>): a matrix product's gradient tangent formed
/// without the gradient (both operands moving, every transpose flag, broadcast batch axes) and the one-pass tangents of
/// the tanh and sigmoid backward.
/// </summary>
public sealed class ForwardOverReverseTests
{
    public static TheoryData<bool, bool, int[], int[]> Products => new()
    {
        { false, false, [3, 4], [4, 5] },
        { true, false, [4, 3], [4, 5] },
        { false, true, [3, 4], [5, 4] },
        { true, true, [4, 3], [5, 4] },
        { false, false, [2, 3, 4], [4, 5] },
        { false, true, [3, 4], [2, 5, 4] },
    };

    [Theory]
    [MemberData(nameof(Products))]
    public void MatchesDifferencesThroughAProductOfTwoMovingOperandsAndBothActivations(bool transposeLeft, bool transposeRight, int[] left, int[] right)
    {
        Tensor<double>[] inputs = [Tensor.Normal<double>(left, std: 0.7, seed: 11), Tensor.Normal<double>(right, std: 0.7, seed: 12)];

        var report = HessianVectorProductCheck.Run(p =>
        {
            var product = Tensor.MatMul(p[0], p[1], transposeLeft, transposeRight);
            return product.Tanh().Square().Sum() + (product.Sigmoid() * product).Sum();
        }, inputs);

        Assert.True(report.Passed, report.ToString());
    }

    [Fact]
    public void GivesTheProductAloneAsValueGradientsAndHessianVectorProductGivesIt()
    {
        Tensor<double>[] inputs = [Tensor.Normal<double>([3, 4], seed: 21), Tensor.Normal<double>([4, 2], seed: 22)];
        Tensor<double>[] vectors = [Tensor.Normal<double>([3, 4], seed: 23), Tensor.Normal<double>([4, 2], seed: 24)];
        Tensor<double> Function(Tensor<double>[] p) => p[0].MatMul(p[1]).Tanh().Sum();

        var alone = AutoDiff.HessianVectorProduct(Function, inputs, vectors);
        var (_, _, together) = AutoDiff.ValueGradientsAndHessianVectorProduct(Function, inputs, vectors);

        for (int i = 0; i < inputs.Length; i++)
        {
            Assert.Equal(together[i].ToArray(), alone[i].ToArray(), (a, b) => Math.Abs(a - b) <= 1e-12 * (1 + Math.Abs(b)));
        }
    }
}
