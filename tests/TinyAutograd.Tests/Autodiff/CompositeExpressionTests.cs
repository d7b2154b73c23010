using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Autodiff;

/// <summary>
/// Gradients, Hessian-vector products and forward mode of random composite expressions (see <see cref="ExpressionGen"/>),
/// where intermediates are reused and ops of every kind feed each other.
/// </summary>
public sealed class CompositeExpressionTests
{
    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        Properties.GradientMatchesFiniteDifferences(ExpressionGen.Composite, new Tolerance(Absolute: 1e-7, Relative: 1e-6), count: 200);

    [Fact]
    public void SecondOrderPropertiesHold() =>
        Properties.SecondOrderHolds(ExpressionGen.Composite, SecondOrderTolerances.Standard, count: 200);
}
