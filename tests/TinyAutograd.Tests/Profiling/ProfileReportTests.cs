using TinyAutograd.Profiling;

namespace TinyAutograd.Tests.Profiling;

/// <summary>What a profile holds: custom ops under their own name, named regions, composites as one call, every pass and thread.</summary>
[Collection(nameof(ProfilerCollection))]
public sealed class ProfileReportTests
{
    /// <summary>y = x² elementwise; declares one multiplication per element, and two per element for the backward.</summary>
    private sealed class DeclaredSquare() : CustomOperation<double>("DeclaredSquare")
    {
        protected override Tensor<double> Forward(IReadOnlyList<Tensor<double>> inputs) => inputs[0] * inputs[0];

        protected override Tensor<double> Backward(int index, IReadOnlyList<Tensor<double>> inputs, Tensor<double> output, Tensor<double> outputGradient) =>
            outputGradient * inputs[0] * 2.0;

        protected override OperationCost? ForwardCost(IReadOnlyList<Shape> inputShapes, Shape outputShape) =>
            new(outputShape.Length, 16L * outputShape.Length);

        protected override OperationCost? BackwardCost(IReadOnlyList<Shape> inputShapes, Shape outputShape) =>
            new(2L * outputShape.Length, 24L * outputShape.Length);
    }

    /// <summary>The same op without a declared cost.</summary>
    private sealed class PlainSquare() : CustomOperation<double>("PlainSquare")
    {
        protected override Tensor<double> Forward(IReadOnlyList<Tensor<double>> inputs) => inputs[0] * inputs[0];

        protected override Tensor<double> Backward(int index, IReadOnlyList<Tensor<double>> inputs, Tensor<double> output, Tensor<double> outputGradient) =>
            outputGradient * inputs[0] * 2.0;
    }

    [Fact]
    public void ACustomOpAppearsUnderItsOwnNameWithTheCostItDeclares()
    {
        var x = Tensor.Normal<double>([3, 4], seed: 1).RequireGrad();

        var report = Profiler.Profile(() => new DeclaredSquare().Apply(x).Sum().Backward());

        var op = report.Op("DeclaredSquare")!;
        Assert.Equal(1, op.Calls);
        Assert.Equal(1, op.BackwardCalls);
        Assert.Equal(12 + 24, op.Flops);
        Assert.Equal(16 * 12 + 24 * 12, op.Bytes);
        Assert.Equal(new[] { "[3, 4]" }, op.InputShapes);
        // The multiplication inside its Forward is part of it, not an op of its own.
        Assert.Null(report.Op("Multiply"));
    }

    [Fact]
    public void ACustomOpWithoutADeclarationShowsTimeOnly()
    {
        var x = Tensor.Normal<double>([5], seed: 1).RequireGrad();

        var report = Profiler.Profile(() => new PlainSquare().Apply(x).Sum().Backward());

        var op = report.Op("PlainSquare")!;
        Assert.Equal((1, 1), (op.Calls, op.BackwardCalls));
        Assert.Null(op.Flops);
        Assert.Null(op.Bytes);
        Assert.Null(op.Gflops);
        Assert.Null(op.PercentOfPeak);
        Assert.True(op.TotalSeconds > 0);
    }

    [Fact]
    public void NamedRegionsNestAndTagTheOpsInside()
    {
        var x = Tensor.Normal<double>([4, 4], seed: 1).RequireGrad();

        var report = Profiler.Profile(() =>
        {
            using var step = Profiler.Region("step");
            Tensor<double> hidden;
            using (Profiler.Region("layer1"))
            {
                hidden = x.MatMul(x).Tanh();
            }
            hidden.Sum().Backward();
        });

        Assert.Equal(new[] { "step", "step/layer1" }, report.Regions.Select(region => region.Path));
        Assert.All(report.Events.Where(e => e.Name is "MatMul" or "Tanh" && e.Kind == ProfileEventKind.Forward), e => Assert.Equal("step/layer1", e.Region));
        Assert.All(report.Events.Where(e => e.Kind == ProfileEventKind.Backward), e => Assert.Equal("step", e.Region));
        var outer = report.Regions[0];
        Assert.InRange(outer.OpsSeconds, report.Regions[1].OpsSeconds, outer.Seconds);
    }

    [Fact]
    public void ACompositeIsOneCallWhateverItsInnerOps()
    {
        var x = Tensor.Normal<double>([3, 5], seed: 1).RequireGrad();
        int[] labels = [0, 4, 2];

        var report = Profiler.Profile(() => Loss.CrossEntropy(x.Mean(0).Reshape(1, 5).BroadcastTo(new Shape(3, 5)), labels).Backward());

        Assert.Equal(1, report.Op("Mean")!.Calls);
        Assert.Equal(1, report.Op("CrossEntropy")!.Calls);
        Assert.True(report.Op("CrossEntropy")!.BackwardCalls > 1, "the loss's inner nodes each run a backward rule under its name");
        Assert.DoesNotContain(report.Ops, op => op.Name is "LogSumExp" or "DivideScalar");
    }

    [Fact]
    public void ForwardModeTimeIsReportedApart()
    {
        var x = Tensor.Normal<double>([6], seed: 1);
        var v = Tensor.Normal<double>([6], seed: 2);

        var report = Profiler.Profile(() => AutoDiff.Jvp(input => input.Tanh().Exp(), x, v));

        Assert.Contains(report.Events, e => e.Kind == ProfileEventKind.Jvp && e.Name == "Tanh");
        Assert.True(report.Op("Exp")!.JvpSeconds > 0);
    }

    [Fact]
    public void OpsOfEveryThreadAreMergedWithTheirThreadKnown()
    {
        var report = Profiler.Profile(() =>
        {
            var threads = Enumerable.Range(0, 2).Select(seed => new Thread(() =>
            {
                var w = Tensor.Normal<float>([8, 8], seed: (ulong)seed).RequireGrad();
                w.MatMul(w).Sum().Backward();
            })).ToArray();
            foreach (var thread in threads)
            {
                thread.Start();
            }
            foreach (var thread in threads)
            {
                thread.Join();
            }
        });

        Assert.Equal(2, report.Op("MatMul")!.Calls);
        Assert.Equal(2, report.Events.Where(e => e.Name == "MatMul").Select(e => e.ThreadId).Distinct().Count());
    }

    [Fact]
    public void OnOneThreadTheOpsFitInTheWallTimeAndTheRestIsOutsideOps()
    {
        var w = Tensor.Normal<double>([16, 16], seed: 1).RequireGrad();

        var report = Profiler.Profile(() =>
        {
            using var arena = TensorArena.Begin();
            w.MatMul(w).Relu().Sum().Backward();
        });

        Assert.InRange(report.OpsSeconds, 0, report.WallSeconds);
        Assert.Equal(report.WallSeconds - report.OpsSeconds, report.OutsideOpsSeconds, 12);
        Assert.Equal(report.Ops.OrderByDescending(op => op.TotalSeconds).Select(op => op.Name), report.Ops.Select(op => op.Name));
        var table = report.FormatTable();
        Assert.All(report.Ops, op => Assert.Contains(op.Name, table, StringComparison.Ordinal));
        Assert.Contains("outside ops", table, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOptimizersUpdateIsTimedAsAnOpOfItsOwn()
    {
        var w = Tensor.Normal<float>([3, 3], seed: 1).RequireGrad();
        var optimizer = new TinyAutograd.Optim.Adam<float>([w], new TinyAutograd.Optim.AdamOptions());

        var report = Profiler.Profile(() =>
        {
            w.Square().Sum().Backward();
            optimizer.Step();
        });

        var update = report.Op("Adam.Step")!;
        Assert.Equal((1, 0), (update.Calls, update.BackwardCalls));
        Assert.Null(update.Flops);
    }

    [Fact]
    public void OneProfilerRunsAtATimeAndStopsOnce()
    {
        var profiler = Profiler.Start();
        try
        {
            Assert.True(Profiler.IsRunning);
            var error = Assert.Throws<InvalidOperationException>(() => Profiler.Start());
            Assert.Contains("already running", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            profiler.Stop();
        }
        Assert.False(Profiler.IsRunning);
        Assert.Throws<InvalidOperationException>(() => profiler.Stop());
    }
}
