using TinyAutograd.Optim;

namespace TinyAutograd.Tests.Optim;

/// <summary>An optimizer refuses, at construction, a tensor it could never update because it does not require grad.</summary>
public sealed class OptimizerConstructionTests
{
    [Theory]
    [MemberData(nameof(OptimizerCatalog.All), MemberType = typeof(OptimizerCatalog))]
    public void ATensorThatDoesNotRequireGradIsRefusedByName(string name)
    {
        var trained = Tensor.Zeros<double>(2).RequireGrad();
        var frozen = Tensor.Zeros<double>(3);
        frozen.Name = "encoder.weight";

        var error = Assert.Throws<ArgumentException>(() => OptimizerCatalog.Create(name, [trained, frozen]));

        Assert.Contains("parameter 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("'encoder.weight'", error.Message, StringComparison.Ordinal);
        Assert.Contains("RequireGrad", error.Message, StringComparison.Ordinal);
    }
}
