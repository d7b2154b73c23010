using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using TinyAutograd.Nn;

namespace TinyAutograd.Distributed;

/// <summary>
/// Data-parallel training over the ranks of an MPI job: every rank holds the same parameters, computes gradients on
/// its own shard of each batch, and <see cref="Synchronize"/> replaces every gradient with its mean over the ranks
/// before the optimizer steps, so that all ranks take the same step.
/// </summary>
/// <remarks>
/// <para>
/// The constructor checks that every rank has the same parameters (names, element types, shapes; a mismatch throws on
/// every rank, naming the first difference), then copies rank 0's values to all ranks.
/// </para>
/// <para>
/// Gradients travel in buckets of about <c>bucketBytes</c>, filled in reverse parameter order (the order in which a
/// backward pass finishes them). During <see cref="Tensor{T}.Backward(bool?, bool)"/>, as soon as a parameter's
/// gradient is final (<see cref="GradientReadyHooks"/>) it is copied into its bucket, and a full bucket starts its
/// nonblocking sum over the ranks (MPI_Iallreduce) while the backward pass goes on with the earlier layers. Buckets
/// start in the same order on every rank, as MPI requires. <see cref="Synchronize"/> starts any bucket still open
/// (parameters the loss did not reach count as zero gradients), waits for all of them within
/// <see cref="Communicator.Timeout"/>, and writes gᵢ ← (Σᵣ gᵢ⁽ʳ⁾) / ranks into each <see cref="Tensor{T}.Grad"/>.
/// With each rank's loss a mean over its b examples, that is the gradient of the mean loss over all ranks × b examples.
/// </para>
/// <para>
/// Use one backward pass per <see cref="Synchronize"/> and one <see cref="DataParallel{T}"/> per set of parameters,
/// from one thread at a time.
/// </para>
/// </remarks>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class DataParallel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The default size of a bucket of gradients: 2 MiB.</summary>
    public const int DefaultBucketBytes = 2 << 20;

    private readonly Tensor<T>[] _parameters;
    private readonly string[] _names;
    private readonly GradientBucket<T>[] _buckets;
    private readonly (int Bucket, int Member)[] _placement;
    private readonly nint[] _requests;
    private readonly Module<T>? _module;
    private int _nextLaunch;

    /// <summary>Wraps a module's parameters, named by their dotted paths (<see cref="Module{T}.NamedParameters"/>); <see cref="AverageBuffers"/> then averages its buffers.</summary>
    /// <inheritdoc cref="DataParallel{T}(IReadOnlyList{KeyValuePair{string, Tensor{T}}}, Communicator?, int)"/>
    public DataParallel(Module<T> module, Communicator? communicator = null, int bucketBytes = DefaultBucketBytes)
        : this([.. (module ?? throw new ArgumentNullException(nameof(module))).NamedParameters()], communicator, bucketBytes)
    {
        _module = module;
    }

    /// <summary>Wraps unnamed parameters; each is called by its <see cref="Tensor{T}.Name"/>, or <c>parameters[i]</c>.</summary>
    /// <inheritdoc cref="DataParallel{T}(IReadOnlyList{KeyValuePair{string, Tensor{T}}}, Communicator?, int)"/>
    public DataParallel(IReadOnlyList<Tensor<T>> parameters, Communicator? communicator = null, int bucketBytes = DefaultBucketBytes)
        : this(Named(parameters), communicator, bucketBytes)
    {
    }

    /// <summary>Checks that all ranks agree on the parameters, broadcasts rank 0's values and plans the buckets.</summary>
    /// <param name="parameters">The model's parameters with their names (leaves that require grad), in the same order on every rank.</param>
    /// <param name="communicator">The ranks to train on; <see cref="Communicator.World"/> by default.</param>
    /// <param name="bucketBytes">The size of a bucket of gradients in bytes; a parameter larger than that has a bucket of its own.</param>
    /// <exception cref="ArgumentException">The list is empty, names repeat, or a parameter is not a leaf that requires grad, or appears twice.</exception>
    /// <exception cref="DistributedException">The ranks' parameters differ (the message names the first difference), or a rank did not respond.</exception>
    public DataParallel(IReadOnlyList<KeyValuePair<string, Tensor<T>>> parameters, Communicator? communicator = null, int bucketBytes = DefaultBucketBytes)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfLessThan(bucketBytes, 1);
        Validate(parameters);
        _parameters = parameters.Select(p => p.Value).ToArray();
        _names = parameters.Select(p => p.Key).ToArray();
        Communicator = communicator ?? Communicator.World;
        ParameterAgreement.Check(Communicator, parameters);
        BroadcastParameters();

        _buckets = PlanBuckets(_parameters, bucketBytes);
        _placement = new (int, int)[_parameters.Length];
        foreach (var bucket in _buckets)
        {
            for (int m = 0; m < bucket.Members.Length; m++)
            {
                _placement[bucket.Members[m]] = (bucket.Index, m);
            }
        }
        _requests = new nint[_buckets.Length];
        for (int i = 0; i < _parameters.Length; i++)
        {
            int index = i;
            GradientReadyHooks.Add(_parameters[i], _ => OnGradientReady(index));
        }
    }

    /// <summary>The ranks this wrapper trains on.</summary>
    public Communicator Communicator { get; }

    /// <summary>The wrapped parameters, in the order given.</summary>
    public IReadOnlyList<Tensor<T>> Parameters => _parameters;

    /// <summary>The number of buckets the gradients travel in.</summary>
    public int BucketCount => _buckets.Length;

    /// <summary>Copies rank 0's parameter values to every rank (the constructor does it; call it again after rank 0 alone changed them).</summary>
    /// <exception cref="DistributedException">A rank did not respond within <see cref="Communicator.Timeout"/>.</exception>
    public void BroadcastParameters()
    {
        using (GradMode.Disable())
        {
            foreach (var parameter in _parameters)
            {
                Communicator.Broadcast(parameter.GetSpanForWrite());
            }
        }
    }

    /// <summary>
    /// Replaces the wrapped module's buffers (batch normalization's running statistics, updated by each rank from its
    /// own shard) with their mean over the ranks: call it before evaluating or saving. Without a module, does nothing.
    /// </summary>
    /// <remarks>bᵢ ← (Σᵣ bᵢ⁽ʳ⁾) / ranks for every buffer b (see <see cref="Communicator.Average{T}(IReadOnlyList{Tensor{T}})"/>).</remarks>
    /// <exception cref="DistributedException">A rank did not respond within <see cref="Communicator.Timeout"/>.</exception>
    public void AverageBuffers()
    {
        if (_module is not null)
        {
            Communicator.Average([.. _module.NamedBuffers().Select(pair => pair.Value)]);
        }
    }

    /// <summary>
    /// Finishes the averaging started during the backward pass: call it after <see cref="Tensor{T}.Backward(bool?, bool)"/>
    /// and before the optimizer's step. Every parameter's <see cref="Tensor{T}.Grad"/> then holds the mean over the ranks.
    /// </summary>
    /// <exception cref="DistributedException">A rank did not take part within <see cref="Communicator.Timeout"/>.</exception>
    public void Synchronize()
    {
        for (int b = _nextLaunch; b < _buckets.Length; b++)
        {
            var bucket = _buckets[b];
            for (int m = 0; m < bucket.Members.Length; m++)
            {
                if (!bucket.IsReady(m))
                {
                    bucket.Fill(m, _parameters[bucket.Members[m]]);
                }
            }
        }
        LaunchFullBuckets();
        Communicator.Wait(_requests, string.Create(CultureInfo.InvariantCulture,
            $"sum of the gradients over the ranks ({_parameters.Length} parameters, {_buckets.Sum(b => (long)b.Buffer.Length)} values in {_buckets.Length} bucket{(_buckets.Length == 1 ? "" : "s")})"));
        var ranks = T.CreateChecked(Communicator.Size);
        foreach (var bucket in _buckets)
        {
            for (int m = 0; m < bucket.Members.Length; m++)
            {
                var parameter = _parameters[bucket.Members[m]];
                if (parameter.Grad is not { IsLeaf: true })
                {
                    parameter.Grad = Tensor.Zeros<T>(parameter.Shape.ToArray());
                }
                TensorPrimitives.Divide(bucket.Buffer.AsSpan(bucket.Offsets[m], parameter.Length), ranks, parameter.Grad!.GetSpanForWrite());
            }
            bucket.Reset();
        }
        Array.Clear(_requests);
        _nextLaunch = 0;
    }

    private void OnGradientReady(int parameter)
    {
        var (b, m) = _placement[parameter];
        var bucket = _buckets[b];
        if (bucket.IsReady(m))
        {
            throw new InvalidOperationException(
                $"DataParallel: parameter '{_names[parameter]}' received a second gradient before Synchronize(); call Synchronize() after every backward pass, before the optimizer's step.");
        }
        bucket.Fill(m, _parameters[parameter]);
        LaunchFullBuckets();
        Communicator.Progress(_requests.AsSpan(0, _nextLaunch));
    }

    /// <summary>Starts the sums of the full buckets that are next in launch order (the same order on every rank).</summary>
    private unsafe void LaunchFullBuckets()
    {
        var type = Communicator.TypeOf<T>();
        for (; _nextLaunch < _buckets.Length && _buckets[_nextLaunch].Remaining == 0; _nextLaunch++)
        {
            var bucket = _buckets[_nextLaunch];
            // The buffer lives on the pinned object heap, so its address stays valid while MPI works on it.
            fixed (T* buffer = bucket.Buffer)
            {
                _requests[_nextLaunch] = Communicator.StartSum(buffer, bucket.Buffer.Length, type);
            }
        }
    }

    /// <summary>Groups the parameters, last first, into buckets of at most <paramref name="bucketBytes"/> (a larger parameter alone).</summary>
    private static unsafe GradientBucket<T>[] PlanBuckets(Tensor<T>[] parameters, int bucketBytes)
    {
        var buckets = new List<GradientBucket<T>>();
        var members = new List<int>();
        long bytes = 0;
        for (int i = parameters.Length - 1; i >= 0; i--)
        {
            long size = (long)parameters[i].Length * sizeof(T);
            if (members.Count > 0 && bytes + size > bucketBytes)
            {
                buckets.Add(new GradientBucket<T>(buckets.Count, members, parameters));
                members.Clear();
                bytes = 0;
            }
            members.Add(i);
            bytes += size;
        }
        buckets.Add(new GradientBucket<T>(buckets.Count, members, parameters));
        return buckets.ToArray();
    }

    private static KeyValuePair<string, Tensor<T>>[] Named(IReadOnlyList<Tensor<T>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return parameters.Select((p, i) => KeyValuePair.Create(p?.Name ?? $"parameters[{i}]", p!)).ToArray();
    }

    private static void Validate(IReadOnlyList<KeyValuePair<string, Tensor<T>>> parameters)
    {
        if (parameters.Count == 0)
        {
            throw new ArgumentException("DataParallel: the parameter list is empty; pass the model's parameters.", nameof(parameters));
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        var tensors = new HashSet<Tensor<T>>(ReferenceEqualityComparer.Instance);
        foreach (var (name, tensor) in parameters)
        {
            ArgumentNullException.ThrowIfNull(tensor, name);
            if (!names.Add(name))
            {
                throw new ArgumentException($"DataParallel: the parameter name '{name}' is given twice; names must be unique.", nameof(parameters));
            }
            if (!tensors.Add(tensor))
            {
                throw new ArgumentException($"DataParallel: parameter '{name}' is the same tensor as an earlier parameter; list each parameter once.", nameof(parameters));
            }
            if (!tensor.IsLeaf || !tensor.RequiresGrad)
            {
                throw new ArgumentException(
                    $"DataParallel: parameter '{name}' (shape {tensor.Shape}) is {(tensor.IsLeaf ? "a leaf that does not require grad" : "the result of a recorded operation")}; " +
                    "parameters are leaves with RequiresGrad = true.", nameof(parameters));
            }
        }
    }
}
