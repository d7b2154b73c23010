namespace TinyAutograd.Tests.Core;

/// <summary>
/// The calls a C# user expects: static helpers on <see cref="Tensor"/> that infer T, matmul transposes named at the
/// call, <see cref="AutoDiff.Vjp{T}(Func{Tensor{T}[], Tensor{T}}, Tensor{T}[], Tensor{T})"/> over several inputs,
/// <see cref="Tensor.Empty{T}(int[])"/>, 0-d <see cref="Tensor.FromArray{T}(T[], int[])"/>, and the refusal of element
/// types other than float and double.
/// </summary>
public sealed class TensorApiTests
{
    private static readonly Tensor<double> A = Tensor.FromArray([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 2, 3);
    private static readonly Tensor<double> W = Tensor.FromArray([1.0, 0.0, -1.0, 2.0, 1.0, 0.5], 2, 3);

    [Fact]
    public void NamedTransposeOfTheRightOperandMultipliesByItsTranspose()
    {
        // A·Wᵀ: row i of A dotted with row j of W.
        var expected = new[] { 1.0 - 3.0, 2.0 + 2.0 + 1.5, 4.0 - 6.0, 8.0 + 5.0 + 3.0 };
        Assert.Equal(expected, A.MatMul(W, transposeRight: true).ToArray());
        Assert.Equal(expected, Tensor.MatMul(A, W, transposeRight: true).ToArray());
    }

    [Fact]
    public void NamedTransposeOfTheLeftOperandMultipliesItsTranspose()
    {
        // Aᵀ·W: [3, 3], element (i, j) = Σₚ A[p, i]·W[p, j].
        var product = A.MatMul(W, transposeLeft: true);
        Assert.Equal(new Shape(3, 3), product.Shape);
        Assert.Equal(1.0 * 1.0 + 4.0 * 2.0, product[0, 0]);
        Assert.Equal(3.0 * -1.0 + 6.0 * 0.5, product[2, 2]);
    }

    [Fact]
    public void AVectorTimesATransposedMatrixDropsThePromotedAxis()
    {
        var x = Tensor.FromArray([1.0, 1.0, 1.0]);
        Assert.Equal(new[] { 0.0, 3.5 }, x.MatMul(W, transposeRight: true).ToArray());
    }

    [Fact]
    public void ATransposeFlagOnAVectorIsRefusedNamingTheShapes()
    {
        var x = Tensor.FromArray([1.0, 1.0, 1.0]);
        var error = Assert.Throws<ArgumentException>(() => W.MatMul(x, transposeRight: true));
        Assert.Contains("MatMul: a vector has no axes to transpose", error.Message, StringComparison.Ordinal);
        Assert.Contains("[2, 3] and [3]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StaticHelpersInferTheElementType()
    {
        var a = Tensor.FromArray([1f, 2f]);
        var b = Tensor.FromArray([3f, 4f]);
        Assert.Equal(new[] { 1f, 2f, 3f, 4f }, Tensor.Concatenate(0, a, b).ToArray());
        var stacked = Tensor.Stack(1, a, b);
        Assert.Equal(new Shape(2, 2), stacked.Shape);
        Assert.Equal(new[] { 1f, 3f, 2f, 4f }, stacked.ToArray());
        Assert.Equal(new[] { 1f, 4f }, Tensor.Where(Tensor.FromArray([1f, 0f]), a, b).ToArray());
    }

    [Fact]
    public void VjpOverSeveralInputsGivesEachInputsProductAndZerosForAnUnusedOne()
    {
        var a = Tensor.FromArray([1.0, 2.0]);
        var b = Tensor.FromArray([3.0, -4.0]);
        var unused = Tensor.FromArray([7.0]);
        var u = Tensor.FromArray([0.5, 2.0]);
        // f(a, b, c) = a ⊙ b: uᵀ·∂f/∂a = u ⊙ b, uᵀ·∂f/∂b = u ⊙ a, uᵀ·∂f/∂c = 0.
        var (value, products) = AutoDiff.Vjp(xs => xs[0] * xs[1], [a, b, unused], u);
        Assert.Equal(new[] { 3.0, -8.0 }, value.ToArray());
        Assert.Equal(new[] { 1.5, -8.0 }, products[0].ToArray());
        Assert.Equal(new[] { 0.5, 4.0 }, products[1].ToArray());
        Assert.Equal(new[] { 0.0 }, products[2].ToArray());
        Assert.False(value.RequiresGrad);
    }

    [Fact]
    public void VjpOverSeveralInputsRefusesACotangentOfAnotherShape()
    {
        var error = Assert.Throws<ArgumentException>(() => AutoDiff.Vjp(xs => xs[0] + xs[1], [Tensor.Ones<double>(2), Tensor.Ones<double>(2)], Tensor.Ones<double>(3)));
        Assert.Contains("Vjp: the cotangent has shape [3] but f(x) has shape [2]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyHasTheShapeAndInsideAnArenaReusesARecycledBufferWithoutClearingIt()
    {
        const int length = 1237;
        Assert.Equal(new Shape(3, 0, 2), Tensor.Empty<double>(3, 0, 2).Shape);
        using (TensorArena.Begin())
        {
            Tensor.Full(7.25, length);
        }
        using (TensorArena.Begin())
        {
            var recycled = Tensor.Empty<double>(length);
            Assert.Equal(new Shape(length), recycled.Shape);
            Assert.All(recycled.ToArray(), value => Assert.Equal(7.25, value));
        }
    }

    [Fact]
    public void FromArrayWithAnEmptyShapeIsZeroDimensional()
    {
        var scalar = Tensor.FromArray([2.5], []);
        Assert.Equal(Shape.Scalar, scalar.Shape);
        Assert.Equal(2.5, scalar.ToScalar());
        Assert.Equal(Shape.Scalar, Tensor.FromArray([2.5], Shape.Scalar.ToArray()).Shape);
        Assert.Equal(new Shape(1), Tensor.FromArray([2.5]).Shape);
        var error = Assert.Throws<ArgumentException>(() => Tensor.FromArray([1.0, 2.0], []));
        Assert.Contains("FromArray: 2 values cannot fill shape [], which holds 1 element.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnElementTypeOtherThanFloatOrDoubleIsRefusedAtFirstUseNamingIt()
    {
        var error = Assert.Throws<TypeInitializationException>(() => Tensor.Zeros<Half>(2));
        var refusal = Assert.IsType<NotSupportedException>(error.InnerException);
        Assert.Contains("Tensor<Half>: the element type System.Half is not supported; use float", refusal.Message, StringComparison.Ordinal);
        Assert.Throws<TypeInitializationException>(() => Tensor<Half>.ElementTypeName);
    }
}
