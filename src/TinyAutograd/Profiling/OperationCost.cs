namespace TinyAutograd.Profiling;

/// <summary>
/// What one application of an operation costs: the floating-point operations it performs and the bytes it moves
/// between memory and the processor. A profiler divides them by the measured time to place the op on the roofline.
/// </summary>
/// <remarks>
/// A multiply-add counts as two FLOPs. Bytes count every input read once and the output written once (the traffic
/// the op cannot avoid); the arithmetic intensity is I = Flops / Bytes.
/// </remarks>
public readonly record struct OperationCost
{
    /// <summary>A cost of <paramref name="flops"/> floating-point operations moving <paramref name="bytes"/> bytes.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Either count is negative.</exception>
    public OperationCost(long flops, long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(flops);
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        Flops = flops;
        Bytes = bytes;
    }

    /// <summary>Floating-point operations (a multiply-add counts two).</summary>
    public long Flops { get; }

    /// <summary>Bytes read and written.</summary>
    public long Bytes { get; }

    /// <summary>The sum of two costs.</summary>
    public static OperationCost operator +(OperationCost left, OperationCost right) => new(left.Flops + right.Flops, left.Bytes + right.Bytes);

    /// <summary>The sum of two costs (the named form of <c>+</c>).</summary>
    public static OperationCost Add(OperationCost left, OperationCost right) => left + right;
}
