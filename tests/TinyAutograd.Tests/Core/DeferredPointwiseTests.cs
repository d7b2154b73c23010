using TinyAutograd.Kernels;
using TinyAutograd.Profiling;
using TinyAutograd.Tests.Profiling;
using TinyAutograd.Tests.Reliability;

namespace TinyAutograd.Tests.Core;

/// <summary>
/// Elementwise ops on large tensors wait until their values are read, then run as one pass: the values are the eager
/// ops' bit for bit (the eager ones come from the same chain under the profiler, which sees every op run at once, so
/// these tests run with the profiler's); gradients through deferred ops are the eager ones too; an input written,
/// viewed or retired after the op was made leaves the result with the values it was made from; what is not eligible
/// runs at once.
/// </summary>
[Collection(nameof(ProfilerCollection))]
public sealed class DeferredPointwiseTests
{
    /// <summary>Just long enough to be deferred, ragged (not a whole number of blocks or registers); and long enough to be
    /// streamed past the caches, so that the streamed blocks and their ragged end are covered too.</summary>
    public static TheoryData<int> Lengths() =>
        [DeferredPointwise<double>.MinLength + 37, (int)(VectorLoops.MinBytes / sizeof(double)) + 101];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void ChainsOfDeferredOpsGiveTheEagerValuesAndGradientsBitForBit(int length)
    {
        for (int seed = 0; seed < 6; seed++)
        {
            var random = new RandomSource((ulong)seed);
            var x = random.Normal<double>([length]);
            var y = random.Uniform<double>([length], 0.5, 2);
            var eager = Eagerly(() => Chain(seed, x, y));
            var deferred = Chain(seed, x, y);
            Assert.True(deferred.IsDeferred, $"seed {seed}: the chain's result was computed at once.");
            AssertSameBits(eager.ToArray(), deferred.ToArray(), $"seed {seed}");
            Assert.False(deferred.IsDeferred);

            var (eagerX, deferredX) = (x.Clone().RequireGrad(), x.Clone().RequireGrad());
            Eagerly(() => Chain(seed, eagerX, y)).Sum().Backward();
            var recorded = Chain(seed, deferredX, y);
            Assert.True(recorded.IsDeferred, $"seed {seed}: the recorded chain's result was computed at once.");
            recorded.Sum().Backward();
            AssertSameBits(eagerX.Grad!.ToArray(), deferredX.Grad!.ToArray(), $"seed {seed}, the gradient");
        }

        var floats = new RandomSource(9).Normal<float>([2 * length]);
        var expected = Eagerly(() => floats.Sigmoid() * floats + (-floats).Exp()).ToArray();
        var expression = floats.Sigmoid() * floats + (-floats).Exp();
        Assert.True(expression.IsDeferred);
        Assert.True(expected.AsSpan().SequenceEqual(expression.Data), "σ(x)·x + e⁻ˣ in float differs from the eager ops.");
    }

    [Fact]
    public void RandomProgramsGiveTheEagerValuesAndGradientsBitForBit()
    {
        int length = DeferredPointwise<double>.MinLength + 29;
        for (int seed = 0; seed < 40; seed++)
        {
            var random = new RandomSource((ulong)(100 + seed));
            var x = random.Normal<double>([length]);
            var y = random.Uniform<double>([length], -2, 2);
            var program = RandomProgram(new Random(seed));
            var eager = Eagerly(() => Run(program, x, y));
            var deferred = Run(program, x, y);
            Assert.True(deferred.IsDeferred, $"program {seed}: the result was computed at once.");
            AssertSameBits(eager.ToArray(), deferred.ToArray(), $"program {seed} ({string.Join(", ", program)})");

            var (eagerX, eagerY) = (x.Clone().RequireGrad(), y.Clone().RequireGrad());
            Eagerly(() => Run(program, eagerX, eagerY)).Sum().Backward();
            var (deferredX, deferredY) = (x.Clone().RequireGrad(), y.Clone().RequireGrad());
            Run(program, deferredX, deferredY).Sum().Backward();
            AssertSameBits(eagerX.Grad?.ToArray() ?? [], deferredX.Grad?.ToArray() ?? [], $"program {seed}, ∂/∂x");
            AssertSameBits(eagerY.Grad?.ToArray() ?? [], deferredY.Grad?.ToArray() ?? [], $"program {seed}, ∂/∂y");
        }
    }

    /// <summary>One instruction: an op and the indices of its operands among the values made so far (x and y first).</summary>
    private readonly record struct Instruction(string Op, int First, int Second)
    {
        public override string ToString() => $"v{First} {Op} v{Second}";
    }

    /// <summary>3 to 12 ops, each on earlier values chosen at random (so some are read more than once), ops that keep
    /// values bounded: tanh, sigmoid, sin, negation, softplus, scalar arithmetic, sums, differences, products, and a
    /// quotient by 1.5 + σ(·).</summary>
    private static List<Instruction> RandomProgram(Random random)
    {
        string[] ops = ["tanh", "sigmoid", "sin", "neg", "softplus", "scale", "shift", "+", "-", "*", "/"];
        var program = new List<Instruction>();
        int count = random.Next(3, 13);
        for (int k = 0; k < count; k++)
        {
            int values = 2 + k;
            // The newest value is an operand more often than not, so that chains grow long.
            int first = random.Next(3) == 0 ? random.Next(values) : values - 1;
            program.Add(new Instruction(ops[random.Next(ops.Length)], first, random.Next(values)));
        }
        return program;
    }

    private static Tensor<double> Run(List<Instruction> program, Tensor<double> x, Tensor<double> y)
    {
        var values = new List<Tensor<double>> { x, y };
        foreach (var (op, first, second) in program)
        {
            var (a, b) = (values[first], values[second]);
            values.Add(op switch
            {
                "tanh" => a.Tanh(),
                "sigmoid" => a.Sigmoid(),
                "sin" => a.Sin(),
                "neg" => -a,
                "softplus" => a.Softplus(),
                "scale" => a * 0.75,
                "shift" => a + 0.5,
                "+" => a + b,
                "-" => a - b,
                "*" => a * b,
                _ => a / (b.Sigmoid() + 1.5),
            });
        }
        return values[^1];
    }

    /// <summary>A chain of unary, scalar and binary ops chosen by <paramref name="seed"/>, reusing intermediate results.</summary>
    private static Tensor<double> Chain(int seed, Tensor<double> x, Tensor<double> y)
    {
        var s = x.Sigmoid();
        var t = seed % 2 == 0 ? (x * y).Tanh() : (x / y).Exp();
        var u = seed % 3 == 0 ? s * x + (-x).Exp() : (s - t) * 1.5 + y.Sqrt();
        return seed < 3 ? (u * t).Gelu() + s : (u + 0.25).Square().Log() - y.Reciprocal() * t;
    }

    [Fact]
    public void DeferredValuesAndGradientsDoNotDependOnTheThreadCount()
    {
        // Long enough that both the evaluation and the fused backward split over the threads.
        int length = (4 * DeferredPointwise<double>.MinLength) + 13;
        var random = new RandomSource(17);
        var x = random.Normal<double>([length]);
        var y = random.Uniform<double>([length], 0.5, 2);
        (double[] Value, double[] Gradient) ValueAndGradient()
        {
            var value = Chain(1, x, y).ToArray();
            var tracked = x.Clone().RequireGrad();
            Chain(4, tracked, y).Sum().Backward();
            return (value, tracked.Grad!.ToArray());
        }

        var one = GemmThreadCountCollection.WithMaxThreads(1, ValueAndGradient);
        foreach (int threads in new[] { 2, 5 })
        {
            var many = GemmThreadCountCollection.WithMaxThreads(threads, ValueAndGradient);
            AssertSameBits(one.Value, many.Value, $"the value with {threads} threads");
            AssertSameBits(one.Gradient, many.Gradient, $"the gradient with {threads} threads");
        }
    }

    [Fact]
    public void AnInputWrittenAfterADeferredOpLeavesTheResultWithTheValuesItWasMadeFrom()
    {
        int length = DeferredPointwise<float>.MinLength * 2;
        var original = new RandomSource(11).Normal<float>([length]);
        float[] expected = original.ToArray().Select(MathF.Exp).ToArray();

        var copied = original.Clone();
        var fromCopied = copied.Exp() * 1f;
        copied.CopyFrom(Tensor.Zeros<float>(length));
        AssertClose(expected, fromCopied.ToArray(), "after CopyFrom");

        var filled = original.Clone();
        var fromFilled = (filled + 0f).Exp();
        filled.Fill(3f);
        AssertClose(expected, fromFilled.ToArray(), "after Fill");

        var written = original.Clone();
        var fromWritten = written.Exp();
        using (GradMode.Disable())
        {
            written.GetSpanForWrite().Clear();
        }
        AssertClose(expected, fromWritten.ToArray(), "after GetSpanForWrite");

        var viewed = original.Clone();
        var fromViewed = viewed.Exp();
        viewed.Reshape(2, length / 2).Fill(-1f);
        AssertClose(expected, fromViewed.ToArray(), "after a write through a view");
        Assert.False(viewed.Exp().IsDeferred, "an op on a tensor with views was deferred.");
    }

    [Fact]
    public void AnIntermediateReadAfterTheResultHasItsOwnValues()
    {
        int length = DeferredPointwise<double>.MinLength + 5;
        var x = new RandomSource(12).Normal<double>([length]);
        var sigmoid = Eagerly(() => x.Sigmoid()).ToArray();
        var product = sigmoid.Zip(x.ToArray(), (a, b) => a * b).ToArray();
        var s = x.Sigmoid();
        var result = s * x;
        AssertSameBits(product, result.ToArray(), "σ(x)·x");
        Assert.True(s.IsDeferred, "the intermediate was written although only the result was read.");
        AssertSameBits(sigmoid, s.ToArray(), "σ(x) read afterwards");
    }

    [Fact]
    public void ABackwardMakesTheDeferredTensorsItsRulesReadInItsBlocksAndLeavesThemDeferred()
    {
        int length = 3 * DeferredPointwise<double>.MinLength + 7;
        var x = new RandomSource(16).Normal<double>([length]);
        var sigmoid = Eagerly(() => x.Sigmoid()).ToArray();
        var exponential = Eagerly(() => (-x).Exp()).ToArray();
        var eagerX = x.Clone().RequireGrad();
        Eagerly(() => eagerX.Sigmoid() * eagerX + (-eagerX).Exp()).Sum().Backward();

        var tracked = x.Clone().RequireGrad();
        var s = tracked.Sigmoid();
        var e = (-tracked).Exp();
        var result = s * tracked + e;
        result.Sum().Backward();
        AssertSameBits(eagerX.Grad!.ToArray(), tracked.Grad!.ToArray(), "∂/∂x");
        Assert.True(s.IsDeferred && e.IsDeferred, "the backward wrote the values of a deferred tensor its rules read.");
        AssertSameBits(sigmoid, s.ToArray(), "σ(x) read after the backward");
        AssertSameBits(exponential, e.ToArray(), "e⁻ˣ read after the backward");
    }

    [Fact]
    public void AnArenaComputesTheDeferredTensorsThatOutliveItAndDropsTheRest()
    {
        int length = DeferredPointwise<double>.MinLength + 3;
        var x = new RandomSource(13).Normal<double>([length]);
        var expected = Eagerly(() => x.Exp() * 2.0).ToArray();
        Tensor<double> kept, dropped, inner;
        using (var arena = TensorArena.Begin())
        {
            inner = x.Exp();
            kept = arena.Keep(inner * 2.0);
            dropped = inner + 1.0;
            Assert.True(kept.IsDeferred && dropped.IsDeferred);
        }

        Assert.True(inner.IsRetired && dropped.IsRetired);
        AssertSameBits(expected, kept.ToArray(), "the kept result of a retired input");
        Assert.Throws<ObjectDisposedException>(() => dropped.ToArray());
    }

    [Fact]
    public void ADeferredTensorReadOnAnotherThreadHasTheEagerValues()
    {
        int length = DeferredPointwise<float>.MinLength * 3;
        var x = new RandomSource(14).Normal<float>([length]);
        var results = Enumerable.Range(0, 4).Select(k => (x * (float)(k + 1)).Tanh()).ToArray();
        var read = results.AsParallel().Select(result => result.ToArray()).ToArray();
        for (int k = 0; k < results.Length; k++)
        {
            var expected = Eagerly(() => (x * (float)(k + 1)).Tanh()).ToArray();
            Assert.True(expected.AsSpan().SequenceEqual(read[k]), $"result {k} differs from the eager tanh.");
        }
    }

    [Fact]
    public void OpsOnSmallTensorsViewsOrTangentsBroadcastOrProfiledRunAtOnce()
    {
        int length = DeferredPointwise<double>.MinLength + 1;
        var x = new RandomSource(15).Normal<double>([length]);
        Assert.True(x.Exp().IsDeferred);
        Assert.True(x.Clone().RequireGrad().Exp().IsDeferred, "a recorded op was not deferred.");
        Assert.False(Tensor.Ones<double>(length - 2).Exp().IsDeferred, "a tensor below the size threshold was deferred.");
        Assert.False((x + Tensor.Ones<double>(1)).IsDeferred, "a broadcast op was deferred.");
        var viewed = x.Clone();
        _ = viewed.Reshape(1, length);
        Assert.False(viewed.Exp().IsDeferred, "an op on a tensor with a view was deferred.");
        Tensor<double>? tangentOutput = null;
        AutoDiff.Jvp(v => tangentOutput = v.Exp(), x, Tensor.Ones<double>(length));
        Assert.False(tangentOutput!.IsDeferred, "an op carrying a tangent was deferred.");
        Tensor<double>? profiled = null;
        var report = Profiler.Profile(() => profiled = x.Exp() * x);
        Assert.False(profiled!.IsDeferred, "an op under the profiler was deferred.");
        Assert.Contains("Exp", report.ToString(), StringComparison.Ordinal);
    }

    /// <summary>What <paramref name="make"/> returns with every op run at once: under the profiler, which must see each.</summary>
    private static Tensor<TElement> Eagerly<TElement>(Func<Tensor<TElement>> make)
        where TElement : unmanaged, System.Numerics.IFloatingPointIeee754<TElement>
    {
        Tensor<TElement>? result = null;
        Profiler.Profile(() => result = make());
        return result!;
    }

    private static void AssertSameBits(double[] expected, double[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.DoubleToInt64Bits(expected[i]) != BitConverter.DoubleToInt64Bits(actual[i]))
            {
                Assert.Fail($"{what}: element {i} is {actual[i]:R}, eagerly {expected[i]:R}.");
            }
        }
    }

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (Math.Abs(expected[i] - actual[i]) > 1e-6f * Math.Max(1f, Math.Abs(expected[i])))
            {
                Assert.Fail($"{what}: element {i} is {actual[i]:R}, expected {expected[i]:R}.");
            }
        }
    }
}
