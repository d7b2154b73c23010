using System.Numerics;

namespace TinyAutograd;

/// <summary>
/// A dense, row-major, n-dimensional array of <typeparamref name="T"/> (<see cref="float"/> or <see cref="double"/>)
/// that can take part in automatic differentiation.
/// </summary>
/// <remarks>
/// <para>
/// Operations on tensors whose <see cref="RequiresGrad"/> is true are recorded (unless inside
/// <see cref="GradMode.Disable"/>), so that <see cref="Backward(bool?, bool)"/> can later compute ∂y/∂x for every leaf x.
/// Every backward rule is itself written in differentiable tensor operations, so gradients can be differentiated
/// again (second and higher derivatives).
/// </para>
/// <para>
/// An elementwise op on large tensors may return before computing its values: they are computed, together with the
/// deferred ops they depend on, in one pass when first read, and equal the eagerly computed ones bit for bit
/// (<c>docs/performance.md</c>, "Deferred elementwise ops").
/// </para>
/// <para>
/// The name clashes with <c>System.Numerics.Tensors.Tensor&lt;T&gt;</c> in a file that imports both namespaces;
/// there, alias it: <c>using Tensor = TinyAutograd.Tensor&lt;double&gt;;</c> or qualify it. The static helpers
/// of <c>System.Numerics.Tensors.TensorPrimitives</c> do not clash.
/// </para>
/// </remarks>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed partial class Tensor<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] _storage;
    private volatile TensorState _state;
    private WriteCounter? _writes;
    private RareFields? _rare;
    private bool _madeByBackward;
    private bool _recordedAsInput;

    /// <summary>
    /// Refuses element types other than float and double at the first use of <c>Tensor&lt;T&gt;</c> (any member,
    /// static or not): the constraint also admits <see cref="Half"/> and <see cref="System.Runtime.InteropServices.NFloat"/>, which no kernel
    /// supports. The runtime reports it as a <see cref="TypeInitializationException"/> whose inner
    /// <see cref="NotSupportedException"/> names the type.
    /// </summary>
    static Tensor()
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
        {
            throw new NotSupportedException(
                $"Tensor<{typeof(T).Name}>: the element type {typeof(T).FullName} is not supported; use float (Tensor<float>) or double (Tensor<double>).");
        }
    }

    /// <summary>A tensor over a new buffer, which becomes its own.</summary>
    internal Tensor(Shape shape, T[] storage)
        : this(shape, storage, sharedWrites: null)
    {
    }

    /// <summary>A tensor over <paramref name="storage"/>: a new buffer when <paramref name="sharedWrites"/> is null, else
    /// the buffer of the tensor whose write counter it is, which this one views (and shares the counter of).</summary>
    private Tensor(Shape shape, T[] storage, WriteCounter? sharedWrites)
    {
        if (storage.Length != shape.Length)
        {
            throw new ArgumentException(
                $"Tensor: {storage.Length} values cannot fill shape {shape}, which holds {shape.Length} elements.", nameof(storage));
        }
        Shape = shape;
        _storage = storage;
        _writes = sharedWrites;
        TensorArena.Track(this);
        if (sharedWrites is null)
        {
            TensorMemory.HandedOut(storage);
        }
    }

    /// <summary>The dimensions of this tensor.</summary>
    public Shape Shape { get; }

    /// <summary>The number of axes (0 for a scalar).</summary>
    public int Rank => Shape.Rank;

    /// <summary>The number of elements.</summary>
    public int Length => Shape.Length;

    /// <summary>The elements in row-major order (read-only view, no copy).</summary>
    /// <remarks>Computes a deferred tensor's values first; deferred tensors that read this one stay deferred, since
    /// reading changes nothing (every write goes through the storage, which computes them).</remarks>
    public ReadOnlySpan<T> Data => _state == TensorState.None ? _storage : ReadableStorage();

    /// <summary>The element type's short name: <c>float32</c> or <c>float64</c>.</summary>
    public static string ElementTypeName => typeof(T) == typeof(float) ? "float32" : "float64";

    /// <summary>An optional name, shown by <see cref="ToString()"/> and in error messages.</summary>
    public string? Name
    {
        get => _rare?.Name;
        set
        {
            if (value is not null || _rare is not null)
            {
                Rare.Name = value;
            }
        }
    }

    /// <summary>
    /// Whether gradients flow to this tensor. Leaves (tensors made by the user) opt in with
    /// <see cref="RequireGrad(bool)"/>; results of recorded operations require grad when any input does.
    /// </summary>
    public bool RequiresGrad { get; internal set; }

    /// <summary>Whether this tensor was made by the user rather than by a recorded operation.</summary>
    public bool IsLeaf => Producer is null;

    /// <summary>
    /// The gradient accumulated by <see cref="Backward(bool?, bool)"/> (PyTorch habit): each backward adds to it.
    /// Clear it between steps with <see cref="ZeroGrad"/> (as optimizers' <c>ZeroGrad</c> do), or set it to <c>null</c>.
    /// </summary>
    /// <remarks>
    /// A gradient belongs to the same <see cref="TensorArena"/> as this tensor (to none when this tensor was made
    /// outside every arena), wherever it was computed, so gradients accumulate across arenas.
    /// </remarks>
    /// <exception cref="ArgumentException">The assigned gradient's shape differs from this tensor's.</exception>
    public Tensor<T>? Grad
    {
        get => _rare?.Grad;
        set
        {
            if (value is not null && value.Shape != Shape)
            {
                throw new ArgumentException($"Grad: a gradient of shape {value.Shape} cannot belong to a tensor of shape {Shape}.", nameof(value));
            }
            if (value is { IsRetired: false } && !IsRetired)
            {
                TensorArena.MoveToOwnerOf(value._storage, _storage);
                value.Rare.GradientOf = this;
            }
            if (value is not null)
            {
                value._madeByBackward = false;
            }
            if (value is not null || _rare is not null)
            {
                Rare.Grad = value;
            }
        }
    }

    /// <summary>
    /// Clears <see cref="Grad"/> (sets it to null) and recycles its memory when that is safe: a gradient that backward
    /// made and that nothing else can see (no view of it was taken, it was never written in place nor an input of a
    /// recorded operation) gives its buffer back to the pool the next backward draws from, so a steady training loop
    /// allocates no gradient buffers. That old gradient tensor is retired: reading a reference kept to it throws an
    /// <see cref="ObjectDisposedException"/>. <see cref="Clone"/> a gradient to keep its values.
    /// </summary>
    /// <remarks>A buffer that a live <see cref="TensorArena"/> owns (this tensor was made inside it) is left for that arena to recycle.</remarks>
    public void ZeroGrad()
    {
        if (_rare is null)
        {
            return;
        }
        if (_rare.Grad is { IsPrivateGradient: true } gradient)
        {
            TensorArena.Recycle(gradient);
        }
        _rare.Grad = null;
    }

    /// <summary>
    /// Stores a gradient that backward made as <see cref="Grad"/>, marking it as backward's own. An unrecorded gradient
    /// that shares its memory with another tensor (a reshaped view, as a convolution's weight gets) is stored as a copy,
    /// so that the gradient is private and <see cref="ZeroGrad"/> can hand its buffer to the next step.
    /// </summary>
    internal void SetGradFromBackward(Tensor<T> gradient)
    {
        if (gradient._writes is not null && gradient.Producer is null)
        {
            gradient = gradient.CopyWithTangent();
        }
        Grad = gradient;
        gradient._madeByBackward = true;
    }

    /// <summary>
    /// Whether this is a gradient that backward made and that nothing else can see: no view or in-place write (either
    /// creates the shared write counter), never an input of a recorded operation, nothing recorded on it.
    /// </summary>
    internal bool IsPrivateGradient =>
        _madeByBackward && _writes is null && !_recordedAsInput && !IsRetired && !RequiresGrad && Tangent is null && Producer is null;

    /// <summary>Notes that a recorded operation took this tensor as an input (<see cref="IsPrivateGradient"/>).</summary>
    internal void MarkRecordedAsInput() => _recordedAsInput = true;

    /// <summary>
    /// The forward-mode tangent carried by this tensor, if any: for y = f(x) with x carrying tangent v,
    /// y carries J_f(x)·v. Set by <see cref="AutoDiff.Jvp{T}(Func{Tensor{T}, Tensor{T}}, Tensor{T}, Tensor{T})"/> and the Hessian-vector product.
    /// </summary>
    public Tensor<T>? Tangent { get; internal set; }

    /// <summary>
    /// Counts in-place writes. Operations that save a tensor for backward remember its version; a backward that finds
    /// a different version refuses to run instead of returning a wrong gradient.
    /// </summary>
    /// <remarks>Tensors that share storage (<see cref="Detach"/>, <see cref="Reshape(ReadOnlySpan{int})"/>) share the counter.</remarks>
    public int Version => _writes?.Count ?? 0;

    /// <summary>The recorded operation that produced this tensor, or null for a leaf or an unrecorded result.</summary>
    internal Differentiation.Node<T>? Producer { get; set; }

    /// <summary>The buffer holding the values, settled first when this tensor is deferred, has deferred dependents or was
    /// retired (<see cref="SettledStorage"/>); every write of values goes through here (a read may take <see cref="Data"/>).</summary>
    internal T[] Storage => _state == TensorState.None ? _storage : SettledStorage();

    /// <summary>An unrecorded copy of the values (no tangent), in a buffer from the pool or the current arena.</summary>
    internal Tensor<T> CopyOfValues()
    {
        var copy = Uninitialized(Shape);
        Data.CopyTo(copy.Storage);
        return copy;
    }

    /// <summary><see cref="CopyOfValues"/> that carries the same tangent (a gradient handed on in forward-over-reverse).</summary>
    internal Tensor<T> CopyWithTangent()
    {
        var copy = CopyOfValues();
        copy.Tangent = Tangent;
        return copy;
    }

    /// <summary>Creates a tensor of the given shape whose contents the caller will overwrite entirely.</summary>
    internal static Tensor<T> Uninitialized(Shape shape) => new(shape, TensorArena.Allocate<T>(shape.Length, clear: false));

    /// <summary>Creates a tensor of the given shape filled with zeros.</summary>
    internal static Tensor<T> ZerosOf(Shape shape) => new(shape, TensorArena.Allocate<T>(shape.Length, clear: true));

    /// <summary>Whether a <see cref="TensorArena"/> recycled this tensor's memory (reading it then throws).</summary>
    public bool IsRetired => (_state & TensorState.Retired) != 0;

    private ObjectDisposedException RetiredError() => new(
        nameof(TensorArena),
        _rare?.GradientOf is { } owner && owner.Grad != this
            ? $"the former Grad of {owner.Describe()} was cleared by ZeroGrad and its memory was recycled. Clone() a gradient to keep its values past ZeroGrad."
            : $"{(_rare?.GradientOf is { } parent ? $"the Grad of {parent.Describe()}" : Describe())} was made inside a TensorArena that has ended, and its memory was recycled. " +
              "Keep it with arena.Keep(tensor), or copy its values out (ToScalar, ToArray) before the arena ends.");

    /// <summary>Creates a tensor of the given shape with every element equal to <paramref name="value"/>.</summary>
    internal static Tensor<T> Filled(Shape shape, T value)
    {
        var result = Uninitialized(shape);
        result.Storage.AsSpan().Fill(value);
        return result;
    }

    /// <summary>Converts a double constant to the element type.</summary>
    internal static T Constant(double value) => T.CreateTruncating(value);

    /// <summary>
    /// Marks this leaf as one whose gradient is wanted (or not), and returns it, for fluent construction:
    /// <c>var w = Tensor.Zeros&lt;double&gt;(3).RequireGrad();</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">This tensor is the result of a recorded operation, not a leaf.</exception>
    public Tensor<T> RequireGrad(bool requiresGrad = true)
    {
        if (!IsLeaf)
        {
            throw new InvalidOperationException(
                $"RequireGrad: {Describe()} was produced by the recorded operation '{Producer!.Name}'; only leaves can change RequiresGrad. Use Detach() to make a new leaf.");
        }
        RequiresGrad = requiresGrad;
        return this;
    }

    /// <summary>
    /// A new leaf that shares this tensor's values but is cut from the graph: no gradient flows through it and it carries no tangent.
    /// </summary>
    public Tensor<T> Detach() => Alias(Shape);

    /// <summary>A new leaf over the same storage with another shape of the same length, sharing the write counter.</summary>
    internal Tensor<T> Alias(Shape shape)
    {
        return new Tensor<T>(shape, Storage, _writes ??= new WriteCounter()) { Name = Name };
    }

    /// <summary>A new leaf with a copy of this tensor's values.</summary>
    public Tensor<T> Clone() => new(Shape, Data.ToArray()) { Name = Name };

    /// <summary>Copies the elements into a new array, row-major.</summary>
    public T[] ToArray() => Data.ToArray();

    /// <summary>The element at a full index (one coordinate per axis; negative coordinates count from the end).</summary>
    /// <exception cref="ArgumentException">The number of coordinates is not the rank.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A coordinate is out of range.</exception>
    public T this[params int[] index]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(index);
            return Data[FlatIndex(index)];
        }
    }

    /// <summary>The value of a one-element tensor (any rank), like PyTorch's <c>item()</c>.</summary>
    /// <exception cref="InvalidOperationException">The tensor has more or fewer than one element.</exception>
    public T ToScalar()
    {
        if (Length != 1)
        {
            throw new InvalidOperationException($"ToScalar: {Describe()} has {Length} elements; only a one-element tensor converts to a scalar.");
        }
        return Data[0];
    }

    /// <summary>
    /// Returns the elements for writing in place and bumps <see cref="Version"/>. Any recorded operation that saved
    /// this tensor will refuse to run backward afterwards. Optimizers use this to update parameters.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// The tensor takes part in gradient recording: a leaf that requires grad while gradients are being recorded
    /// (write inside <see cref="GradMode.Disable"/>), or a recorded result.
    /// </exception>
    public Span<T> GetSpanForWrite()
    {
        if (!IsLeaf)
        {
            throw new InvalidOperationException(
                $"GetSpanForWrite: {Describe()} is the result of the recorded operation '{Producer!.Name}'; writing into it would corrupt its gradient. Write into a Clone() or a Detach()ed copy instead.");
        }
        if (RequiresGrad && GradMode.IsEnabled)
        {
            throw new InvalidOperationException(
                $"GetSpanForWrite: {Describe()} is a leaf that requires grad and gradients are being recorded; change parameters inside 'using (GradMode.Disable())'.");
        }
        (_writes ??= new WriteCounter()).Count++;
        return Storage;
    }

    /// <summary>A short description for messages: name (if any), shape and element type.</summary>
    internal string Describe() =>
        Name is null ? $"a {ElementTypeName} tensor of shape {Shape}" : $"tensor '{Name}' ({ElementTypeName}, shape {Shape})";

    private int FlatIndex(int[] index)
    {
        if (index.Length != Rank)
        {
            throw new ArgumentException($"Indexer: {index.Length} coordinates given for {Describe()}; expected {Rank}.", nameof(index));
        }
        int flat = 0;
        var dims = Shape.Dimensions;
        for (int axis = 0; axis < index.Length; axis++)
        {
            int i = index[axis] < 0 ? index[axis] + dims[axis] : index[axis];
            if ((uint)i >= (uint)dims[axis])
            {
                throw new ArgumentOutOfRangeException(nameof(index),
                    $"Indexer: coordinate {index[axis]} on axis {axis} is out of range for {Describe()}; expected [{-dims[axis]}, {dims[axis] - 1}].");
            }
            flat = flat * dims[axis] + i;
        }
        return flat;
    }

    /// <summary>The fields few tensors set, created on first use (<see cref="RareFields"/>).</summary>
    private RareFields Rare => _rare ??= new RareFields();

    /// <summary>
    /// The in-place write count shared by all tensors over one storage; null until a view is taken or the tensor is
    /// written in place. A field rather than a rare one: every reshape makes a view, and a view then costs no other object.
    /// </summary>
    private sealed class WriteCounter
    {
        public int Count;
    }

    /// <summary>
    /// The fields few tensors set, kept out of line so that a tensor stays small: a tape of scalar ops makes one tensor
    /// per op, and the bytes each takes are cleared and collected.
    /// </summary>
    private sealed class RareFields
    {
        /// <summary>The user's name for the tensor (<see cref="Name"/>).</summary>
        public string? Name;

        /// <summary>The accumulated gradient (<see cref="Grad"/>), which only leaves that backward reached, or that a caller gave one, have.</summary>
        public Tensor<T>? Grad;

        /// <summary>The tensor whose <see cref="Grad"/> this is or was, named when a recycled gradient is read.</summary>
        public Tensor<T>? GradientOf;

        /// <summary>The op that computes this tensor's values when they are first read, while it is deferred.</summary>
        public DeferredPointwise<T>? Deferred;

        /// <summary>The deferred tensors that read this one (weakly held: one nobody can reach needs no values).</summary>
        public List<WeakReference<Tensor<T>>>? Dependents;
    }
}
