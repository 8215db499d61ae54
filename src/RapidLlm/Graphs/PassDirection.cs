namespace RapidLlm.Graphs;

/// <summary>Forward or backward pass.</summary>
internal enum PassDirection
{
    /// <summary>Forward pass (also used for recomputation).</summary>
    Forward,
    /// <summary>Backward pass.</summary>
    Backward,
}
