namespace RapidLlm.Results;

/// <summary>The time of one operation of a transformer layer in a training step, split into compute and communication.</summary>
/// <param name="Name">The operation ("qkv_proj", "attention", "mlp", …; embedding and LM head appear once).</param>
/// <param name="ForwardComputeSeconds">Forward compute time.</param>
/// <param name="ForwardCommunicationSeconds">Forward communication time.</param>
/// <param name="BackwardComputeSeconds">Backward compute time (0 for an operation without a backward pass).</param>
/// <param name="BackwardCommunicationSeconds">Backward communication time.</param>
public sealed record LayerOperationTime(
    string Name,
    double ForwardComputeSeconds,
    double ForwardCommunicationSeconds,
    double BackwardComputeSeconds,
    double BackwardCommunicationSeconds)
{
    /// <summary>Forward and backward, compute and communication.</summary>
    public double TotalSeconds => ForwardComputeSeconds + ForwardCommunicationSeconds + BackwardComputeSeconds + BackwardCommunicationSeconds;
}
