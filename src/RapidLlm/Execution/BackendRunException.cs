namespace RapidLlm.Execution;

/// <summary>
/// The execution backend was available and the input valid, but its run failed (an external simulator crashed,
/// deadlocked or timed out). Not the user's input: the message says what the backend reported.
/// </summary>
public class BackendRunException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, in a sentence.</param>
    public BackendRunException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public BackendRunException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public BackendRunException() : base("The execution backend's run failed.")
    {
    }
}
