using System.Numerics.Tensors;
using TinyAutograd.Kernels;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.Kernels;

/// <summary>
/// The vector loops stream large outputs past the cache. Whatever the length and the alignment of the destination
/// (which decides the ragged head), every element must equal what the plain span kernels give, bit for bit.
/// </summary>
public sealed class VectorLoopsTests
{
    /// <summary>Element offsets into a buffer, so the destination starts at every alignment within a 64-byte line.</summary>
    public static TheoryData<int> Offsets() => [0, 1, 3, 7, 13, 15];

    /// <summary>A streamed length: one past the threshold, so head, body and tail all occur.</summary>
    private static int StreamedLength<T>()
        where T : unmanaged => (int)(VectorLoops.MinBytes / System.Runtime.CompilerServices.Unsafe.SizeOf<T>()) + 37;

    [Theory]
    [MemberData(nameof(Offsets))]
    public void Streamed_binary_operators_match_the_span_kernels_in_float(int offset) =>
        CheckBinary(KernelInputs.ToFloat(KernelInputs.Values(StreamedLength<float>() + offset, -4, 4, seed: 5)), offset);

    [Theory]
    [MemberData(nameof(Offsets))]
    public void Streamed_binary_operators_match_the_span_kernels_in_double(int offset) =>
        CheckBinary(KernelInputs.Values(StreamedLength<double>() + offset, -4, 4, seed: 6), offset);

    private static void CheckBinary<T>(T[] values, int offset)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int n = values.Length - offset;
        var x = values.AsSpan(offset, n);
        var y = values.Reverse().ToArray().AsSpan(0, n);
        var expected = new T[n];
        var actual = new T[n + offset];

        TensorPrimitives.Multiply<T>(x, y, expected);
        VectorLoops.Combine<T, MultiplyOperator<T>>(x, y, actual.AsSpan(offset));
        Assert.True(expected.AsSpan().SequenceEqual(actual.AsSpan(offset)), "x·y differs");

        TensorPrimitives.Divide<T>(x, y, expected);
        VectorLoops.Combine<T, DivideOperator<T>>(x, y, actual.AsSpan(offset));
        Assert.True(expected.AsSpan().SequenceEqual(actual.AsSpan(offset)), "x/y differs");
        for (int i = 0; i < n; i += 9973)
        {
            Assert.Equal(x[i] / y[i], actual[offset + i]);
        }
    }

    [Theory]
    [MemberData(nameof(Offsets))]
    public void Streamed_exp_and_sigmoid_equal_the_values_computed_a_few_at_a_time(int offset)
    {
        var values = KernelInputs.ToFloat(KernelInputs.Values(StreamedLength<float>() + offset, -30, 30, seed: 7));
        var x = values.AsSpan(offset);
        var streamed = new float[values.Length];
        var piecewise = new float[x.Length];
        ExponentialKernels.Exp<float>(x, streamed.AsSpan(offset));
        for (int start = 0; start < x.Length; start += 1000)
        {
            int length = Math.Min(1000, x.Length - start);
            ExponentialKernels.Exp<float>(x.Slice(start, length), piecewise.AsSpan(start, length));
        }
        Assert.True(piecewise.AsSpan().SequenceEqual(streamed.AsSpan(offset)), "exp differs between the streamed and the cached loop");

        ExponentialKernels.Sigmoid<float>(x, streamed.AsSpan(offset));
        for (int start = 0; start < x.Length; start += 1000)
        {
            int length = Math.Min(1000, x.Length - start);
            ExponentialKernels.Sigmoid<float>(x.Slice(start, length), piecewise.AsSpan(start, length));
        }
        Assert.True(piecewise.AsSpan().SequenceEqual(streamed.AsSpan(offset)), "sigmoid differs between the streamed and the cached loop");
    }

    [Fact]
    public void Large_tensor_ops_give_the_same_values_as_small_ones()
    {
        int n = StreamedLength<double>();
        var x = new RandomSource(9).Normal<double>([n]);
        var y = new RandomSource(10).Normal<double>([n]);
        var sum = (x + y).ToArray();
        var negated = (-x).ToArray();
        var xs = x.ToArray();
        var ys = y.ToArray();
        for (int i = 0; i < n; i += 101)
        {
            Assert.Equal(xs[i] + ys[i], sum[i]);
            Assert.Equal(-xs[i], negated[i]);
        }
    }
}
