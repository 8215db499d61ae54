namespace RapidLlm.Memory;

/// <summary>
/// What one device holds at its peak, by component, in bytes. Static components are exact;
/// <see cref="ActivationBytes"/> is the remainder of the peak after static and ephemeral memory.
/// </summary>
/// <param name="WeightBytes">Layer weights (and master copies).</param>
/// <param name="GradientBytes">Layer gradients (training).</param>
/// <param name="OptimizerBytes">Layer optimizer states (training).</param>
/// <param name="ActivationBytes">Live activations.</param>
/// <param name="KvCacheBytes">KV cache (inference).</param>
/// <param name="EphemeralBytes">ZeRO-3 gathered parameters live at the peak.</param>
/// <param name="OtherStaticBytes">Embedding, LM head and the constant offset.</param>
public sealed record MemoryComponentBreakdown(
    double WeightBytes,
    double GradientBytes,
    double OptimizerBytes,
    double ActivationBytes,
    double KvCacheBytes,
    double EphemeralBytes,
    double OtherStaticBytes)
{
    /// <summary>Sum of all components.</summary>
    public double TotalBytes => WeightBytes + GradientBytes + OptimizerBytes + ActivationBytes + KvCacheBytes + EphemeralBytes + OtherStaticBytes;
}
