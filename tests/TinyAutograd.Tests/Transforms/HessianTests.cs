namespace TinyAutograd.Tests.Transforms;

public class HessianTests
{
    public static TheoryData<HessianVectorMethod> Methods => [HessianVectorMethod.ForwardOverReverse, HessianVectorMethod.ReverseOverReverse];

    [Theory]
    [MemberData(nameof(Methods))]
    public void HalfQuadraticFormHasTheSymmetricPartAsHessian(HessianVectorMethod method)
    {
        var a = Tensor.Normal<double>([4, 4], seed: 1);
        var x = Tensor.Normal<double>([4], seed: 2);
        var expected = new double[4, 4];
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                expected[i, j] = 0.5 * (a[i, j] + a[j, i]);
            }
        }
        Assert.NotEqual(a[0, 1], a[1, 0]);

        var hessian = AutoDiff.Hessian(v => v.MatMul(a.MatMul(v)) * 0.5, x, method);

        DenseAssert.Close(expected, hessian);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void LogSumExpOfAffineMapHasHessianATransposeTimesCovarianceOfPTimesA(HessianVectorMethod method)
    {
        const int m = 5, n = 3;
        var a = Tensor.Normal<double>([m, n], seed: 3);
        var b = Tensor.Normal<double>([m], seed: 4);
        var theta = Tensor.Normal<double>([n], seed: 5);
        // p = softmax(Aθ + b), computed here without the library.
        var z = new double[m];
        for (int i = 0; i < m; i++)
        {
            z[i] = b.Data[i];
            for (int k = 0; k < n; k++)
            {
                z[i] += a[i, k] * theta.Data[k];
            }
        }
        double largest = z.Max();
        double normalizer = z.Sum(value => Math.Exp(value - largest));
        var p = z.Select(value => Math.Exp(value - largest) / normalizer).ToArray();
        // Aᵀ(diag(p) − ppᵀ)A
        var expected = new double[n, n];
        for (int r = 0; r < n; r++)
        {
            for (int c = 0; c < n; c++)
            {
                for (int i = 0; i < m; i++)
                {
                    for (int j = 0; j < m; j++)
                    {
                        double covariance = (i == j ? p[i] : 0) - p[i] * p[j];
                        expected[r, c] += a[i, r] * covariance * a[j, c];
                    }
                }
            }
        }

        var hessian = AutoDiff.Hessian(t => (a.MatMul(t) + b).LogSumExp(), theta, method);

        DenseAssert.Close(expected, hessian);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void SigmoidNeuronLossHasTheHandDerivedHessian(HessianVectorMethod method)
    {
        const double w0 = 0.9, b0 = -0.4;
        var expected = SigmoidNeuron.HandHessian(w0, b0);

        var blocks = AutoDiff.Hessian(inputs => SigmoidNeuron.Loss(inputs[0], inputs[1]), [Tensor.Scalar(w0), Tensor.Scalar(b0)], method);

        Assert.Equal(expected[0, 0], blocks[0][0].ToScalar(), 1e-12);
        Assert.Equal(expected[0, 1], blocks[0][1].ToScalar(), 1e-12);
        Assert.Equal(expected[1, 0], blocks[1][0].ToScalar(), 1e-12);
        Assert.Equal(expected[1, 1], blocks[1][1].ToScalar(), 1e-12);
    }

    [Fact]
    public void SigmoidNeuronLossHessianOverAPackedParameterVectorMatches()
    {
        const double w0 = -2.0, b0 = 2.0;

        var hessian = AutoDiff.Hessian(theta => SigmoidNeuron.Loss(theta.Slice(0, 0, 1).Reshape(), theta.Slice(0, 1, 1).Reshape()), Tensor.FromArray([w0, b0], 2));

        DenseAssert.Close(SigmoidNeuron.HandHessian(w0, b0), hessian);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void RosenbrockHasTheHandDerivedHessian(HessianVectorMethod method)
    {
        const double x = -1.2, y = 1.0;
        // f = (1 − x)² + 100(y − x²)²
        var expected = new double[,]
        {
            { 2 - 400 * (y - x * x) + 800 * x * x, -400 * x },
            { -400 * x, 200 },
        };

        var hessian = AutoDiff.Hessian(Rosenbrock, Tensor.FromArray([x, y], 2), method);

        DenseAssert.Close(expected, hessian);
    }

    [Fact]
    public void HessianBlocksOfSeveralInputsHaveRowThenColumnShapes()
    {
        var u = Tensor.Normal<double>([2, 2], seed: 6);
        var v = Tensor.Normal<double>([3], seed: 7);
        // f = Σᵢⱼₖ uᵢⱼ² vₖ³: ∂²f/∂uᵢⱼ∂v_k = 6uᵢⱼv_k², ∂²f/∂v_k² = 6 v_k Σu², ∂²f/∂uᵢⱼ² = 2 Σv³.
        double sumSquares = u.Data.ToArray().Sum(value => value * value);
        double sumCubes = v.Data.ToArray().Sum(value => value * value * value);
        var uv = new double[4 * 3];
        var uu = new double[4 * 4];
        var vv = new double[3 * 3];
        for (int i = 0; i < 4; i++)
        {
            uu[i * 4 + i] = 2 * sumCubes;
            for (int k = 0; k < 3; k++)
            {
                uv[i * 3 + k] = 6 * u.Data[i] * v.Data[k] * v.Data[k];
            }
        }
        for (int k = 0; k < 3; k++)
        {
            vv[k * 3 + k] = 6 * v.Data[k] * sumSquares;
        }
        var vu = new double[3 * 4];
        for (int k = 0; k < 3; k++)
        {
            for (int i = 0; i < 4; i++)
            {
                vu[k * 4 + i] = uv[i * 3 + k];
            }
        }

        var blocks = AutoDiff.Hessian(inputs => inputs[0].Square().Sum() * inputs[1].Pow(3.0).Sum(), [u, v]);

        DenseAssert.Close(uu, [2, 2, 2, 2], blocks[0][0]);
        DenseAssert.Close(uv, [2, 2, 3], blocks[0][1]);
        DenseAssert.Close(vu, [3, 2, 2], blocks[1][0]);
        DenseAssert.Close(vv, [3, 3], blocks[1][1]);
    }

    [Fact]
    public void HessianOfANonScalarFunctionFailsClearly()
    {
        var error = Assert.Throws<ArgumentException>(() => AutoDiff.Hessian(x => x.Square(), Tensor.FromArray([1.0, 2.0], 2)));

        Assert.Contains("scalar", error.Message, StringComparison.Ordinal);
    }

    private static Tensor<double> Rosenbrock(Tensor<double> point)
    {
        var x = point.Slice(0, 0, 1);
        var y = point.Slice(0, 1, 1);
        return ((1.0 - x).Square() + 100.0 * (y - x.Square()).Square()).Sum();
    }
}
