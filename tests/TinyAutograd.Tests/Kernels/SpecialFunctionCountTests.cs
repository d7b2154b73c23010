using TinyAutograd.Kernels;
using TinyAutograd.Kernels.Elementwise;
using static TinyAutograd.Tests.Reliability.GemmThreadCountCollection;

namespace TinyAutograd.Tests.Kernels;

/// <summary>The special functions counted in an elementwise statement, and how they weigh a map's split over the cores.</summary>
[Collection(Reliability.GemmThreadCountCollection.Name)]
public sealed class SpecialFunctionCountTests
{
    [Fact]
    public void CountsEachSpecialFunctionAlongEveryPathAndNothingElse()
    {
        Assert.Equal(2, SpecialFunctionCount.Of(default(TwoFunctionsAndARoot)));
        Assert.Equal(4, SpecialFunctionCount.Of(default(AReusedSigmoidAndANesting)));
        Assert.Equal(0, SpecialFunctionCount.Of(default(ArithmeticOnly)));
    }

    [Fact]
    public void CountsTheLibrarysRulesFromTheirStatements()
    {
        Assert.Equal(1, SpecialFunctionCount.Of<float>(default(TanhRule<float>)));
        Assert.Equal(1, SpecialFunctionCount.Of<float>(default(SiluRule<float>)));
        Assert.Equal(1, SpecialFunctionCount.Of<float>(default(GeluRule<float>)));
        Assert.Equal(1, SpecialFunctionCount.Of<double>(default(ExpRule<double>)));
        Assert.Equal(0, SpecialFunctionCount.Of<float>(default(NegateRule<float>)));
        Assert.Equal(0, SpecialFunctionCount.Of<float>(new ClampRule<float>(-1, 1)));
        Assert.Equal(0, SpecialFunctionCount.Of<float>(new LeakyReluRule<float>(0.1)));
    }

    [Fact]
    public void AMapsWorkAddsItsSpecialFunctionsToTheBytesItMoves()
    {
        Assert.Equal((2 * sizeof(float)) + ElementwiseLoops.SpecialFunctionBytes, ElementwiseLoops.ForwardWork<float, TanhRule<float>>.BytesPerElement);
        Assert.Equal((2 * sizeof(double)) + ElementwiseLoops.SpecialFunctionBytes, ElementwiseLoops.ForwardWork<double, SigmoidRule<double>>.BytesPerElement);
        Assert.Equal(2 * sizeof(float), ElementwiseLoops.ForwardWork<float, NegateRule<float>>.BytesPerElement);
        Assert.Equal(2 * sizeof(float), ElementwiseLoops.ForwardWork<float, ReluRule<float>>.BytesPerElement);
    }

    [Fact]
    public void ASpecialFunctionMapTooSmallToSplitByItsBytesSplitsAndGivesTheSameBits()
    {
        // 40 001 floats: 320 KB moved, one range by bytes alone; with tanh's weight two ranges, the second ragged.
        const int length = 40_001;
        var x = new RandomSource(5).Uniform<float>([length], -6, 6);
        int tanhRanges = WithMaxThreads(2, () => ParallelRanges.Count(length, ElementwiseLoops.ForwardWork<float, TanhRule<float>>.BytesPerElement));
        Assert.Equal(1, WithMaxThreads(2, () => ParallelRanges.Count(length, 2 * sizeof(float))));
        Assert.Equal(2, tanhRanges);

        float[][] Pass()
        {
            using (GradMode.Disable())
            {
                return [x.Tanh().ToArray(), x.Gelu().ToArray(), x.Sigmoid().ToArray()];
            }
        }

        var oneThread = WithMaxThreads(1, Pass);
        var twoThreads = WithMaxThreads(2, Pass);
        for (int i = 0; i < oneThread.Length; i++)
        {
            Assert.Equal(oneThread[i], twoThreads[i]);
        }
        var xs = x.ToArray();
        for (int i = 0; i < length; i += 997)
        {
            Assert.Equal(Math.Tanh(xs[i]), oneThread[0][i], 6e-7);
        }
    }

    /// <summary>eˣ·tanh x + √x: two special functions.</summary>
    private readonly struct TwoFunctionsAndARoot : IElementwiseFunction<float>
    {
        public TValue Function<TValue>(TValue x)
            where TValue : struct, IElementValue<TValue> => (TValue.Exp(x) * TValue.Tanh(x)) + TValue.Sqrt(x);
    }

    /// <summary>s − s + erf(Φ(x)) with s = σ(x): four, the reused σ counted on both of its paths.</summary>
    private readonly struct AReusedSigmoidAndANesting : IElementwiseFunction<float>
    {
        public TValue Function<TValue>(TValue x)
            where TValue : struct, IElementValue<TValue>
        {
            var s = TValue.Sigmoid(x);
            return s - s + TValue.Erf(TValue.NormalCdf(x));
        }
    }

    /// <summary>A selection among arithmetic: none.</summary>
    private readonly struct ArithmeticOnly : IElementwiseFunction<float>
    {
        public TValue Function<TValue>(TValue x)
            where TValue : struct, IElementValue<TValue>
        {
            var half = TValue.Constant(0.5);
            return TValue.Select(TValue.GreaterThan(x, half), -x / half, x * x);
        }
    }
}
