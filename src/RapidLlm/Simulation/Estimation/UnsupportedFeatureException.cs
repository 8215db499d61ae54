namespace RapidLlm.Simulation;

/// <summary>
/// Thrown when a valid configuration asks for something this version cannot estimate yet (for example mixture-of-experts
/// models in a backend that does not model them). The message says what and what to do instead.
/// </summary>
public sealed class UnsupportedFeatureException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is not supported, in a sentence.</param>
    public UnsupportedFeatureException(string message) : base(message)
    {
    }
}
