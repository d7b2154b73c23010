using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TinyAutograd.Kernels.Simd;

namespace TinyAutograd.Kernels.Elementwise;

/// <summary>
/// The loops that turn an elementwise rule's one statement into kernels: the forward map, and the fused backward
/// destination = addend + g·f′ (one pass, the addend optional). Each runs whole registers at the machine's native width
/// (<see cref="Simd.ISimd{TSelf, T}"/>) and finishes the ragged tail through the same vector code in a padded buffer,
/// so every element is computed by the same instructions whatever its position: the fused results equal those of the
/// rule evaluated as tensor ops, bit for bit.
/// </summary>
internal static class ElementwiseLoops
{
    /// <summary>
    /// Bytes of plain streaming that take about as long per element as one special function in a map's statement
    /// (<see cref="SpecialFunctionCount"/>), so that whether a map is split over the cores weighs its arithmetic as well
    /// as the bytes it moves.
    /// </summary>
    /// <remarks>
    /// On the AVX2 EPYC (1 thread, a million floats), beyond a negation's 0.16 ns per element for its 8 bytes: eˣ took
    /// 0.26 ns more, σ 0.5, tanh 0.9 and x·Φ(x) 1.2, what one core streams in about 13, 25, 46 and 61 bytes. 64 errs
    /// toward the second core: within a training step the workers are still polling (<see cref="WorkerPool"/>), so a
    /// split costs about a microsecond rather than the wake-up <see cref="ParallelRanges.MinBytesPerRange"/> is sized
    /// for. The tanh MLP step on 2 threads, whose [128, 256] activations now take both cores, ran 2–3% faster (one
    /// process alternating the two weights, 30 rounds).
    /// </remarks>
    internal const int SpecialFunctionBytes = 64;

    /// <summary>
    /// y = f(x) by the rule's own forward (<see cref="IElementwiseRule{T}.Forward"/>), over ranges of the cores when large
    /// (<see cref="ParallelRanges"/>, the work weighed by <see cref="ForwardWork{T, TRule}"/>): each element goes through
    /// the same forward whatever range holds it.
    /// </summary>
    public static unsafe void Forward<T, TRule>(TRule rule, ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TRule : struct, IElementwiseRule<T>
    {
        int ranges = ParallelRanges.Count(y.Length, ForwardWork<T, TRule>.BytesPerElement);
        if (ranges == 1 && y.Length <= CachedCalls.Length<T>())
        {
            rule.Forward(x, y);
            return;
        }
        fixed (T* source = x, target = y)
        {
            ParallelRanges.Run(new CachedCalls<T, ForwardRange<T, TRule>>(new(rule, source, target), y.Length), y.Length, ranges);
        }
    }

    /// <summary>
    /// y = f(x) for a rule's vector function, with streamed stores for large outputs (<see cref="VectorLoops.Map{T, TMap}(ReadOnlySpan{T}, Span{T}, TMap)"/>);
    /// a rule's <see cref="IElementwiseRule{T}.Forward"/> calls it on one range of <see cref="Forward{T, TRule}"/>.
    /// </summary>
    public static void Map<T, TFunction>(ReadOnlySpan<T> x, Span<T> y, TFunction function)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TFunction : struct, IElementwiseFunction<T> =>
        VectorLoops.Map(x, y, new FunctionLanes<T, TFunction>(function));

    /// <summary>destination = addend + rule.Gradient(g, x, y); an empty <paramref name="addend"/> adds nothing. Only the
    /// saved tensors the rule <see cref="IElementwiseRule{T}.Uses"/> are read (the others may be empty).</summary>
    public static void Gradient<T, TRule>(TRule rule, ReadOnlySpan<T> g, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> addend, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TRule : struct, IElementwiseRule<T> =>
        Accumulate(new UnaryPartial<T, TRule>(rule), g, x, default, y, addend, destination);

    /// <summary>
    /// <see cref="Gradient{T, TRule}"/> over whole tensors (no addend), split into ranges over the cores when large
    /// (<see cref="ParallelRanges"/>); the fused backward's blocks are split by <c>PointwiseRegion</c> instead.
    /// </summary>
    public static unsafe void WholeGradient<T, TRule>(TRule rule, ReadOnlySpan<T> g, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TRule : struct, IElementwiseRule<T>
    {
        var partial = new UnaryPartial<T, TRule>(rule);
        int operands = 2 + ((partial.Reads & Reads.X) != 0 ? 1 : 0) + ((partial.Reads & Reads.Z) != 0 ? 1 : 0);
        int ranges = ParallelRanges.Count(destination.Length, operands * sizeof(T));
        if (ranges == 1)
        {
            Accumulate(partial, g, x, default, y, default, destination);
            return;
        }
        fixed (T* gradient = g, input = x, output = y, target = destination)
        {
            ParallelRanges.Run(new GradientRange<T, TRule>(partial, gradient, input, output, target), destination.Length, ranges);
        }
    }

    /// <summary>destination = addend + the binary rule's partial for input <paramref name="input"/> (0: x, 1: y), given the result z.</summary>
    public static void BinaryGradient<T, TRule>(int input, ReadOnlySpan<T> g, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> z, ReadOnlySpan<T> addend, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TRule : IBinaryRule<T>
    {
        if (input == 0)
        {
            Accumulate(default(LeftPartial<T, TRule>), g, x, y, z, addend, destination);
        }
        else
        {
            Accumulate(default(RightPartial<T, TRule>), g, x, y, z, addend, destination);
        }
    }

    /// <summary>The one fused-gradient loop: destination = addend + partial(g, x, y, z), reading only what the partial needs.</summary>
    private static void Accumulate<T, TPartial>(TPartial partial, ReadOnlySpan<T> g, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> z, ReadOnlySpan<T> addend, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TPartial : struct, IPartial<T>
    {
        if (Vector512.IsHardwareAccelerated)
        {
            Accumulate<T, TPartial, Simd512<T>>(partial, g, x, y, z, addend, destination);
        }
        else
        {
            Accumulate<T, TPartial, Simd256<T>>(partial, g, x, y, z, addend, destination);
        }
    }

    /// <summary><see cref="Accumulate{T, TPartial}"/> in registers of <typeparamref name="TSimd"/>.</summary>
    /// <remarks>Compiled as the lane map is (<see cref="VectorLoops"/>): long rules such as GELU's derivative then inline
    /// whole. Short blocks of the fused backward lose the tiered code's profile-guided layout (σ(x)·x + e⁻ˣ
    /// forward+backward on 1M floats 4.0 → 5.1 ms); the transformer step gains more (176 → 137 ms).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static void Accumulate<T, TPartial, TSimd>(TPartial partial, ReadOnlySpan<T> g, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> z, ReadOnlySpan<T> addend, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TPartial : struct, IPartial<T>
        where TSimd : struct, ISimd<TSimd, T>
    {
        bool readsX = (partial.Reads & Reads.X) != 0, readsY = (partial.Reads & Reads.Y) != 0, readsZ = (partial.Reads & Reads.Z) != 0;
        bool accumulate = !addend.IsEmpty;
        int lanes = TSimd.Count, length = destination.Length, i = 0;
        ref T gStart = ref MemoryMarshal.GetReference(g);
        ref T xStart = ref MemoryMarshal.GetReference(x);
        ref T yStart = ref MemoryMarshal.GetReference(y);
        ref T zStart = ref MemoryMarshal.GetReference(z);
        ref T addendStart = ref MemoryMarshal.GetReference(addend);
        ref T target = ref MemoryMarshal.GetReference(destination);
        for (; i <= length - lanes; i += lanes)
        {
            var value = partial.Apply(
                new Lanes<T, TSimd>(TSimd.Load(ref gStart, (nuint)i)),
                new Lanes<T, TSimd>(readsX ? TSimd.Load(ref xStart, (nuint)i) : TSimd.Zero),
                new Lanes<T, TSimd>(readsY ? TSimd.Load(ref yStart, (nuint)i) : TSimd.Zero),
                new Lanes<T, TSimd>(readsZ ? TSimd.Load(ref zStart, (nuint)i) : TSimd.Zero)).Value;
            TSimd.Store(accumulate ? TSimd.Load(ref addendStart, (nuint)i) + value : value, ref target, (nuint)i);
        }
        if (i < length)
        {
            AccumulateTail<T, TPartial, TSimd>(partial, g[i..length], readsX ? x[i..length] : default, readsY ? y[i..length] : default, readsZ ? z[i..length] : default,
                accumulate ? addend[i..length] : default, destination[i..]);
        }
    }

    /// <summary>The last partial register, through the same vector code on zero-padded copies.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AccumulateTail<T, TPartial, TSimd>(TPartial partial, ReadOnlySpan<T> g, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> z, ReadOnlySpan<T> addend, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TPartial : struct, IPartial<T>
        where TSimd : struct, ISimd<TSimd, T>
    {
        int lanes = TSimd.Count;
        Span<T> padded = stackalloc T[5 * lanes];
        VectorLoops.ShortCopy(g, padded);
        VectorLoops.ShortCopy(x, padded[lanes..]);
        VectorLoops.ShortCopy(y, padded[(2 * lanes)..]);
        VectorLoops.ShortCopy(z, padded[(3 * lanes)..]);
        VectorLoops.ShortCopy(addend, padded[(4 * lanes)..]);
        ref T start = ref MemoryMarshal.GetReference(padded);
        var value = partial.Apply(
            new Lanes<T, TSimd>(TSimd.Load(ref start, 0)),
            new Lanes<T, TSimd>(TSimd.Load(ref start, (nuint)lanes)),
            new Lanes<T, TSimd>(TSimd.Load(ref start, (nuint)(2 * lanes))),
            new Lanes<T, TSimd>(TSimd.Load(ref start, (nuint)(3 * lanes)))).Value;
        if (!addend.IsEmpty)
        {
            value = TSimd.Load(ref start, (nuint)(4 * lanes)) + value;
        }
        TSimd.Store(value, ref start, 0);
        VectorLoops.ShortCopy(padded[..g.Length], destination);
    }

    /// <summary>
    /// result = rule.Gradient(g, x, y) and resultTangent = its derivative along (ġ, ẋ, ẏ), in one pass
    /// (<see cref="DualLanes{T, TSimd}"/>: forward mode over the rule's statement). An empty tangent span stands for zeros.
    /// </summary>
    public static void GradientAndTangent<T, TRule>(
        TRule rule, ReadOnlySpan<T> g, ReadOnlySpan<T> gTangent, ReadOnlySpan<T> x, ReadOnlySpan<T> xTangent, ReadOnlySpan<T> y, ReadOnlySpan<T> yTangent,
        Span<T> result, Span<T> resultTangent)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TRule : struct, IElementwiseRule<T>
    {
        if (Vector512.IsHardwareAccelerated)
        {
            GradientAndTangent<T, TRule, Simd512<T>>(rule, g, gTangent, x, xTangent, y, yTangent, result, resultTangent);
        }
        else
        {
            GradientAndTangent<T, TRule, Simd256<T>>(rule, g, gTangent, x, xTangent, y, yTangent, result, resultTangent);
        }
    }

    /// <summary><see cref="GradientAndTangent{T, TRule}"/> in registers of <typeparamref name="TSimd"/>.</summary>
    private static void GradientAndTangent<T, TRule, TSimd>(
        TRule rule, ReadOnlySpan<T> g, ReadOnlySpan<T> gTangent, ReadOnlySpan<T> x, ReadOnlySpan<T> xTangent, ReadOnlySpan<T> y, ReadOnlySpan<T> yTangent,
        Span<T> result, Span<T> resultTangent)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TRule : struct, IElementwiseRule<T>
        where TSimd : struct, ISimd<TSimd, T>
    {
        int lanes = TSimd.Count;
        Span<T> buffer = stackalloc T[lanes];
        ref T lanesOut = ref MemoryMarshal.GetReference(buffer);
        for (int i = 0; i < result.Length; i += lanes)
        {
            int count = Math.Min(lanes, result.Length - i);
            var value = rule.Gradient(
                new DualLanes<T, TSimd>(Chunk<T, TSimd>(g, i, count), Chunk<T, TSimd>(gTangent, i, count)),
                new DualLanes<T, TSimd>(Chunk<T, TSimd>(x, i, count), Chunk<T, TSimd>(xTangent, i, count)),
                new DualLanes<T, TSimd>(Chunk<T, TSimd>(y, i, count), Chunk<T, TSimd>(yTangent, i, count)));
            TSimd.Store(value.Value, ref lanesOut, 0);
            buffer[..count].CopyTo(result[i..]);
            TSimd.Store(value.Tangent, ref lanesOut, 0);
            buffer[..count].CopyTo(resultTangent[i..]);
        }
    }

    /// <summary>Elements [start, start + count) as a register, zero-padded; zeros when <paramref name="values"/> is empty.</summary>
    private static TSimd Chunk<T, TSimd>(ReadOnlySpan<T> values, int start, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSimd : struct, ISimd<TSimd, T> =>
        values.IsEmpty ? TSimd.Zero : RegisterChunk.Load<T, TSimd>(values[start..], count);

    /// <summary>One range of <see cref="Forward{T, TRule}"/>.</summary>
    private readonly unsafe struct ForwardRange<T, TRule>(TRule rule, T* x, T* y) : IRangeKernel
        where T : unmanaged, IFloatingPointIeee754<T>
        where TRule : struct, IElementwiseRule<T>
    {
        public void Run(int start, int end, int range) => rule.Forward(new ReadOnlySpan<T>(x + start, end - start), new Span<T>(y + start, end - start));
    }

    /// <summary>One range of <see cref="WholeGradient{T, TRule}"/>; saved tensors the rule does not read may be null.</summary>
    private readonly unsafe struct GradientRange<T, TRule>(UnaryPartial<T, TRule> partial, T* g, T* x, T* y, T* destination) : IRangeKernel
        where T : unmanaged, IFloatingPointIeee754<T>
        where TRule : struct, IElementwiseRule<T>
    {
        public void Run(int start, int end, int range) =>
            Accumulate(partial, new ReadOnlySpan<T>(g + start, end - start), Range(x, start, end), default, Range(y, start, end), default,
                new Span<T>(destination + start, end - start));

        private static ReadOnlySpan<T> Range(T* values, int start, int end) => values == null ? default : new ReadOnlySpan<T>(values + start, end - start);
    }

    /// <summary>A rule's vector function as the lane map of <see cref="VectorLoops"/>.</summary>
    private readonly struct FunctionLanes<T, TFunction>(TFunction function) : IVectorMap<T>
        where T : unmanaged, IFloatingPointIeee754<T>
        where TFunction : struct, IElementwiseFunction<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TSimd Apply<TSimd>(TSimd x)
            where TSimd : struct, ISimd<TSimd, T> => function.Function(new Lanes<T, TSimd>(x)).Value;
    }

    /// <summary>Which of x, y and the result z a partial reads.</summary>
    [Flags]
    private enum Reads
    {
        X = 1,
        Y = 2,
        Z = 4,
    }

    /// <summary>One partial derivative term g·∂f/∂input, as the loop sees it: of inputs x, y and result z.</summary>
    private interface IPartial<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Reads Reads { get; }

        Lanes<T, TSimd> Apply<TSimd>(Lanes<T, TSimd> g, Lanes<T, TSimd> x, Lanes<T, TSimd> y, Lanes<T, TSimd> z)
            where TSimd : struct, ISimd<TSimd, T>;
    }

    /// <summary>A one-input rule's term: its x is x and its result y is z.</summary>
    private readonly struct UnaryPartial<T, TRule>(TRule rule) : IPartial<T>
        where T : unmanaged, IFloatingPointIeee754<T>
        where TRule : struct, IElementwiseRule<T>
    {
        public Reads Reads
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => ((rule.Uses & Saved.Input) != 0 ? Reads.X : 0) | ((rule.Uses & Saved.Output) != 0 ? Reads.Z : 0);
        }

        public Lanes<T, TSimd> Apply<TSimd>(Lanes<T, TSimd> g, Lanes<T, TSimd> x, Lanes<T, TSimd> y, Lanes<T, TSimd> z)
            where TSimd : struct, ISimd<TSimd, T> => rule.Gradient(g, x, z);
    }

    private readonly struct LeftPartial<T, TRule> : IPartial<T>
        where T : unmanaged, IFloatingPointIeee754<T>
        where TRule : IBinaryRule<T>
    {
        public Reads Reads
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => BinaryReads<T, TRule>();
        }

        public Lanes<T, TSimd> Apply<TSimd>(Lanes<T, TSimd> g, Lanes<T, TSimd> x, Lanes<T, TSimd> y, Lanes<T, TSimd> z)
            where TSimd : struct, ISimd<TSimd, T> => TRule.Left(g, x, y, z);
    }

    private readonly struct RightPartial<T, TRule> : IPartial<T>
        where T : unmanaged, IFloatingPointIeee754<T>
        where TRule : IBinaryRule<T>
    {
        public Reads Reads
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => BinaryReads<T, TRule>();
        }

        public Lanes<T, TSimd> Apply<TSimd>(Lanes<T, TSimd> g, Lanes<T, TSimd> x, Lanes<T, TSimd> y, Lanes<T, TSimd> z)
            where TSimd : struct, ISimd<TSimd, T> => TRule.Right(g, x, y, z);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Reads BinaryReads<T, TRule>()
        where T : unmanaged, IFloatingPointIeee754<T>
        where TRule : IBinaryRule<T> =>
        ((TRule.Uses & Saved.Input) != 0 ? Reads.X | Reads.Y : 0) | ((TRule.Uses & Saved.Output) != 0 ? Reads.Z : 0);

    /// <summary>
    /// The work of one element of <typeparamref name="TRule"/>'s forward, in bytes: the input read and the output
    /// written, plus <see cref="SpecialFunctionBytes"/> per special function when the forward maps the rule's own
    /// statement (<see cref="IElementwiseFunction{T}"/>; counted once per rule type, as the statement's operations do not
    /// depend on the rule's fields). A forward by a library kernel counts its bytes only.
    /// </summary>
    internal static unsafe class ForwardWork<T, TRule>
        where T : unmanaged, IFloatingPointIeee754<T>
        where TRule : struct, IElementwiseRule<T>
    {
        public static readonly int BytesPerElement = (2 * sizeof(T))
            + (default(TRule) is IElementwiseFunction<T> function ? SpecialFunctionCount.Of(function) * SpecialFunctionBytes : 0);
    }
}
