namespace RapidLlm.AstraSim.Running;

/// <summary>An AstraSim run failed: a non-zero exit, a timeout, or an exit without every rank's wall time.</summary>
public sealed class AstraSimRunException : RapidLlm.Execution.BackendRunException
{
    /// <summary>Creates the exception.</summary>
    public AstraSimRunException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public AstraSimRunException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public AstraSimRunException()
        : base("An AstraSim run failed.")
    {
    }
}
