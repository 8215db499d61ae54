namespace RapidLlm.Execution;

/// <summary>
/// The execution backend a simulation needs cannot run here (a missing external tool, or a backend that is not
/// registered); the message says how to get one. The input may be valid: the fix is on the machine or in the wiring.
/// </summary>
public class BackendUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is missing and how to get it, in a sentence.</param>
    public BackendUnavailableException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    /// <param name="message">What is missing and how to get it.</param>
    /// <param name="innerException">The cause.</param>
    public BackendUnavailableException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public BackendUnavailableException() : base("The execution backend is not available.")
    {
    }
}
