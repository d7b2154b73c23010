using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using TinyAutograd.Distributed.Mpi;

namespace TinyAutograd.Distributed;

/// <summary>
/// The processes of one MPI job (MPI_COMM_WORLD): this process's rank, their number, and the collective operations
/// data-parallel training needs, each of which fails with a clear <see cref="DistributedException"/> instead of
/// waiting for ever when another rank has died or stopped responding.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="World"/> initializes MPI on first use (MPI_Init_thread, serialized: any thread may use the communicator,
/// one at a time) and finalizes it when the process exits. Launch the program with <c>mpirun -np N</c>; started
/// alone, it is a job of one rank. Only Open MPI is supported; it is loaded at run time, and a missing library gives
/// a <see cref="DllNotFoundException"/> naming the Debian packages (<c>openmpi-bin libopenmpi-dev</c>). Unless the
/// environment says otherwise (<c>OMPI_MCA_coll_libnbc_iallreduce_algorithm</c>), it asks Open MPI for the ring
/// algorithm in the nonblocking all-reduce, which moves 2·(p − 1)/p of a buffer through each rank, the least possible.
/// </para>
/// <para>
/// Every operation is nonblocking underneath (MPI_Ibcast, MPI_Iallreduce, …) and completed by polling MPI_Test
/// against a deadline of <see cref="Timeout"/>. When the deadline passes, the communicator is marked faulted and the
/// operation throws. Because a job with a missing rank cannot go on, an unhandled exception on any rank aborts the
/// whole job (MPI_Abort) after printing it, and a faulted process aborts the job at exit rather than finalizing.
/// </para>
/// </remarks>
public sealed unsafe class Communicator
{
    /// <summary>How long a rank that aborts the job waits after printing why, so that the launcher forwards the message.</summary>
    private static readonly TimeSpan AbortGrace = TimeSpan.FromMilliseconds(500);

    private static readonly Lazy<Communicator> s_world = new(() => new Communicator(), LazyThreadSafetyMode.ExecutionAndPublication);
    /// <summary>How long a wait polls without giving up the processor: longer than a gradient sum normally takes.</summary>
    private static readonly TimeSpan SpinTime = TimeSpan.FromMilliseconds(5);

    private readonly MpiLibrary.Handles _mpi;
    private TimeSpan _timeout = TimeSpan.FromSeconds(60);
    private int _finished;

    private Communicator()
    {
        _mpi = MpiLibrary.Get();
        int initialized;
        Check(MpiNative.Initialized(&initialized), "MPI_Initialized");
        if (initialized == 0)
        {
            AllreduceAlgorithm.PreferRing();
            int provided;
            Check(MpiNative.InitThread(null, null, MpiNative.ThreadSerialized, &provided), "MPI_Init_thread");
        }
        int rank, size;
        Check(MpiNative.CommRank(_mpi.World, &rank), "MPI_Comm_rank");
        Check(MpiNative.CommSize(_mpi.World, &size), "MPI_Comm_size");
        Rank = rank;
        Size = size;
        AppDomain.CurrentDomain.UnhandledException += (_, e) => AbortJob(e.ExceptionObject as Exception);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Finish();
    }

    /// <summary>All the processes of the job; initializes MPI on first use.</summary>
    /// <exception cref="DllNotFoundException">Open MPI is not installed; the message names the packages to install.</exception>
    public static Communicator World => s_world.Value;

    /// <summary>This process's rank, 0 … <see cref="Size"/> − 1.</summary>
    public int Rank { get; }

    /// <summary>The number of processes in the job.</summary>
    public int Size { get; }

    /// <summary>Whether this is rank 0, the one that prints progress and saves checkpoints.</summary>
    public bool IsRoot => Rank == 0;

    /// <summary>
    /// How long an operation may wait for the other ranks before it fails (default 60 s): the longest a rank may
    /// lag behind the others, for instance while rank 0 evaluates or saves a checkpoint.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public TimeSpan Timeout
    {
        get => _timeout;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            _timeout = value;
        }
    }

    /// <summary>Whether an operation timed out: the job cannot go on, and the process aborts it at exit.</summary>
    public bool IsFaulted { get; private set; }

    /// <summary><paramref name="writer"/> on rank 0, and a writer that discards everything on the other ranks.</summary>
    public TextWriter RootOnly(TextWriter writer) => IsRoot ? writer : TextWriter.Null;

    /// <summary>Overwrites <paramref name="values"/> on every rank with rank <paramref name="root"/>'s values.</summary>
    /// <exception cref="DistributedException">A rank did not take part within <see cref="Timeout"/>.</exception>
    public void Broadcast<T>(Span<T> values, int root = 0)
        where T : unmanaged
    {
        CheckRoot(root);
        fixed (T* buffer = values)
        {
            nint request;
            Check(MpiNative.Ibcast(buffer, values.Length, _mpi.TypeOf<T>(), root, _mpi.World, &request), "MPI_Ibcast");
            Wait(new Span<nint>(&request, 1), $"broadcast of {values.Length} {typeof(T).Name} values from rank {root}");
        }
    }

    /// <summary>Replaces <paramref name="values"/> on every rank with their elementwise sum over the ranks.</summary>
    /// <exception cref="DistributedException">A rank did not take part within <see cref="Timeout"/>.</exception>
    public void Sum<T>(Span<T> values)
        where T : unmanaged
    {
        fixed (T* buffer = values)
        {
            nint request = StartSum(buffer, values.Length, _mpi.TypeOf<T>());
            Wait(new Span<nint>(&request, 1), $"sum of {values.Length} {typeof(T).Name} values over the ranks");
        }
    }

    /// <summary>The mean of <paramref name="value"/> over the ranks (a metric such as a loss or an accuracy).</summary>
    /// <remarks>mean = (Σᵣ valueᵣ) / Size. For a mean over examples when ranks hold different numbers of examples, <see cref="Sum{T}"/> the totals and the counts instead.</remarks>
    /// <exception cref="DistributedException">A rank did not take part within <see cref="Timeout"/>.</exception>
    public double Average(double value)
    {
        Span<double> sum = [value];
        Sum(sum);
        return sum[0] / Size;
    }

    /// <summary>
    /// Replaces every tensor's values with their mean over the ranks: the running statistics of batch normalization,
    /// or any other buffer each rank updates from its own shard.
    /// </summary>
    /// <remarks>xᵢ ← (Σᵣ xᵢ⁽ʳ⁾) / Size, written in place (inside <see cref="GradMode.Disable"/>).</remarks>
    /// <exception cref="DistributedException">A rank did not take part within <see cref="Timeout"/>.</exception>
    public void Average<T>(IReadOnlyList<Tensor<T>> tensors)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(tensors);
        using (GradMode.Disable())
        {
            foreach (var tensor in tensors)
            {
                var values = tensor.GetSpanForWrite();
                Sum(values);
                TensorPrimitives.Divide(values, T.CreateChecked(Size), values);
            }
        }
    }

    /// <summary>Waits until every rank has reached this call, for at most <paramref name="timeout"/> (default <see cref="Timeout"/>).</summary>
    /// <exception cref="DistributedException">A rank did not arrive in time.</exception>
    public void Barrier(TimeSpan? timeout = null)
    {
        nint request;
        Check(MpiNative.Ibarrier(_mpi.World, &request), "MPI_Ibarrier");
        Wait(new Span<nint>(&request, 1), "barrier", timeout);
    }

    /// <summary>Every rank's <paramref name="mine"/> (all of the same length), rank by rank.</summary>
    /// <exception cref="DistributedException">A rank did not take part within <see cref="Timeout"/>.</exception>
    internal T[] AllGather<T>(ReadOnlySpan<T> mine)
        where T : unmanaged
    {
        var all = new T[mine.Length * Size];
        var type = _mpi.TypeOf<T>();
        fixed (T* send = mine)
        fixed (T* receive = all)
        {
            nint request;
            Check(MpiNative.Iallgather(send, mine.Length, type, receive, mine.Length, type, _mpi.World, &request), "MPI_Iallgather");
            Wait(new Span<nint>(&request, 1), $"exchange of {mine.Length} {typeof(T).Name} values between the ranks");
        }
        return all;
    }

    /// <summary>Rank <paramref name="root"/>'s bytes on every rank (<paramref name="mine"/> is read on the root only).</summary>
    internal byte[] BroadcastBytes(byte[] mine, int root)
    {
        Span<long> length = [mine.LongLength];
        Broadcast(length, root);
        var bytes = Rank == root ? mine : new byte[length[0]];
        Broadcast(bytes.AsSpan(), root);
        return bytes;
    }

    /// <summary>The MPI datatype handle of <typeparamref name="T"/>.</summary>
    internal nint TypeOf<T>()
        where T : unmanaged => _mpi.TypeOf<T>();

    /// <summary>Starts an in-place sum over the ranks of <paramref name="count"/> values at <paramref name="buffer"/>, which must stay pinned until it completes.</summary>
    internal nint StartSum(void* buffer, int count, nint type)
    {
        nint request;
        // MPI_IN_PLACE is (void*)1 in Open MPI.
        Check(MpiNative.Iallreduce((void*)1, buffer, count, type, _mpi.Sum, _mpi.World, &request), "MPI_Iallreduce");
        return request;
    }

    /// <summary>Lets started operations progress (Open MPI advances nonblocking collectives inside MPI calls); returns whether all are complete.</summary>
    internal bool Progress(Span<nint> requests)
    {
        bool done = true;
        for (int i = 0; i < requests.Length; i++)
        {
            int flag;
            fixed (nint* request = &requests[i])
            {
                Check(MpiNative.Test(request, &flag, null), "MPI_Test");
            }
            done &= flag != 0;
        }
        return done;
    }

    /// <summary>
    /// Polls <paramref name="requests"/> until all complete: spinning at first, then yielding, then sleeping a
    /// millisecond at a time, so that a long wait leaves the processor to the others. Throws once
    /// <paramref name="timeout"/> (default <see cref="Timeout"/>) has passed.
    /// </summary>
    internal void Wait(Span<nint> requests, string operation, TimeSpan? timeout = null)
    {
        var limit = timeout ?? Timeout;
        long start = Stopwatch.GetTimestamp();
        while (!Progress(requests))
        {
            var waited = Stopwatch.GetElapsedTime(start);
            if (waited > limit)
            {
                IsFaulted = true;
                throw new DistributedException(string.Create(CultureInfo.InvariantCulture,
                    $"The {operation} did not complete within {limit.TotalSeconds:0.###} s (Communicator.Timeout) on rank {Rank} of {Size}: another rank has died or stopped responding. The job cannot continue; it is aborted. Restart it from the last checkpoint."));
            }
            if (waited < SpinTime)
            {
                Thread.SpinWait(4);
            }
            else if (waited < TimeSpan.FromMilliseconds(20))
            {
                Thread.Yield();
            }
            else
            {
                Thread.Sleep(1);
            }
        }
    }

    private void CheckRoot(int root)
    {
        if ((uint)root >= (uint)Size)
        {
            throw new ArgumentOutOfRangeException(nameof(root), root, $"Communicator: root rank {root} does not exist; the job has ranks 0 to {Size - 1}.");
        }
    }

    private static void Check(int code, string function)
    {
        if (code != 0)
        {
            throw new DistributedException($"{function} failed with MPI error code {code}.");
        }
    }

    /// <summary>At exit: finalizes MPI, or aborts the job when this process gave up on a rank.</summary>
    private void Finish()
    {
        if (Interlocked.Exchange(ref _finished, 1) != 0)
        {
            return;
        }
        if (IsFaulted)
        {
            _ = MpiNative.Abort(_mpi.World, 1);
            return;
        }
        int finalized;
        _ = MpiNative.Finalized(&finalized);
        if (finalized == 0)
        {
            _ = MpiNative.Finalize();
        }
    }

    /// <summary>Prints why this rank fails and stops every rank, which would otherwise wait for it until their timeout.</summary>
    private void AbortJob(Exception? exception)
    {
        if (Interlocked.Exchange(ref _finished, 1) != 0)
        {
            return;
        }
        Console.Error.WriteLine($"Rank {Rank} of {Size} aborts the MPI job after an unhandled {exception?.GetType().Name ?? "error"}: {exception?.Message}");
        Console.Error.Flush();
        // The launcher forwards each rank's output through its own process, and an abort may overtake a message still
        // on its way: once, on a busy machine, the fault test saw only the other rank's output. A moment's wait lets it pass.
        Thread.Sleep(AbortGrace);
        _ = MpiNative.Abort(_mpi.World, 1);
    }
}
