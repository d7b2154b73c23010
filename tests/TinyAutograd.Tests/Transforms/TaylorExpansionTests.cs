using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Transforms;

/// <summary>
/// SEEDS.md §1: L(θ + ηu) = L(θ) + η uᵀ∇L + η²/2 uᵀ∇²L u + O(η³). With the exact gradient and Hessian-vector
/// product the remainder is cubic, so halving η divides it by about eight.
/// </summary>
public class TaylorExpansionTests
{
    private static readonly Tensor<double> Inputs = Tensor.Normal<double>([6, 4], seed: 100);
    private static readonly Tensor<double> Targets = Tensor.Normal<double>([6, 2], seed: 101);

    private static readonly TanhNetwork Mlp = new(4, 5, 2);

    /// <summary>θ = (W1 [5, 4], b1 [5], W2 [2, 5]).</summary>
    private static readonly Tensor<double>[] Theta =
    [
        Tensor.Normal<double>([5, 4], std: 0.7, seed: 1),
        Tensor.Normal<double>([5], std: 0.3, seed: 2),
        Tensor.Normal<double>([2, 5], std: 0.7, seed: 3),
    ];

    private static readonly Tensor<double>[] Direction =
    [
        Tensor.Normal<double>([5, 4], seed: 4),
        Tensor.Normal<double>([5], seed: 5),
        Tensor.Normal<double>([2, 5], seed: 6),
    ];

    [Theory]
    [InlineData(HessianVectorMethod.ForwardOverReverse)]
    [InlineData(HessianVectorMethod.ReverseOverReverse)]
    public void SecondOrderRemainderShrinksEightfoldWhenTheStepHalves(HessianVectorMethod method)
    {
        var (value, gradients) = AutoDiff.ValueAndGradients(MlpLoss, Theta);
        var products = AutoDiff.HessianVectorProduct(MlpLoss, Theta, Direction, method);
        double loss = value.ToScalar();
        double slope = Dot(Direction, gradients);
        double curvature = Dot(Direction, products);

        double Remainder(double eta) => Math.Abs(LossAlongDirection(eta) - (loss + eta * slope + 0.5 * eta * eta * curvature));

        double eta = 0.0125;
        for (int halving = 0; halving < 4; halving++, eta /= 2)
        {
            double ratio = Remainder(eta) / Remainder(eta / 2);
            Assert.InRange(ratio, 6.0, 10.0);
        }
    }

    [Fact]
    public void FirstOrderRemainderOnlyShrinksFourfold()
    {
        // The control: dropping the Hessian term leaves a quadratic remainder, so the ratio is about four.
        var (value, gradients) = AutoDiff.ValueAndGradients(MlpLoss, Theta);
        double slope = Dot(Direction, gradients);

        double Remainder(double eta) => Math.Abs(LossAlongDirection(eta) - (value.ToScalar() + eta * slope));

        Assert.InRange(Remainder(0.05) / Remainder(0.025), 3.0, 5.0);
    }

    /// <summary>L(θ + ηu).</summary>
    private static double LossAlongDirection(double eta) => MlpLoss([.. Theta.Select((t, i) => t + eta * Direction[i])]).ToScalar();

    /// <summary>The small tanh MLP's squared-error loss at parameters θ = (W1, b1, W2).</summary>
    private static Tensor<double> MlpLoss(Tensor<double>[] theta) =>
        Loss.SquaredError(Mlp.Forward(Inputs, theta), Targets, Reduction.Mean);

    private static double Dot(Tensor<double>[] left, Tensor<double>[] right) =>
        left.Select((l, i) => l.Data.ToArray().Zip(right[i].Data.ToArray(), (a, b) => a * b).Sum()).Sum();
}
