using TinyAutograd.Nn;
using TinyAutograd.Optim;
using TinyAutograd.Persistence;

namespace TinyAutograd.Tests.Nn;

/// <summary>Optimizer state saved from module parameters is restored by name, whatever the parameters' order.</summary>
public sealed class OptimizerStateByNameTests
{
    /// <summary>Parameters a [3] and b [2], registered in the order asked for, with the same values either way.</summary>
    private sealed class TwoParameters : Module<double>
    {
        public TwoParameters(bool aFirst)
        {
            foreach (var name in aFirst ? ["a", "b"] : new[] { "b", "a" })
            {
                RegisterParameter(name, name == "a" ? Tensor.FromArray([1.0, -2.0, 0.5]) : Tensor.FromArray([3.0, -1.0]));
            }
        }

        public Tensor<double> A => Parameter("a");

        public Tensor<double> B => Parameter("b");

        public Tensor<double> Loss() => (A.Square() * A).Sum() + (B.Exp() * 0.5).Sum();
    }

    private static void Train(TwoParameters model, Optimizer<double> optimizer, int steps)
    {
        for (int step = 0; step < steps; step++)
        {
            optimizer.ZeroGrad();
            model.Loss().Backward();
            optimizer.Step();
        }
    }

    [Fact]
    public void StateFollowsNamesWhenTheParameterOrderChanges()
    {
        var original = new TwoParameters(aFirst: true);
        var originalOptimizer = new Adam<double>(original.Parameters());
        Train(original, originalOptimizer, 3);
        var checkpoint = new Checkpoint();
        checkpoint.AddParameters(original.StateDict());
        checkpoint.AddOptimizerState(originalOptimizer.SaveState());

        var reordered = new TwoParameters(aFirst: false);
        var reorderedOptimizer = new Adam<double>(reordered.Parameters());
        Assert.Equal(["b", "a"], reorderedOptimizer.ParameterNames);
        checkpoint.Restore(reordered.StateDict(), reorderedOptimizer);
        Assert.Equal(originalOptimizer.StateOf(0).Buffers["s"], reorderedOptimizer.StateOf(1).Buffers["s"]);
        Assert.Equal(originalOptimizer.StateOf(1).Buffers["r"], reorderedOptimizer.StateOf(0).Buffers["r"]);

        Train(original, originalOptimizer, 2);
        Train(reordered, reorderedOptimizer, 2);
        Assert.Equal(original.A.ToArray(), reordered.A.ToArray());
        Assert.Equal(original.B.ToArray(), reordered.B.ToArray());
    }

    [Fact]
    public void WithoutNamesTheStateIsPositionalAndWithForeignNamesLoadingFails()
    {
        var original = new TwoParameters(aFirst: true);
        var optimizer = new Adam<double>(original.Parameters());
        Train(original, optimizer, 2);
        var state = optimizer.SaveState();
        Assert.Equal(["a", "b"], state.Parameters.Select(parameter => parameter.Name));

        var bare = new Adam<double>([Tensor.Zeros<double>(3).RequireGrad(), Tensor.Zeros<double>(2).RequireGrad()]);
        bare.LoadState(state);
        Assert.Equal(optimizer.StateOf(0).Buffers["s"], bare.StateOf(0).Buffers["s"]);

        var other = new Adam<double>([new ParameterGroup<double>(
            [new("a", Tensor.Zeros<double>(3).RequireGrad()), new KeyValuePair<string, Tensor<double>>("c", Tensor.Zeros<double>(2).RequireGrad())], new AdamOptions())]);
        var error = Assert.Throws<ArgumentException>(() => other.LoadState(state));
        Assert.Contains("missing: c; unexpected: b", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PositionalMethodStateRefusesAReorderedModel()
    {
        var original = new TwoParameters(aFirst: true);
        var lbfgs = new Lbfgs<double>(original.Parameters());
        lbfgs.Step(() =>
        {
            lbfgs.ZeroGrad();
            var loss = original.Loss();
            loss.Backward();
            return loss;
        });
        var state = lbfgs.SaveState();
        Assert.NotEmpty(state.Buffers);

        new Lbfgs<double>(new TwoParameters(aFirst: true).Parameters()).LoadState(state);
        var reordered = new Lbfgs<double>(new TwoParameters(aFirst: false).Parameters());
        var error = Assert.Throws<ArgumentException>(() => reordered.LoadState(state));
        Assert.Contains("laid out by position", error.Message, StringComparison.Ordinal);
    }
}
