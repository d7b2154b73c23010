namespace TinyAutograd.Tests.Transforms;

public class JacobianTests
{
    public static TheoryData<JacobianMode> Modes => [JacobianMode.Reverse, JacobianMode.Forward];

    [Theory]
    [MemberData(nameof(Modes))]
    public void SoftmaxJacobianIsDiagonalOfPMinusOuterProduct(JacobianMode mode)
    {
        double[] z = [0.3, -1.2, 2.0, 0.7];
        double normalizer = z.Sum(Math.Exp);
        double[] p = [.. z.Select(value => Math.Exp(value) / normalizer)];
        var expected = new double[4, 4];
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                expected[i, j] = (i == j ? p[i] : 0) - p[i] * p[j];
            }
        }

        var jacobian = AutoDiff.Jacobian(x => x.Softmax(), Tensor.FromArray(z, 4), mode);

        DenseAssert.Close(expected, jacobian);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void JacobianOfMatrixTimesVectorIsTheMatrix(JacobianMode mode)
    {
        var a = Tensor.Normal<double>([3, 4], seed: 11);
        var x = Tensor.Normal<double>([4], seed: 12);

        var jacobian = AutoDiff.Jacobian(v => a.MatMul(v), x, mode);

        DenseAssert.Close(a.ToArray(), [3, 4], jacobian);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void JacobianOfMatrixTimesVectorWithRespectToTheMatrixIsKroneckerOfIdentityAndX(JacobianMode mode)
    {
        var a = Tensor.Normal<double>([2, 3], seed: 21);
        var x = Tensor.Normal<double>([3], seed: 22);
        // ∂(Ax)ᵢ/∂A_jk = δᵢⱼ x_k, laid out as [i, j, k].
        var expected = new double[2 * 2 * 3];
        for (int i = 0; i < 2; i++)
        {
            for (int k = 0; k < 3; k++)
            {
                expected[(i * 2 + i) * 3 + k] = x.Data[k];
            }
        }

        var blocks = AutoDiff.Jacobian(inputs => inputs[0].MatMul(inputs[1]), [a, x], mode);

        DenseAssert.Close(expected, [2, 2, 3], blocks[0]);
        DenseAssert.Close(a.ToArray(), [2, 3], blocks[1]);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void JacobianOfTanhLayerIsDiagonalOfOneMinusYSquaredTimesW(JacobianMode mode)
    {
        var w = Tensor.Normal<double>([3, 5], seed: 31);
        var b = Tensor.Normal<double>([3], seed: 32);
        var x = Tensor.Normal<double>([5], seed: 33);
        var expected = new double[3, 5];
        for (int i = 0; i < 3; i++)
        {
            double pre = b.Data[i];
            for (int j = 0; j < 5; j++)
            {
                pre += w[i, j] * x.Data[j];
            }
            double slope = 1 - Math.Tanh(pre) * Math.Tanh(pre);
            for (int j = 0; j < 5; j++)
            {
                expected[i, j] = slope * w[i, j];
            }
        }

        var jacobian = AutoDiff.Jacobian(v => (w.MatMul(v) + b).Tanh(), x, mode);

        DenseAssert.Close(expected, jacobian);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void JacobianOfElementwiseSquareOfAMatrixHasShapeOutputThenInput(JacobianMode mode)
    {
        var x = Tensor.FromArray([1.0, -2.0, 0.5, 3.0, 0.0, -1.5], 2, 3);
        var expected = new double[36];
        for (int k = 0; k < 6; k++)
        {
            expected[k * 6 + k] = 2 * x.Data[k];
        }

        var jacobian = AutoDiff.Jacobian(v => v.Square(), x, mode);

        DenseAssert.Close(expected, [2, 3, 2, 3], jacobian);
    }

    [Fact]
    public void BothModesAgreeOnANonlinearFunctionOfSeveralInputs()
    {
        var a = Tensor.Normal<double>([4, 3], seed: 41);
        var b = Tensor.Normal<double>([3], seed: 42);
        Tensor<double> Function(Tensor<double>[] inputs) => (inputs[0] * inputs[1]).Sigmoid().LogSumExp(1) * inputs[1].Sum();

        var reverse = AutoDiff.Jacobian(Function, [a, b], JacobianMode.Reverse);
        var forward = AutoDiff.Jacobian(Function, [a, b], JacobianMode.Forward);

        for (int i = 0; i < 2; i++)
        {
            DenseAssert.Close(reverse[i].ToArray(), reverse[i].Shape.ToArray(), forward[i], tolerance: 1e-12);
        }
        Assert.Equal([4, 4, 3], reverse[0].Shape.ToArray());
        Assert.Equal([4, 3], reverse[1].Shape.ToArray());
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void JacobianOfAConstantFunctionIsZero(JacobianMode mode)
    {
        var constant = Tensor.FromArray([1.0, 2.0], 2);

        var jacobian = AutoDiff.Jacobian(_ => constant * 3.0, Tensor.FromArray([5.0, 6.0, 7.0], 3), mode);

        DenseAssert.Close(new double[6], [2, 3], jacobian);
    }

    [Fact]
    public void JacobianWithoutInputsFailsClearly()
    {
        var error = Assert.Throws<ArgumentException>(() => AutoDiff.Jacobian(_ => Tensor.Scalar(1.0), Array.Empty<Tensor<double>>()));

        Assert.Contains("Jacobian", error.Message, StringComparison.Ordinal);
    }
}
