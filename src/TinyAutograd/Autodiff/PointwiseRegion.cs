using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using TinyAutograd.Kernels;

namespace TinyAutograd.Differentiation;

/// <summary>
/// The backward pass through a run of pointwise ops (<see cref="PointwiseNode{T}"/>), one block of elements at a
/// time. The gradients of the tensors inside the run (whose every use is inside it) live only in cache-sized scratch
/// blocks; only the gradients leaving it, those of the run's inputs, are written to memory, once each: block by block
/// straight into their tensors, or, when they are too large for the caches, summed in scratch and streamed past them.
/// The deferred tensors the rules read (<see cref="DeferredPointwise{T}"/>) are made block by block beside the steps,
/// in scratch blocks of their own (<see cref="DeferredBlocks{T}"/>), and stay deferred.
/// </summary>
/// <remarks>
/// <para>
/// Op by op, σ(x)·x + e⁻ˣ takes 16 passes over memory backward (each rule reads and writes whole tensors, and four
/// of them make temporaries); as one run it reads g, x, σ(x) and e⁻ˣ and writes ∂L/∂x: 5 passes.
/// </para>
/// <para>
/// The members are taken in the backward walk's order and each gradient receives its contributions in the same order as
/// op by op, added by the same rules with the same rounding, so the results are bit for bit those of the unfused rules.
/// One instance belongs to one walk and is reused by its later runs, so steady training does not allocate its
/// scratch again.
/// </para>
/// </remarks>
internal sealed class PointwiseRegion<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Scratch bytes per block across all buffers: the blocks of a run stay within the 48 KiB L1 data cache.</summary>
    private const int ScratchBytes = 32 << 10;

    /// <summary>
    /// Runs start only at gradients of at least this many elements. Below, everything stays in cache anyway, and each op
    /// adds its share to an accumulated gradient in one pass on its own (measured on the two-point sigmoid neuron of the
    /// README's first example: runs made the whole training loop about 12 % slower).
    /// </summary>
    public const int MinLength = 4096;

    /// <summary>Block lengths are multiples of this many elements (one 64-byte line of doubles, eight of floats).</summary>
    private const int BlockQuantum = 64;

    private readonly List<PointwiseNode<T>> _members = [];
    private readonly List<Step> _steps = [];
    private readonly List<Outflow> _outflows = [];
    private readonly List<Tensor<T>> _destinations = [];
    private readonly List<bool> _memberStarted = [];
    private readonly List<bool> _outflowStarted = [];
    private readonly List<int> _gradientBlocks = [];
    private readonly List<Tensor<T>> _saved = [];
    private DeferredBlocks<T>? _deferredSaved;
    private Tensor<T> _rootGradient = null!;
    private ArraySegment<T> _scratch = ArraySegment<T>.Empty;
    private int _blockLength;
    private int _rangeScratch;

    /// <summary>Starts a run at the op whose output gradient is <paramref name="rootGradient"/>.</summary>
    public void Begin(PointwiseNode<T> root, Tensor<T> rootGradient)
    {
        Clear();
        _rootGradient = rootGradient;
        _members.Add(root);
        _memberStarted.Add(true);
    }

    /// <summary>Adds the next op in walk order (member 1, 2, …); its output gradient is gathered inside the run.</summary>
    public void AddMember(PointwiseNode<T> member)
    {
        _members.Add(member);
        _memberStarted.Add(false);
    }

    /// <summary>
    /// Adds a gradient that leaves the run, for a tensor of <paramref name="shape"/> whose gradient so far is
    /// <paramref name="accumulated"/> (null when none): the sum is written into <paramref name="accumulated"/> itself when
    /// <paramref name="inPlace"/>, else into a new tensor. Returns its target number for <see cref="AddStep"/>.
    /// </summary>
    public int AddOutflow(Tensor<T>? accumulated, Shape shape, bool inPlace)
    {
        _outflows.Add(new Outflow(accumulated, shape, inPlace));
        _outflowStarted.Add(false);
        return -_outflows.Count;
    }

    /// <summary>Outflow <paramref name="index"/>'s gradient (in the order they were added), after <see cref="Run"/>.</summary>
    public Tensor<T> Destination(int index) => _destinations[index];

    /// <summary>
    /// Adds member <paramref name="member"/>'s rule for its input <paramref name="input"/> into the gradient of target
    /// <paramref name="target"/>: a member number (a tensor inside the run) or an outflow's number. Steps run in the
    /// order they are added; the first into a target starts it (from the accumulated gradient for an outflow).
    /// </summary>
    public void AddStep(int member, int input, int target)
    {
        var started = target > 0 ? _memberStarted : _outflowStarted;
        int index = target > 0 ? target : -1 - target;
        var start = started[index] ? Addend.Target
            : target < 0 && _outflows[index].Accumulated is not null ? Addend.Accumulated
            : Addend.None;
        started[index] = true;
        _steps.Add(new Step(member, input, target, start));
    }

    /// <summary>
    /// Runs every step over each block of elements in turn and writes the outflows; large runs are split into ranges of
    /// blocks over the cores (<see cref="ParallelRanges"/>), each range with its own scratch.
    /// </summary>
    public void Run()
    {
        PassGradientsThrough();
        int length = _rootGradient.Length;
        bool streams = VectorLoops.StreamsWide<T>(length);
        _deferredSaved = DeferredSavedTensors(length);
        // Outflows need scratch blocks only when they are streamed; otherwise they are summed in their tensors. The
        // deferred tensors the steps read are made block by block in blocks of their own.
        int buffers = _members.Count - 1 + (streams ? _outflows.Count : 0) + (_deferredSaved?.Slots ?? 0);
        int perBuffer = ScratchBytes / Math.Max(1, buffers) / Unsafe.SizeOf<T>();
        _blockLength = Math.Min(length, Math.Max(BlockQuantum, perBuffer / BlockQuantum * BlockQuantum));
        // Bytes moved per element: the root gradient, each member's saved tensors (about one each) and each outflow; and
        // the work of the deferred tensors made here, weighed as bytes.
        int work = ((1 + _members.Count + _outflows.Count) * Unsafe.SizeOf<T>()) + (_deferredSaved?.WorkBytesPerElement ?? 0);
        int ranges = ParallelRanges.Count(length, work);
        _rangeScratch = buffers * _blockLength;
        if (_scratch.Count < ranges * _rangeScratch)
        {
            _scratch = AlignedScratch.Allocate<T>(ranges * _rangeScratch);
        }
        foreach (var outflow in _outflows)
        {
            _destinations.Add(outflow.InPlace ? outflow.Accumulated! : Tensor<T>.Uninitialized(outflow.Shape));
        }
        ParallelRanges.Run(new BlockRange(this, streams), length, ranges);
    }

    /// <summary>
    /// Drops the steps that would copy g unchanged into a member's gradient that receives nothing else (a sum's
    /// partials, <see cref="PointwiseNode{T}.PassesGradient"/>): that member reads the gradient where it already is,
    /// the root's or another member's block (<see cref="_gradientBlocks"/>). The values are the same; σ(x)·x + e⁻ˣ
    /// backward skips two of its seven passes over each block.
    /// </summary>
    private void PassGradientsThrough()
    {
        _gradientBlocks.Clear();
        for (int m = 0; m < _members.Count; m++)
        {
            _gradientBlocks.Add(m);
        }
        int kept = 0;
        for (int k = 0; k < _steps.Count; k++)
        {
            var step = _steps[k];
            if (step.Target > 0 && step.Addend == Addend.None && !HasLaterStepInto(k) && _members[step.Member].PassesGradient(step.Input))
            {
                _gradientBlocks[step.Target] = _gradientBlocks[step.Member];
                continue;
            }
            _steps[kept++] = step;
        }
        _steps.RemoveRange(kept, _steps.Count - kept);
    }

    /// <summary>Whether a step after step <paramref name="k"/> adds into the same target.</summary>
    private bool HasLaterStepInto(int k)
    {
        for (int later = k + 1; later < _steps.Count; later++)
        {
            if (_steps[later].Target == _steps[k].Target)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// The blocks of the deferred tensors of <paramref name="length"/> elements the steps read, made by the pass itself
    /// beside its steps, so that they never go to memory (they stay deferred); null when there are none. Deferred
    /// tensors of other lengths are computed now, before the pass splits over the cores.
    /// </summary>
    private DeferredBlocks<T>? DeferredSavedTensors(int length)
    {
        foreach (var step in _steps)
        {
            _members[step.Member].AddSavedTensors(_saved);
        }
        var blocks = Tensor<T>.DeferredBlocksOf(_saved, length);
        _saved.Clear();
        return blocks;
    }

    /// <summary>The blocks of elements [start, end), in scratch range <paramref name="range"/>.</summary>
    private void RunBlocks(int start, int end, int range, bool streams)
    {
        var scratch = _scratch.AsSpan().Slice(range * _rangeScratch, _rangeScratch);
        int savedSlots = _deferredSaved?.Slots ?? 0;
        var savedScratch = scratch.Slice(scratch.Length - (savedSlots * _blockLength));
        var saved = new SavedBlocks<T>(_deferredSaved, savedScratch, _blockLength);
        for (int blockStart = start; blockStart < end; blockStart += _blockLength)
        {
            int count = Math.Min(_blockLength, end - blockStart);
            int nextCount = Math.Min(_blockLength, end - blockStart - _blockLength);
            for (int i = 0; !streams && nextCount > 0 && i < _destinations.Count; i++)
            {
                CacheLines.FetchIntoL2<T>(_destinations[i].Storage.AsSpan(blockStart + _blockLength, nextCount));
            }
            _deferredSaved?.Run(blockStart, count, savedScratch, _blockLength, intoTargets: false);
            foreach (var step in _steps)
            {
                int source = _gradientBlocks[step.Member];
                var g = source == 0 ? _rootGradient.Data.Slice(blockStart, count) : Block(scratch, source, count);
                var destination = step.Target < 0 && !streams
                    ? _destinations[-1 - step.Target].Storage.AsSpan(blockStart, count)
                    : Block(scratch, step.Target, count);
                ReadOnlySpan<T> addend = step.Addend switch
                {
                    Addend.Target => destination,
                    Addend.Accumulated => _outflows[-1 - step.Target].Accumulated!.Data.Slice(blockStart, count),
                    _ => default,
                };
                _members[step.Member].AddInputGradient(step.Input, blockStart, g, addend, destination, saved);
            }
            for (int i = 0; streams && i < _outflows.Count; i++)
            {
                VectorLoops.StreamBlock<T>(Block(scratch, -1 - i, count), _destinations[i].Storage.AsSpan(blockStart, count));
            }
        }
        if (streams)
        {
            Sse.StoreFence();
        }
    }

    /// <summary>Drops the references the run holds, once its results are delivered.</summary>
    public void Clear()
    {
        _members.Clear();
        _steps.Clear();
        _outflows.Clear();
        _destinations.Clear();
        _memberStarted.Clear();
        _outflowStarted.Clear();
        _gradientBlocks.Clear();
        _deferredSaved = null;
        _rootGradient = null!;
    }

    /// <summary>The scratch block of a target in one range's scratch: members 1… first, then the outflows.</summary>
    private Span<T> Block(Span<T> scratch, int target, int count)
    {
        int index = target > 0 ? target - 1 : _members.Count - 1 + (-1 - target);
        return scratch.Slice(index * _blockLength, count);
    }

    /// <summary>One range of <see cref="Run"/>.</summary>
    private readonly struct BlockRange(PointwiseRegion<T> region, bool streams) : IRangeKernel
    {
        public void Run(int start, int end, int range) => region.RunBlocks(start, end, range, streams);
    }

    private enum Addend : byte
    {
        None,
        Accumulated,
        Target,
    }

    private readonly record struct Step(int Member, int Input, int Target, Addend Addend);

    private readonly record struct Outflow(Tensor<T>? Accumulated, Shape Shape, bool InPlace);
}
