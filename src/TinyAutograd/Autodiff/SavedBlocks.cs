using System.Numerics;

namespace TinyAutograd.Differentiation;

/// <summary>
/// Where a pointwise rule finds a block of a saved tensor: the fused backward's own scratch for the deferred tensors it
/// computes block by block (<see cref="DeferredBlocks{T}"/>), the tensor's values otherwise. The default reads every
/// tensor's values.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal readonly ref struct SavedBlocks<T>(DeferredBlocks<T>? blocks, Span<T> scratch, int stride)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Span<T> _scratch = scratch;

    /// <summary>
    /// Elements [start, start + length) of <paramref name="tensor"/> when the rule <paramref name="reads"/> it, else
    /// empty: a deferred result that no rule reads is never computed.
    /// </summary>
    public ReadOnlySpan<T> Values(bool reads, Tensor<T> tensor, int start, int length)
    {
        if (!reads)
        {
            return default;
        }
        int slot = blocks?.SlotOf(tensor) ?? -1;
        return slot >= 0 ? _scratch.Slice(slot * stride, length) : tensor.Data.Slice(start, length);
    }
}
