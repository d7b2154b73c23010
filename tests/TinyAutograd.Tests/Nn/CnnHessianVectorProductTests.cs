using TinyAutograd.Examples.Models;

namespace TinyAutograd.Tests.Nn;

/// <summary>
/// A Hessian-vector product through the whole CNN (convolution, ReLU, max pooling, flatten, linear layers, cross-entropy)
/// agrees between forward-over-reverse, reverse-over-reverse and central differences of gradients, at a tiny size.
/// </summary>
public sealed class CnnHessianVectorProductTests
{
    [Fact]
    public void ForwardOverReverseReverseOverReverseAndGradientDifferencesAgree()
    {
        // The example's architecture at 8×8 with 2 and 3 channels, 5 hidden units and 3 classes, in evaluation mode (no
        // dropout) so that the loss is one function of the parameters. Random images and directions in double: no ReLU
        // input or max-pool window lies within the finite-difference step of a kink or a tie.
        var model = new ConvNet<double>(new RandomSource(4), imageSize: 8, channels1: 2, channels2: 3, hidden: 5, classes: 3);
        model.Eval();
        var images = Tensor.Uniform<double>([3, 1, 8, 8], 0, 1, seed: 5);
        int[] labels = [0, 2, 1];
        Tensor<double> Loss(Tensor<double>[] parameters) => model.WithParameters(parameters, () => TinyAutograd.Loss.CrossEntropy(model.Forward(images), labels));
        Tensor<double>[] point = [.. model.Parameters()];
        var random = new RandomSource(6);
        Tensor<double>[] direction = [.. point.Select(p => random.Normal<double>(p.Shape.ToArray()))];

        var forwardOverReverse = AutoDiff.HessianVectorProduct(Loss, point, direction, HessianVectorMethod.ForwardOverReverse);
        var reverseOverReverse = AutoDiff.HessianVectorProduct(Loss, point, direction, HessianVectorMethod.ReverseOverReverse);
        const double step = 1e-5;
        var ahead = Gradients(Loss, Moved(point, direction, step));
        var behind = Gradients(Loss, Moved(point, direction, -step));

        double scale = forwardOverReverse.Max(p => p.ToArray().Max(Math.Abs));
        Assert.True(scale > 1e-3, $"the Hessian-vector product is nearly zero ({scale:G3}): the check would be empty");
        for (int i = 0; i < point.Length; i++)
        {
            var exact = forwardOverReverse[i].ToArray();
            var other = reverseOverReverse[i].ToArray();
            var differences = ahead[i].ToArray().Zip(behind[i].ToArray(), (a, b) => (a - b) / (2 * step)).ToArray();
            for (int k = 0; k < exact.Length; k++)
            {
                Assert.True(Math.Abs(exact[k] - other[k]) <= 1e-12 * scale, $"parameter {i}, element {k}: forward-over-reverse {exact[k]:R}, reverse-over-reverse {other[k]:R}");
                Assert.True(Math.Abs(exact[k] - differences[k]) <= 1e-6 * scale, $"parameter {i}, element {k}: forward-over-reverse {exact[k]:R}, gradient differences {differences[k]:R}");
            }
        }
    }

    private static Tensor<double>[] Moved(Tensor<double>[] point, Tensor<double>[] direction, double step) =>
        [.. point.Zip(direction, (p, v) => (p + v * step).Detach())];

    private static Tensor<double>[] Gradients(Func<Tensor<double>[], Tensor<double>> loss, Tensor<double>[] point)
    {
        var leaves = point.Select(p => p.Clone().RequireGrad()).ToArray();
        return AutoDiff.Gradients(loss(leaves), leaves);
    }
}
