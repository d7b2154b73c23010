using TinyAutograd.Nn;

namespace TinyAutograd.Tests.Nn;

/// <summary>Initializers: the distributions' bounds and moments, orthogonality, fans, gains and reproducibility.</summary>
public sealed class InitTests
{
    [Fact]
    public void FansCountTheReceptiveField()
    {
        Assert.Equal((3 * 5 * 7, 4 * 5 * 7), Init.Fans(new Shape(4, 3, 5, 7)));
        Assert.Equal((20, 10), Init.Fans(new Shape(10, 20)));
        Assert.Throws<ArgumentException>(() => Init.Fans(new Shape(10)));
    }

    [Theory]
    [InlineData(FanMode.FanIn, Nonlinearity.Relu, 0.0)]
    [InlineData(FanMode.FanOut, Nonlinearity.LeakyRelu, 0.2)]
    [InlineData(FanMode.FanIn, Nonlinearity.Tanh, 0.0)]
    public void KaimingHasTheStatedSpread(FanMode mode, Nonlinearity nonlinearity, double a)
    {
        var shape = new[] { 200, 150 };
        int fan = mode == FanMode.FanIn ? 150 : 200;
        double gain = nonlinearity switch { Nonlinearity.Relu => Math.Sqrt(2), Nonlinearity.Tanh => 5.0 / 3, _ => Math.Sqrt(2 / (1 + a * a)) };
        double std = gain / Math.Sqrt(fan);
        var uniform = Init.KaimingUniform(Tensor.Zeros<double>(shape), new RandomSource(1), a, mode, nonlinearity).ToArray();
        Assert.All(uniform, v => Assert.InRange(Math.Abs(v), 0, Math.Sqrt(3) * std));
        AssertStd(std, uniform);
        AssertStd(std, Init.KaimingNormal(Tensor.Zeros<double>(shape), new RandomSource(2), a, mode, nonlinearity).ToArray());
    }

    [Fact]
    public void XavierHasTheStatedSpread()
    {
        double std = 1.5 * Math.Sqrt(2.0 / (120 + 80));
        var uniform = Init.XavierUniform(Tensor.Zeros<double>(80, 120), new RandomSource(3), gain: 1.5).ToArray();
        Assert.All(uniform, v => Assert.InRange(Math.Abs(v), 0, Math.Sqrt(3) * std));
        AssertStd(std, uniform);
        AssertStd(std, Init.XavierNormal(Tensor.Zeros<double>(80, 120), new RandomSource(4), gain: 1.5).ToArray());
    }

    [Theory]
    [InlineData(5, 8)]
    [InlineData(8, 5)]
    [InlineData(6, 6)]
    public void OrthogonalHasOrthonormalRowsOrColumns(int rows, int columns)
    {
        const double gain = 2;
        var w = Init.Orthogonal(Tensor.Zeros<double>(rows, columns), new RandomSource(5), gain).ToArray();
        int k = Math.Min(rows, columns);
        for (int p = 0; p < k; p++)
        {
            for (int q = 0; q < k; q++)
            {
                double dot = 0;
                for (int i = 0; i < Math.Max(rows, columns); i++)
                {
                    dot += rows <= columns ? w[p * columns + i] * w[q * columns + i] : w[i * columns + p] * w[i * columns + q];
                }
                Assert.Equal(p == q ? gain * gain : 0, dot, 1e-12);
            }
        }
    }

    [Fact]
    public void SameGeneratorStateGivesSameValuesAndConstantFills()
    {
        Assert.Equal(
            Init.Normal(Tensor.Zeros<float>(10), 1, 2, new RandomSource(9)).ToArray(),
            Init.Normal(Tensor.Zeros<float>(10), 1, 2, new RandomSource(9)).ToArray());
        Assert.All(Init.Constant(Tensor.Zeros<double>(3, 2), 0.25).ToArray(), v => Assert.Equal(0.25, v));
        var uniform = Init.Uniform(Tensor.Zeros<double>(1000), -3, -2, new RandomSource(1)).ToArray();
        Assert.All(uniform, v => Assert.InRange(v, -3, -2));
    }

    private static void AssertStd(double expected, double[] values)
    {
        double mean = values.Average();
        double std = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
        Assert.InRange(mean, -0.05 * expected, 0.05 * expected);
        Assert.InRange(std, 0.95 * expected, 1.05 * expected);
    }
}
