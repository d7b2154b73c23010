using TinyAutograd.Optim;
using static TinyAutograd.Tests.Optim.TestProblems;

namespace TinyAutograd.Tests.Optim;

/// <summary>The rules every optimizer follows: gradients, groups, in-place writes, validation and messages.</summary>
public sealed class OptimizerContractTests
{
    [Fact]
    public void ZeroGrad_ClearsEveryGradient()
    {
        var model = new SmallRegression<double>();
        var optimizer = new Adam<double>(model.Parameters);
        model.Loss().Backward();
        Assert.All(model.Parameters, p => Assert.NotNull(p.Grad));
        optimizer.ZeroGrad();
        Assert.All(model.Parameters, p => Assert.Null(p.Grad));
    }

    [Theory]
    [MemberData(nameof(OptimizerCatalog.FirstOrder), MemberType = typeof(OptimizerCatalog))]
    public void Step_SkipsParametersWithoutGradient(string name)
    {
        var used = Parameter<double>([1.0, 2.0]);
        var unused = Parameter<double>([3.0, 4.0]);
        var optimizer = OptimizerCatalog.Create(name, [used, unused]);
        OptimizerCatalog.Step(optimizer, () => used.Square().Sum());
        Assert.Equal([3.0, 4.0], unused.ToArray());
        Assert.Equal(0, optimizer.StateOf(1).Step);
        Assert.Equal(1, optimizer.StateOf(0).Step);
        Assert.NotEqual([1.0, 2.0], used.ToArray());
    }

    [Fact]
    public void Step_BumpsTheVersion_SoAGraphRecordedBeforeTheStepRefusesToRunBackward()
    {
        var w = Parameter<double>([1.0, 2.0]);
        var optimizer = new GradientDescent<double>([w]);
        (w * w).Sum().Backward();
        var stale = (w * w).Sum();
        int version = w.Version;
        optimizer.Step();
        Assert.True(w.Version > version);
        Assert.Throws<InvalidOperationException>(() => stale.Backward());
    }

    /// <summary>Nesterov's look-ahead form is absent: it needs the closure, whose recorded graph allocates.</summary>
    [Theory]
    [MemberData(nameof(OptimizerCatalog.PlainStep), MemberType = typeof(OptimizerCatalog))]
    public void Step_InSteadyState_AllocatesNothing(string name)
    {
        var model = new SmallRegression<double>();
        var optimizer = OptimizerCatalog.Create(name, model.Parameters);
        model.Loss().Backward();
        optimizer.Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        optimizer.Step();
        optimizer.Step();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated == 0, $"{name}: two steps allocated {allocated} bytes");
    }

    [Fact]
    public void ParameterGroups_UseTheirOwnLearningRates_AndLearningRateSetsThemAll()
    {
        var fast = Parameter<double>([1.0]);
        var slow = Parameter<double>([1.0]);
        var optimizer = new GradientDescent<double>([
            new ParameterGroup<double>([fast], new GradientDescentOptions { LearningRate = 0.1 }),
            new ParameterGroup<double>([slow], new GradientDescentOptions { LearningRate = 0.01 }),
        ]);
        OptimizerCatalog.Step(optimizer, () => (fast.Square() + slow.Square()).Sum());
        Assert.Equal(1 - 0.1 * 2, fast[0], 15);
        Assert.Equal(1 - 0.01 * 2, slow[0], 15);
        Assert.Equal(0.1, optimizer.LearningRate);
        optimizer.LearningRate = 0.5;
        Assert.All(optimizer.ParameterGroups, group => Assert.Equal(0.5, group.LearningRate));
    }

    [Fact]
    public void ParameterGroup_KeepsItsOwnCopyOfTheOptions()
    {
        var options = new AdamOptions { LearningRate = 0.1 };
        var optimizer = new Adam<double>([Parameter<double>([1.0])], options);
        options.LearningRate = 0.7;
        Assert.Equal(0.1, optimizer.LearningRate);
        optimizer.Options.Beta1 = 0.5;
        Assert.Equal(0.9, options.Beta1);
    }

    [Fact]
    public void OutOfRangeHyperParameter_FailsAtTheNextStep_NamingIt()
    {
        var w = Parameter<double>([1.0]);
        var optimizer = new Momentum<double>([w]);
        optimizer.Options.Momentum = 1.5;
        w.Square().Sum().Backward();
        var error = Assert.Throws<ArgumentOutOfRangeException>(optimizer.Step);
        Assert.Contains("Momentum", error.Message, StringComparison.Ordinal);
        Assert.Contains("[0, 1)", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.LearningRate = -1);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam<double>([w], new AdamOptions { Delta = 0 }));
    }

    [Fact]
    public void Construction_RejectsBadParameterLists_WithClearMessages()
    {
        var w = Parameter<double>([1.0]);
        Assert.Contains("more than once", Assert.Throws<ArgumentException>(() => new Adam<double>([w, w])).Message, StringComparison.Ordinal);
        Assert.Contains("leaves", Assert.Throws<ArgumentException>(() => new Adam<double>([w * 2])).Message, StringComparison.Ordinal);
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => new Adam<double>(Array.Empty<Tensor<double>>())).Message, StringComparison.Ordinal);
        var wrongOptions = new ParameterGroup<double>([w], new RmsPropOptions());
        var error = Assert.Throws<ArgumentException>(() => new Adam<double>([wrongOptions]));
        Assert.Contains("RmsPropOptions", error.Message, StringComparison.Ordinal);
        Assert.Contains("AdamOptions", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MethodsThatReevaluateTheLoss_RefuseThePlainStep_PointingToTheClosure()
    {
        var w = Parameter<double>([1.0]);
        Optimizer<double>[] optimizers = [new Nesterov<double>([w]), new Lbfgs<double>([w]), new NewtonCG<double>([w])];
        foreach (var optimizer in optimizers)
        {
            var error = Assert.Throws<InvalidOperationException>(optimizer.Step);
            Assert.Contains("Step(closure)", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Closure_ThatReturnsANonScalar_IsRejected()
    {
        var w = Parameter<double>([1.0, 2.0]);
        var optimizer = new Lbfgs<double>([w]);
        var error = Assert.Throws<InvalidOperationException>(() => optimizer.Step(() => w * 2));
        Assert.Contains("scalar", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(OptimizerCatalog.FirstOrder), MemberType = typeof(OptimizerCatalog))]
    public void FloatAndDouble_TakeTheSameSteps(string name)
    {
        var single = new SmallRegression<float>();
        var twin = new SmallRegression<double>();
        var optimizerFloat = OptimizerCatalog.Create(name, single.Parameters);
        var optimizerDouble = OptimizerCatalog.Create(name, twin.Parameters);
        for (int k = 0; k < 5; k++)
        {
            OptimizerCatalog.Step(optimizerFloat, single.Loss);
            OptimizerCatalog.Step(optimizerDouble, twin.Loss);
        }
        for (int p = 0; p < 2; p++)
        {
            var expected = twin.Parameters[p].ToArray();
            var actual = ToDoubles(single.Parameters[p]);
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5, $"{name}: parameter {p}[{i}] is {actual[i]} in float but {expected[i]} in double");
            }
        }
    }
}
