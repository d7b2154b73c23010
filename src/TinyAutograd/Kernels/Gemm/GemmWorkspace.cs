namespace TinyAutograd.Kernels;

/// <summary>
/// Per-thread scratch memory for packed panels: one pinned, grow-only allocation handed out 64-byte aligned,
/// so a steady stream of products allocates nothing.
/// </summary>
internal sealed unsafe class GemmWorkspace
{
    private const int Alignment = 64;

    [ThreadStatic]
    private static GemmWorkspace? _current;

    private byte[] _storage = [];
    private byte* _aligned;
    private nint _capacity;

    /// <summary>The calling thread's workspace.</summary>
    public static GemmWorkspace Current => _current ??= new GemmWorkspace();

    /// <summary>Rounds a byte count up to the alignment, for carving several regions out of one block.</summary>
    public static nint RoundUp(nint bytes) => (bytes + (Alignment - 1)) & ~(nint)(Alignment - 1);

    /// <summary>
    /// Returns at least <paramref name="bytes"/> bytes, 64-byte aligned, valid until the next call on this thread.
    /// </summary>
    public byte* Acquire(nint bytes)
    {
        if (bytes > _capacity)
        {
            nint grown = Math.Max(bytes, _capacity + (_capacity / 2));
            _storage = GC.AllocateUninitializedArray<byte>(checked((int)(grown + Alignment)), pinned: true);
            fixed (byte* start = _storage)
            {
                // The array lives on the pinned object heap, so the address stays valid after leaving 'fixed'.
                _aligned = (byte*)RoundUp((nint)start);
            }

            _capacity = grown;
        }

        return _aligned;
    }
}
