using FsCheck;
using FsCheck.Fluent;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Functional;

/// <summary>
/// Prod at zeros, where the random values of the registry never land: the gradient and the whole Hessian with none,
/// one, two or three zero factors, against the closed forms ∂y/∂xᵢ = Π_{j≠i} xⱼ and ∂²y/∂xᵢ∂xⱼ = Π_{k∉{i,j}} xₖ
/// (i ≠ j; 0 on the diagonal) and against central differences of the gradient. With two or more zeros the gradient is
/// 0 but the Hessian is not: the case PyTorch's double backward got wrong (pytorch/pytorch#106789).
/// </summary>
public sealed class ProdTests
{
    private static readonly Tolerance Exact = new(1e-12, 1e-12);

    /// <summary>Central differences of a polynomial of degree ≤ 2 per direction with Richardson extrapolation: rounding only.</summary>
    private static readonly Tolerance Differences = new(1e-8, 1e-7);

    /// <summary>2 … 6 factors in ±[0.5, 1.5], with 0 … 3 of them set to exactly 0.</summary>
    private static Gen<double[]> FactorsWithZeros =>
        from n in Gen.Choose(2, 6)
        from values in Gen.ArrayOf(Values.Weight, n)
        from zeros in Gen.Choose(0, Math.Min(3, n))
        from order in Gen.Shuffle(Enumerable.Range(0, n).ToArray())
        select values.Select((v, i) => order.Take(zeros).Contains(i) ? 0.0 : v).ToArray();

    [Fact]
    public void GradientAndHessianWithZerosMatchTheClosedForms() =>
        Properties.ForAll(FactorsWithZeros, factors =>
        {
            var x = Tensor.FromArray(factors);
            string name = $"Prod of [{string.Join(", ", factors)}]";
            ElementwiseComparison.Require($"{name}: value", x.Prod().ToArray(), [ProductExcept(factors)], Exact);
            var gradient = AutoDiff.Gradient(t => t.Prod(), x);
            ElementwiseComparison.Require($"{name}: gradient", gradient.ToArray(), [.. factors.Select((_, i) => ProductExcept(factors, i))], Exact);
            var expected = HessianByFormula(factors);
            foreach (var method in new[] { HessianVectorMethod.ForwardOverReverse, HessianVectorMethod.ReverseOverReverse })
            {
                ElementwiseComparison.Require($"{name}: Hessian ({method})", AutoDiff.Hessian(t => t.Prod(), x, method).ToArray(), expected, Exact);
            }
        });

    [Fact]
    public void HessianWithZerosMatchesDifferencesOfTheGradient() =>
        Properties.ForAll(FactorsWithZeros, factors =>
        {
            int n = factors.Length;
            var hessian = AutoDiff.Hessian(t => t.Prod(), Tensor.FromArray(factors)).ToArray();
            for (int j = 0; j < n; j++)
            {
                int column = j;
                var differences = FiniteDifferences.Derivative(
                    h => AutoDiff.Gradient(t => t.Prod(), Tensor.FromArray([.. factors.Select((v, i) => i == column ? v + h : v)])).ToArray(),
                    FiniteDifferences.DirectionalStep);
                var computed = Enumerable.Range(0, n).Select(i => hessian[i * n + column]).ToArray();
                ElementwiseComparison.Require($"Prod of [{string.Join(", ", factors)}]: Hessian column {column} vs differences of the gradient",
                    computed, differences, Differences);
            }
        });

    [Fact]
    public void AlongAnAxisEachRowOnlyMeetsItsOwnZeros()
    {
        // Row 0 holds two zeros, row 1 one, row 2 none: gradient 0, one entry, and y/xᵢ respectively.
        var x = Tensor.FromArray([0.0, 2.0, 0.0, 3.0, 0.0, 5.0, 1.5, -2.0, 4.0], [3, 3]);
        var weights = Tensor.FromArray([1.0, 10.0, 100.0]);
        var gradient = AutoDiff.Gradient(t => (t.Prod(1) * weights).Sum(), x);
        Assert.Equal(new[] { 0.0, 0.0, 0.0, 0.0, 150.0, 0.0, -800.0, 600.0, -300.0 }, gradient.ToArray());
        // H·v for v = e₀ (x₀₀): only the other zero of row 0 moves, by the product of the rest of the row, 2.
        var direction = Tensor.FromArray([1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [3, 3]);
        var product = AutoDiff.HessianVectorProduct(t => (t.Prod(1) * weights).Sum(), x, direction);
        Assert.Equal(new[] { 0.0, 0.0, 2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0 }, product.ToArray());
    }

    [Fact]
    public void TheProductOfNothingIsOneAndOfSizeOneAxesIsACopy()
    {
        var empty = Tensor.Zeros<double>(2, 0).RequireGrad();
        var ones = empty.Prod(1);
        Assert.Equal(new[] { 1.0, 1.0 }, ones.ToArray());
        ones.Sum().Backward();
        Assert.Equal(0, empty.Grad!.Length);

        var column = Tensor.FromArray([4.0, 5.0], [2, 1]);
        var same = column.Prod(1, keepDims: true);
        same.GetSpanForWrite()[0] = -1;
        Assert.Equal(4.0, column[0, 0]);
    }

    private static double ProductExcept(double[] factors, params int[] skipped) =>
        factors.Where((_, k) => !skipped.Contains(k)).Aggregate(1.0, (product, v) => product * v);

    private static double[] HessianByFormula(double[] factors)
    {
        int n = factors.Length;
        var hessian = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                hessian[i * n + j] = i == j ? 0 : ProductExcept(factors, i, j);
            }
        }
        return hessian;
    }
}
