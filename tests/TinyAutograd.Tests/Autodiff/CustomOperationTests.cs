using TinyAutograd;

namespace TinyAutograd.Tests.Autodiff;

public sealed class CustomOperationTests
{
    /// <summary>y = x³, with its rules written out: ∂L/∂x = 3x²·g, ẏ = 3x²·ẋ.</summary>
    private sealed class Cube() : CustomOperation<double>("Cube")
    {
        public int ForwardCalls { get; private set; }

        protected override Tensor<double> Forward(IReadOnlyList<Tensor<double>> inputs)
        {
            ForwardCalls++;
            return inputs[0] * inputs[0] * inputs[0];
        }

        protected override Tensor<double> Backward(int index, IReadOnlyList<Tensor<double>> inputs, Tensor<double> output, Tensor<double> outputGradient) =>
            outputGradient * 3.0 * inputs[0].Square();

        protected override Tensor<double> Jvp(int index, IReadOnlyList<Tensor<double>> inputs, Tensor<double> output, Tensor<double> inputTangent) =>
            inputTangent * 3.0 * inputs[0].Square();
    }

    /// <summary>z = a·b for same-shaped a and b, without a forward-mode rule; Forward loops over raw values.</summary>
    private sealed class Product() : CustomOperation<double>("Product")
    {
        protected override Tensor<double> Forward(IReadOnlyList<Tensor<double>> inputs)
        {
            var values = new double[inputs[0].Length];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = inputs[0].Data[i] * inputs[1].Data[i];
            }
            return Tensor.FromArray(values, inputs[0].Shape.ToArray());
        }

        protected override Tensor<double> Backward(int index, IReadOnlyList<Tensor<double>> inputs, Tensor<double> output, Tensor<double> outputGradient) =>
            outputGradient * inputs[1 - index];
    }

    /// <summary>Returns its input unchanged, and a gradient of the wrong shape.</summary>
    private sealed class BadShapes() : CustomOperation<double>("BadShapes")
    {
        protected override Tensor<double> Forward(IReadOnlyList<Tensor<double>> inputs) => inputs[0];

        protected override Tensor<double> Backward(int index, IReadOnlyList<Tensor<double>> inputs, Tensor<double> output, Tensor<double> outputGradient) =>
            outputGradient.Sum();

        protected override Tensor<double> Jvp(int index, IReadOnlyList<Tensor<double>> inputs, Tensor<double> output, Tensor<double> inputTangent) =>
            inputTangent.Sum();
    }

    private static readonly double[] s_x = [-1.5, 0.5, 2.0];

    [Fact]
    public void Backward_fills_the_leaf_gradient_from_the_users_rule()
    {
        var x = Tensor.FromArray(s_x, 3).RequireGrad();

        new Cube().Apply(x).Sum().Backward();

        Assert.Equal(s_x.Select(v => 3 * v * v), x.Grad!.ToArray());
    }

    [Fact]
    public void The_forward_value_is_the_users_and_runs_once()
    {
        var cube = new Cube();
        var x = Tensor.FromArray(s_x, 3).RequireGrad();

        var y = cube.Apply(x);

        Assert.Equal(s_x.Select(v => v * v * v), y.ToArray());
        Assert.Equal(1, cube.ForwardCalls);
        Assert.True(y.RequiresGrad);
        Assert.False(y.IsLeaf);
    }

    [Fact]
    public void Without_grad_inputs_nothing_is_recorded()
    {
        var y = new Cube().Apply(Tensor.FromArray(s_x, 3));

        Assert.False(y.RequiresGrad);
        Assert.True(y.IsLeaf);
    }

    [Fact]
    public void A_backward_written_in_tensor_ops_gives_second_derivatives()
    {
        var x = Tensor.FromArray(s_x, 3).RequireGrad();
        var gradient = AutoDiff.Gradients(new Cube().Apply(x).Sum(), [x], createGraph: true)[0];

        var second = AutoDiff.Gradients(gradient.Sum(), [x])[0];

        Assert.Equal(s_x.Select(v => 6 * v), second.ToArray());
    }

    [Fact]
    public void Jvp_uses_the_users_forward_rule()
    {
        double[] v = [1.0, -2.0, 0.5];

        var (value, product) = AutoDiff.Jvp(x => new Cube().Apply(x), Tensor.FromArray(s_x, 3), Tensor.FromArray(v, 3));

        Assert.Equal(s_x.Select(a => a * a * a), value.ToArray());
        Assert.Equal(s_x.Select((a, i) => 3 * a * a * v[i]), product.ToArray());
    }

    [Theory]
    [InlineData(HessianVectorMethod.ForwardOverReverse)]
    [InlineData(HessianVectorMethod.ReverseOverReverse)]
    public void Hessian_vector_products_go_through_the_custom_op(HessianVectorMethod method)
    {
        double[] v = [1.0, -2.0, 0.5];

        var product = AutoDiff.HessianVectorProduct(x => new Cube().Apply(x).Sum(), Tensor.FromArray(s_x, 3), Tensor.FromArray(v, 3), method);

        Assert.Equal(s_x.Select((a, i) => 6 * a * v[i]), product.ToArray());
    }

    [Fact]
    public void Each_input_gets_its_own_gradient()
    {
        double[] a = [1, 2, 3], b = [4, -5, 6];
        var left = Tensor.FromArray(a, 3).RequireGrad();
        var right = Tensor.FromArray(b, 3).RequireGrad();

        new Product().Apply(left, right).Sum().Backward();

        Assert.Equal(b, left.Grad!.ToArray());
        Assert.Equal(a, right.Grad!.ToArray());
    }

    [Fact]
    public void Forward_mode_without_a_rule_is_refused_by_name()
    {
        var error = Assert.ThrowsAny<NotSupportedException>(() =>
            AutoDiff.Jvp(x => new Product().Apply(x, x), Tensor.FromArray(s_x, 3), Tensor.FromArray(s_x, 3)));

        Assert.Contains("'Product'", error.Message, StringComparison.Ordinal);
        Assert.Contains("ReverseModeOnly", error.Message, StringComparison.Ordinal);
        Assert.Contains("Jvp", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gradient_of_the_wrong_shape_is_refused_by_name()
    {
        var x = Tensor.FromArray(s_x, 3).RequireGrad();
        var y = new BadShapes().Apply(x).Sum();

        var error = Assert.Throws<InvalidOperationException>(() => y.Backward());

        Assert.Contains("'BadShapes'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tangent_of_the_wrong_shape_is_refused_by_name()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            AutoDiff.Jvp(x => new BadShapes().Apply(x), Tensor.FromArray(s_x, 3), Tensor.FromArray(s_x, 3)));

        Assert.Contains("'BadShapes'", error.Message, StringComparison.Ordinal);
        Assert.Contains("[3]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Returning_an_input_does_not_turn_the_users_tensor_into_a_recorded_result()
    {
        var x = Tensor.FromArray(s_x, 3).RequireGrad();

        var y = new BadShapes().Apply(x);

        Assert.NotSame(x, y);
        Assert.True(x.IsLeaf);
        Assert.False(y.IsLeaf);
    }

    [Fact]
    public void Apply_refuses_missing_inputs()
    {
        var error = Assert.Throws<ArgumentException>(() => new Cube().Apply());

        Assert.Contains("'Cube'", error.Message, StringComparison.Ordinal);
    }
}
