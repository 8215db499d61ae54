namespace RapidLlm.Search;

/// <summary>A search space with no candidate: the message starts with the axis that had no valid value (<c>dp: …</c>) and says why.</summary>
public sealed class SearchSpaceException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="axis">The axis with no valid value (e.g. <c>tp</c>).</param>
    /// <param name="message">The sentence saying why.</param>
    public SearchSpaceException(string axis, string message)
        : base(message) => Axis = axis;

    /// <summary>Creates the exception without an axis.</summary>
    public SearchSpaceException()
        : base("The search space is empty.") => Axis = "";

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public SearchSpaceException(string message)
        : base(message) => Axis = "";

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public SearchSpaceException(string message, Exception innerException)
        : base(message, innerException) => Axis = "";

    /// <summary>The axis that had no valid value (<c>tp</c>, <c>cp</c>, <c>pp</c>, <c>dp</c>, <c>ep</c>, <c>mb</c>, <c>zero_stage</c>, <c>recompute</c>, <c>pipeline_schedule</c>, <c>replicas</c>, <c>batch</c>, <c>gpus</c>).</summary>
    public string Axis { get; }
}
