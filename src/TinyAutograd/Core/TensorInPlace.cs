using TinyAutograd.Kernels;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Copies <paramref name="source"/>'s values into this tensor in place, xᵢ ← sᵢ (PyTorch's <c>x.copy_(s)</c> for
    /// tensors of one shape): unrecorded, and it advances <see cref="Version"/> as <see cref="GetSpanForWrite"/> does.
    /// Tensors too large to stay in cache are written with non-temporal stores, which move two tensors' worth of bytes
    /// instead of three (no read of the destination before it is overwritten).
    /// </summary>
    /// <exception cref="ArgumentException">The shapes differ; the source is not broadcast.</exception>
    /// <exception cref="InvalidOperationException">This tensor takes part in gradient recording (see <see cref="GetSpanForWrite"/>).</exception>
    public void CopyFrom(Tensor<T> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Shape != Shape)
        {
            throw new ArgumentException(
                $"CopyFrom: the source has shape {source.Shape} and {Describe()} has shape {Shape}; expected the same shape (broadcast the source first with BroadcastTo).",
                nameof(source));
        }
        VectorLoops.Copy<T>(source.Data, GetSpanForWrite());
    }

    /// <summary>
    /// Sets every element to <paramref name="value"/> in place, xᵢ ← value (PyTorch's <c>x.fill_(value)</c>):
    /// unrecorded, advancing <see cref="Version"/>; large tensors are written with non-temporal stores, as in
    /// <see cref="CopyFrom"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">This tensor takes part in gradient recording (see <see cref="GetSpanForWrite"/>).</exception>
    public void Fill(T value) => VectorLoops.Fill(GetSpanForWrite(), value);
}
