namespace RapidLlm.Configuration;

/// <summary>
/// Bytes per element for each kind of tensor. Both schemas normalise to this record: the seed's
/// <c>mixed_precision</c>/<c>param_storage_mode</c> flags are translated into explicit sizes.
/// </summary>
/// <param name="TensorFormatBytes">Baseline width (<c>tensor_format</c>); activations use it. Required.</param>
/// <param name="KvCacheBytes">KV-cache element width (<c>kv_cache</c>). Required.</param>
/// <param name="ParametersBytes">Weight width (<c>parameters</c>); default: the tensor format.</param>
/// <param name="GradientsBytes">Accumulated-gradient width (<c>gradients</c>); default 4 (fp32).</param>
/// <param name="GradCommunicationBytes">Width of gradients on the wire (<c>grad_communication</c>); default: the tensor format.</param>
/// <param name="OptimizerStatesBytes">Optimizer-state width (<c>optimizer_states</c>); default 4 (fp32).</param>
/// <param name="StatsBytes">Normalisation-statistics width (<c>stats</c>); default 4 (fp32).</param>
/// <param name="MasterParametersBytes">Master-weight copy width (<c>master_parameters</c>); 0 (the default) means no copy.</param>
internal sealed record PrecisionConfig(
    double TensorFormatBytes,
    double KvCacheBytes,
    double ParametersBytes,
    double GradientsBytes,
    double GradCommunicationBytes,
    double OptimizerStatesBytes,
    double StatsBytes,
    double MasterParametersBytes)
{
    /// <summary>Activation width; always the tensor format.</summary>
    public double ActivationsBytes => TensorFormatBytes;

    /// <summary>True when a separate master copy of the weights is kept.</summary>
    public bool RequiresMasterCopy => MasterParametersBytes > 0.0;
}
