using System.Numerics;
using TinyAutograd.Kernels;
using TinyAutograd.Kernels.Elementwise;

namespace TinyAutograd;

/// <summary>
/// An elementwise op whose result is computed only when its values are first read, so that a chain of them
/// (σ(x)·x + e⁻ˣ: five ops) runs as one pass over its inputs block by block (<see cref="DeferredEvaluation{T}"/>)
/// instead of one pass over memory per op.
/// </summary>
/// <remarks>
/// <para>
/// An op is deferred when no profiler listens (it times each op where it runs), no input carries a tangent, its inputs
/// have the same shape (no broadcasting) and at least <see cref="MinLength"/> elements, and no input is a view or was
/// written in place (<see cref="Tensor{T}.Version"/> counter unset): those are the tensors whose storage only their own
/// reads and writes reach. A recorded op is deferred too; its node is recorded as usual, and its backward reads only
/// the saved tensors its rule uses. Each input is marked as having deferred dependents: reading its values through
/// <see cref="Tensor{T}.Data"/> leaves them deferred, but any other access to its storage (every write goes through
/// one) first computes those that anyone can still reach, so they see the values they were made from. A deferred tensor
/// an arena retires unread is never computed.
/// </para>
/// <para>
/// The values are those of the eager ops bit for bit: each op runs its own forward kernel on each block, and each
/// element goes through the same vector code wherever its block starts (the blocks are whole numbers of 64 elements).
/// </para>
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
internal abstract class DeferredPointwise<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    protected DeferredPointwise(Tensor<T> first, Tensor<T>? second)
    {
        First = first;
        Second = second;
    }

    /// <summary>The first (or only) input.</summary>
    public Tensor<T> First { get; }

    /// <summary>The second input of a binary op, else null.</summary>
    public Tensor<T>? Second { get; }

    /// <summary>Bytes an eager pass of this op would move per element, its arithmetic weighed as bytes
    /// (<see cref="ElementwiseLoops.SpecialFunctionBytes"/>): how the evaluation weighs its split over the cores.</summary>
    public abstract int WorkBytesPerElement { get; }

    /// <summary>destination = op(first[, second]) over one block.</summary>
    public abstract void Run(ReadOnlySpan<T> first, ReadOnlySpan<T> second, Span<T> destination);

    /// <summary>
    /// Tensors shorter than this many elements are computed at once: below a quarter of the L2 cache, an op's input and
    /// output stay cached for the next op anyway, and deferring costs a few small objects per op.
    /// </summary>
    public static readonly unsafe int MinLength = (int)Math.Min(int.MaxValue, CacheSizes.Machine.L2 / 4 / sizeof(T));

    /// <summary>Whether an op on <paramref name="input"/> may be deferred (see the class remarks); the caller has checked the length and the shapes.</summary>
    public static bool Accepts(Tensor<T> input) => input.MayBeDeferredInput && !Profiling.RecordingHooks.IsOn;
}

/// <summary>A deferred unary op: the rule's own forward (<see cref="IElementwiseRule{T}.Forward"/>).</summary>
internal sealed class DeferredMap<T, TRule>(Tensor<T> input, TRule rule) : DeferredPointwise<T>(input, null)
    where T : unmanaged, IFloatingPointIeee754<T>
    where TRule : struct, IElementwiseRule<T>
{
    public override int WorkBytesPerElement => ElementwiseLoops.ForwardWork<T, TRule>.BytesPerElement;

    public override void Run(ReadOnlySpan<T> first, ReadOnlySpan<T> second, Span<T> destination) => rule.Forward(first, destination);
}

/// <summary>A deferred binary op on two inputs of one shape: the operator's span form.</summary>
internal sealed class DeferredCombination<T, TOperator>(Tensor<T> left, Tensor<T> right) : DeferredPointwise<T>(left, right)
    where T : unmanaged, IFloatingPointIeee754<T>
    where TOperator : IBinaryOperator<T>
{
    public override unsafe int WorkBytesPerElement => 3 * sizeof(T);

    public override void Run(ReadOnlySpan<T> first, ReadOnlySpan<T> second, Span<T> destination) => TOperator.Apply(first, second, destination);
}
