using TinyAutograd.Differentiation;

namespace TinyAutograd.Tests.Transforms;

/// <summary>
/// Reverse-over-reverse Hessian-vector products, whose inner pass records the gradients for their graph alone (a weight
/// gradient made by one matrix product is recorded unformed) and whose outer pass starts at every gradient at once:
/// checked against central differences of plain gradients, on graphs where a weight's gradient is one product, the sum
/// of two, a product over stacked batch rows, a product summed over a broadcast batch axis, and a constant.
/// </summary>
public class ReverseOverReverseTests
{
    private static readonly Tensor<double> Rows = Tensor.Normal<double>([5, 4], seed: 11);
    private static readonly Tensor<double> Batch = Tensor.Normal<double>([2, 5, 4], seed: 12);

    public static TheoryData<string> Cases => ["mlp", "tied", "stacked", "broadcast batch", "linear in the weight"];

    /// <summary>The scalar function of each case and its parameters' shapes.</summary>
    private static (Func<Tensor<double>[], Tensor<double>> Function, int[][] Shapes) Case(string name) => name switch
    {
        "mlp" => (p => Rows.Linear(p[0], p[1]).Tanh().MatMul(p[2], transposeRight: true).Square().Sum(), [[3, 4], [3], [2, 3]]),
        "tied" => (p => Rows.MatMul(p[0], transposeRight: true).Tanh().MatMul(p[0]).Square().Sum(), [[4, 4]]),
        "stacked" => (p => Batch.MatMul(p[0], transposeRight: true).Tanh().Square().Sum(), [[3, 4]]),
        "broadcast batch" => (p => Batch.MatMul(p[0], transposeRight: true).Sin().Sum(), [[1, 3, 4]]),
        _ => (p => Rows.MatMul(p[0], transposeRight: true).Sum() + (p[1] * p[1] * p[1]).Sum(), [[3, 4], [3]]),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ProductMatchesCentralDifferencesOfTheGradient(string name)
    {
        var (function, shapes) = Case(name);
        var parameters = shapes.Select((shape, i) => Tensor.Normal<double>(shape, seed: (ulong)(20 + i))).ToArray();
        var vectors = shapes.Select((shape, i) => Tensor.Normal<double>(shape, seed: (ulong)(40 + i))).ToArray();
        const double step = 1e-5;
        var ahead = Gradients(function, Shifted(parameters, vectors, step));
        var behind = Gradients(function, Shifted(parameters, vectors, -step));

        var products = AutoDiff.HessianVectorProduct(function, parameters, vectors, HessianVectorMethod.ReverseOverReverse);

        for (int i = 0; i < parameters.Length; i++)
        {
            var expected = ahead[i].Zip(behind[i], (a, b) => (a - b) / (2 * step)).ToArray();
            DenseAssert.Close(expected, shapes[i], products[i], tolerance: 1e-6);
        }
    }

    [Fact]
    public void InnerPassRecordsAWeightGradientOfOneProductWithoutValues()
    {
        var (weight, bias) = (Tensor.Normal<double>([3, 4], seed: 1).RequireGrad(), Tensor.Normal<double>([3], seed: 2).RequireGrad());
        using var recording = GradMode.Enable();
        var loss = Rows.Linear(weight, bias).Tanh().Sum();

        var graphs = BackwardEngine.Run(loss, Tensor.Ones<double>([]), [weight, bias], createGraph: true, retainGraph: true, "test", RequestedForm.Graphs)!;

        Assert.True(graphs[0].IsUnformed);
        Assert.True(graphs[0].RequiresGrad);
        var error = Assert.Throws<InvalidOperationException>(() => graphs[0].Data[0]);
        Assert.Contains("graph alone", error.Message);
        Assert.Contains("shape [3, 4]", error.Message);
        Assert.Contains("values never computed", graphs[0].ToString());
        Assert.False(graphs[1].IsUnformed);
        var plainBias = AutoDiff.Gradients(Rows.Linear(weight, bias).Tanh().Sum(), [bias])[0];
        Assert.Equal(plainBias.ToArray(), graphs[1].ToArray());
    }

    [Fact]
    public void InnerPassFormsAWeightGradientMadeOfTwoShares()
    {
        var weight = Tensor.Normal<double>([4, 4], seed: 3).RequireGrad();
        using var recording = GradMode.Enable();
        var (function, _) = Case("tied");

        var graphs = BackwardEngine.Run(function([weight]), Tensor.Ones<double>([]), [weight], createGraph: true, retainGraph: true, "test", RequestedForm.Graphs)!;

        Assert.False(graphs[0].IsUnformed);
        Assert.Equal(AutoDiff.Gradients(function([weight]), [weight])[0].ToArray(), graphs[0].ToArray());
    }

    [Fact]
    public void SeveralRootsAddTheirVectorJacobianProducts()
    {
        var x = Tensor.Normal<double>([3], seed: 5).RequireGrad();
        var (first, second) = (Tensor.Normal<double>([3], seed: 6), Tensor.Normal<double>([3], seed: 7));
        using var recording = GradMode.Enable();
        var (square, sine) = (x * x, x.Sin());

        var both = BackwardEngine.Run([square, sine], [first, second], [x], createGraph: false, retainGraph: true, "test")![0];
        var twice = BackwardEngine.Run([square, square], [first, second], [x], createGraph: false, retainGraph: true, "test")![0];
        var chained = BackwardEngine.Run([square, square.Sin()], [first, second], [x], createGraph: false, retainGraph: true, "test")![0];

        for (int i = 0; i < 3; i++)
        {
            double value = x.Data[i];
            Assert.Equal(first.Data[i] * 2 * value + second.Data[i] * Math.Cos(value), both.Data[i], 1e-14);
            Assert.Equal((first.Data[i] + second.Data[i]) * 2 * value, twice.Data[i], 1e-14);
            Assert.Equal((first.Data[i] + second.Data[i] * Math.Cos(value * value)) * 2 * value, chained.Data[i], 1e-14);
        }
    }

    private static Tensor<double>[] Shifted(Tensor<double>[] parameters, Tensor<double>[] vectors, double step) =>
        [.. parameters.Select((p, i) => Tensor.FromArray(p.Data.ToArray().Zip(vectors[i].Data.ToArray(), (a, v) => a + step * v).ToArray(), p.Shape.ToArray()))];

    private static double[][] Gradients(Func<Tensor<double>[], Tensor<double>> function, Tensor<double>[] at)
    {
        var leaves = at.Select(p => p.RequireGrad()).ToArray();
        using var recording = GradMode.Enable();
        return [.. AutoDiff.Gradients(function(leaves), leaves).Select(g => g.ToArray())];
    }
}
