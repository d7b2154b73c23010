using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using TinyAutograd.Differentiation.Elementwise;
using TinyAutograd.Kernels.Elementwise;
using TinyAutograd.Kernels.Simd;

namespace TinyAutograd.Kernels;

/// <summary>
/// One batch row of one LSTM step forward in a single pass over its H hidden units: from the recurrent product
/// r = hₜ₋₁·W_hhᵀ, the input gates a and the bias b (or none), the pre-activations s = (a + b) + r of the gates i, f, g,
/// o (each H wide, in that order), their activations i, f, o = σ(s), g = tanh s (the rules of
/// <see cref="SigmoidRule{T}"/> and <see cref="TanhRule{T}"/>), cₜ = f⊙cₜ₋₁ + i⊙g, tanh cₜ and hₜ = o⊙tanh cₜ. Each
/// element is rounded as the ops would round it one at a time ((a + b) + r; f·cₜ₋₁ and i·g, then their sum), as the
/// node's recurrence in recorded ops does.
/// </summary>
internal static class LstmCellRows
{
    /// <summary>
    /// Overwrites <paramref name="gates"/> (r on entry, 4H) with the activations i, f, g, o, and writes cₜ, tanh cₜ and hₜ
    /// (H each); <paramref name="bias"/> is empty when there is none.
    /// </summary>
    public static void Forward<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> bias, Span<T> gates, ReadOnlySpan<T> cPrevious, Span<T> cell, Span<T> cellTanh, Span<T> hidden)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Vector512.IsHardwareAccelerated)
        {
            Forward<T, Simd512<T>>(input, bias, gates, cPrevious, cell, cellTanh, hidden);
        }
        else
        {
            Forward<T, Simd256<T>>(input, bias, gates, cPrevious, cell, cellTanh, hidden);
        }
    }

    private static void Forward<T, TSimd>(ReadOnlySpan<T> input, ReadOnlySpan<T> bias, Span<T> gates, ReadOnlySpan<T> cPrevious, Span<T> cell, Span<T> cellTanh, Span<T> hidden)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSimd : struct, ISimd<TSimd, T>
    {
        int size = hidden.Length;
        Gates<T, TSimd, SigmoidRule<T>>(input[..(2 * size)], Part(bias, 0, 2 * size), gates[..(2 * size)]);
        Gates<T, TSimd, TanhRule<T>>(input.Slice(2 * size, size), Part(bias, 2 * size, size), gates.Slice(2 * size, size));
        Gates<T, TSimd, SigmoidRule<T>>(input[(3 * size)..], Part(bias, 3 * size, size), gates[(3 * size)..]);
        Cells<T, TSimd>(gates, cPrevious, cell, cellTanh, hidden);

        static ReadOnlySpan<T> Part(ReadOnlySpan<T> bias, int start, int length) => bias.IsEmpty ? bias : bias.Slice(start, length);
    }

    /// <summary>gates = rule((input + bias) + gates) (no bias when it is empty), each loop compiled on its own so that the
    /// rule's lane arithmetic inlines.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static void Gates<T, TSimd, TRule>(ReadOnlySpan<T> input, ReadOnlySpan<T> bias, Span<T> gates)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSimd : struct, ISimd<TSimd, T>
        where TRule : struct, IElementwiseFunction<T>
    {
        for (int k = 0; k < gates.Length; k += TSimd.Count)
        {
            int count = Math.Min(TSimd.Count, gates.Length - k);
            var a = RegisterChunk.Load<T, TSimd>(input[k..], count);
            if (!bias.IsEmpty)
            {
                a += RegisterChunk.Load<T, TSimd>(bias[k..], count);
            }
            RegisterChunk.Store(default(TRule).Function(new Lanes<T, TSimd>(a + RegisterChunk.Load<T, TSimd>(gates[k..], count))).Value, gates[k..], count);
        }
    }

    /// <summary>cₜ = f⊙cₜ₋₁ + i⊙g, tanh cₜ and hₜ = o⊙tanh cₜ from the row's activations.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static void Cells<T, TSimd>(ReadOnlySpan<T> gates, ReadOnlySpan<T> cPrevious, Span<T> cell, Span<T> cellTanh, Span<T> hidden)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSimd : struct, ISimd<TSimd, T>
    {
        int size = hidden.Length;
        for (int k = 0; k < size; k += TSimd.Count)
        {
            int count = Math.Min(TSimd.Count, size - k);
            var i = RegisterChunk.Load<T, TSimd>(gates[k..], count);
            var f = RegisterChunk.Load<T, TSimd>(gates[(size + k)..], count);
            var g = RegisterChunk.Load<T, TSimd>(gates[((2 * size) + k)..], count);
            var o = RegisterChunk.Load<T, TSimd>(gates[((3 * size) + k)..], count);
            var c = (f * RegisterChunk.Load<T, TSimd>(cPrevious[k..], count)) + (i * g);
            var tanhC = default(TanhRule<T>).Function(new Lanes<T, TSimd>(c)).Value;
            RegisterChunk.Store(c, cell[k..], count);
            RegisterChunk.Store(tanhC, cellTanh[k..], count);
            RegisterChunk.Store(o * tanhC, hidden[k..], count);
        }
    }
}
