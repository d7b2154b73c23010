using System.Runtime.Intrinsics.X86;

namespace TinyAutograd.Kernels;

/// <summary>Requests for cache lines ahead of their use.</summary>
internal static unsafe class CacheLines
{
    /// <summary>The bytes of one cache line.</summary>
    private const int LineBytes = 64;

    /// <summary>
    /// Asks for every line of <paramref name="values"/> to be brought into L2 (one PREFETCHT1 per line; nothing
    /// without SSE), so that a pass writing them later finds them there instead of waiting on each store's read for
    /// ownership.
    /// </summary>
    /// <remarks>
    /// The block-by-block passes (<see cref="DeferredEvaluation{T}"/>, the fused backward) compute a block in L1 scratch
    /// and write the result in one burst at its end, where the stores' reads for ownership from the last cache level or
    /// memory queued behind each other. Asked for one block ahead, while the block's arithmetic runs: σ(x)·x + e⁻ˣ over 1M
    /// floats 6–15% faster, forward and backward 6–9% (Zen 4, alternated builds and calls); the model steps unchanged.
    /// </remarks>
    public static void FetchIntoL2<T>(ReadOnlySpan<T> values)
        where T : unmanaged
    {
        if (!Sse.IsSupported || values.IsEmpty)
        {
            return;
        }
        fixed (T* start = values)
        {
            byte* first = (byte*)start;
            nint bytes = (nint)values.Length * sizeof(T);
            for (nint offset = 0; offset < bytes; offset += LineBytes)
            {
                Sse.Prefetch1(first + offset);
            }
            // The last line, when the span does not start on a line boundary.
            Sse.Prefetch1(first + bytes - 1);
        }
    }

    /// <summary>
    /// <see cref="FetchIntoL2{T}"/> for <paramref name="rows"/> rows of <paramref name="width"/> elements from
    /// <paramref name="start"/> on, <paramref name="stride"/> elements apart.
    /// </summary>
    public static void FetchRowsIntoL2<T>(T* start, int rows, int width, nint stride)
        where T : unmanaged
    {
        for (int row = 0; row < rows; row++)
        {
            FetchIntoL2(new ReadOnlySpan<T>(start + (row * stride), width));
        }
    }
}
