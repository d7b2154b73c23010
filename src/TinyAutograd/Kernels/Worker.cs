namespace TinyAutograd.Kernels;

/// <summary>
/// One background thread of <see cref="WorkerPool"/>: parked until woken, it helps with the pool's current
/// job until no part is left to claim, then with each job that comes while it polls, and parks once none comes. It
/// lives for the rest of the process and never keeps it alive.
/// </summary>
internal sealed class Worker
{
    private readonly object _gate = new();
    private bool _woken;

    public Worker()
    {
        var thread = new Thread(Loop) { IsBackground = true, Name = "TinyAutograd GEMM worker" };
        thread.Start();
    }

    /// <summary>Asks the worker to help with the pool's current job.</summary>
    public void Wake()
    {
        lock (_gate)
        {
            _woken = true;
            Monitor.Pulse(_gate);
        }
    }

    private void Loop()
    {
        while (true)
        {
            lock (_gate)
            {
                while (!_woken)
                {
                    Monitor.Wait(_gate);
                }

                _woken = false;
            }

            do
            {
                WorkerPool.Help();
            }
            while (WorkerPool.AwaitWork());
        }
    }
}
