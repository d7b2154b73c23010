namespace TinyAutograd.Profiling;

/// <summary>
/// A node that runs several products in one (attention, the LSTM recurrence) and counts its own FLOPs for the profiler,
/// whose per-op formulas would count one operation per output element (<see cref="OpCostModel"/>).
/// </summary>
internal interface ICountsFlops
{
    /// <summary>The FLOPs of one forward pass, or of one backward pass (which forms every input's gradient at once).</summary>
    /// <param name="backward">Whether the backward pass's count is wanted.</param>
    long Flops(bool backward);
}
