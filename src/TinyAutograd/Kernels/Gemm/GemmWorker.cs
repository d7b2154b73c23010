namespace TinyAutograd.Kernels;

/// <summary>
/// One background thread of <see cref="GemmWorkerPool"/>: parked until given a part index, it runs that part of
/// the pool's current job and parks again. It lives for the rest of the process and never keeps it alive.
/// </summary>
internal sealed class GemmWorker
{
    private const int Idle = -1;

    private readonly object _gate = new();
    private int _part = Idle;

    public GemmWorker()
    {
        var thread = new Thread(Loop) { IsBackground = true, Name = "TinyAutograd GEMM worker" };
        thread.Start();
    }

    /// <summary>Wakes the worker to run part <paramref name="part"/> of the pool's current job.</summary>
    public void Start(int part)
    {
        lock (_gate)
        {
            _part = part;
            Monitor.Pulse(_gate);
        }
    }

    private void Loop()
    {
        while (true)
        {
            int part;
            lock (_gate)
            {
                while (_part == Idle)
                {
                    Monitor.Wait(_gate);
                }

                part = _part;
                _part = Idle;
            }

            GemmWorkerPool.RunWorkerPart(part);
        }
    }
}
