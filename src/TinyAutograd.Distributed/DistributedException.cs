namespace TinyAutograd.Distributed;

/// <summary>
/// A distributed run cannot go on: the ranks disagree on the model, or a rank died or stopped responding. The message
/// names the rank that saw it and what was expected.
/// </summary>
/// <remarks>
/// After a rank stops responding the job cannot recover: an unhandled <see cref="DistributedException"/> (or any other
/// unhandled exception) makes <see cref="Communicator"/> abort the whole MPI job, and a process that catches it and
/// exits normally aborts the job at exit instead of waiting for the missing rank.
/// </remarks>
public sealed class DistributedException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public DistributedException()
        : base("A distributed run failed.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public DistributedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the exception that caused it.</summary>
    public DistributedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
