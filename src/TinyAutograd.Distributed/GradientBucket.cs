using System.Numerics;

namespace TinyAutograd.Distributed;

/// <summary>
/// A group of parameters whose gradients are summed over the ranks in one operation: a pinned flat buffer holding
/// each member's gradient at its offset, and the state of the current step.
/// </summary>
internal sealed class GradientBucket<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly bool[] _ready;

    public GradientBucket(int index, IReadOnlyList<int> members, IReadOnlyList<Tensor<T>> parameters)
    {
        Index = index;
        Members = members.ToArray();
        Offsets = new int[Members.Length];
        int length = 0;
        for (int m = 0; m < Members.Length; m++)
        {
            Offsets[m] = length;
            length += parameters[Members[m]].Length;
        }
        // Pinned: MPI reads and writes it while the backward pass goes on.
        Buffer = GC.AllocateUninitializedArray<T>(length, pinned: true);
        _ready = new bool[Members.Length];
        Remaining = Members.Length;
    }

    /// <summary>The bucket's position in launch order.</summary>
    public int Index { get; }

    /// <summary>The members' positions in the parameter list.</summary>
    public int[] Members { get; }

    /// <summary>Where each member's gradient starts in <see cref="Buffer"/>.</summary>
    public int[] Offsets { get; }

    /// <summary>The members' gradients, one after the other.</summary>
    public T[] Buffer { get; }

    /// <summary>How many members have not delivered their gradient this step.</summary>
    public int Remaining { get; private set; }

    /// <summary>Whether member <paramref name="member"/> has delivered its gradient this step.</summary>
    public bool IsReady(int member) => _ready[member];

    /// <summary>Copies member <paramref name="member"/>'s gradient (zeros when it has none) into the buffer.</summary>
    public void Fill(int member, Tensor<T> parameter)
    {
        var destination = Buffer.AsSpan(Offsets[member], parameter.Length);
        if (parameter.Grad is { } gradient)
        {
            gradient.Data.CopyTo(destination);
        }
        else
        {
            destination.Clear();
        }
        _ready[member] = true;
        Remaining--;
    }

    /// <summary>Gets ready for the next step.</summary>
    public void Reset()
    {
        Array.Clear(_ready);
        Remaining = _ready.Length;
    }
}
