namespace TinyAutograd;

/// <summary>The tensor memory one call used, as measured by <see cref="TensorMemory.Measure"/>.</summary>
/// <param name="PeakBytes">
/// max over the call of Σ bytes of its tensor buffers still reachable: the memory the call needs at once, on top of its inputs.
/// </param>
/// <param name="AllocatedBytes">Σ bytes of every buffer handed to a new tensor during the call, live or not.</param>
/// <param name="Buffers">How many buffers were handed to new tensors.</param>
public readonly record struct TensorMemoryUsage(long PeakBytes, long AllocatedBytes, int Buffers);
