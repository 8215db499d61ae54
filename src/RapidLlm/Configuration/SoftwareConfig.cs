namespace RapidLlm.Configuration;

/// <summary>When data-parallel gradients are synchronised.</summary>
public enum DpMicrobatchSync
{
    /// <summary>After every micro-batch (<c>every_mb</c>, the default).</summary>
    EveryMicrobatch,
    /// <summary>Only after the last micro-batch (<c>last_mb</c>); ZeRO-3 still syncs every micro-batch.</summary>
    LastMicrobatch,
}

/// <summary>Software settings of a hardware file (<c>sw_param</c>).</summary>
/// <param name="KernelLaunchOverheadSeconds">Fixed cost added per kernel. Required.</param>
/// <param name="Precision">Element widths.</param>
/// <param name="HostToDeviceBandwidthBytesPerSecond">Host-to-device bandwidth for the embedding load; null (the default, YAML <c>-1</c>) disables it.</param>
/// <param name="DpZeroStage">ZeRO stage 0-3; default 0.</param>
/// <param name="FullRecomputation">Recompute all activations in backward; default false.</param>
/// <param name="DpMicrobatch">Gradient-sync frequency; default <see cref="DpMicrobatchSync.EveryMicrobatch"/>.</param>
/// <param name="ConstMemOffsetBytes">Bytes added to each device's static memory; default 0.</param>
/// <param name="GradAccumulationOverheadSeconds">Seconds added per gradient-accumulation GEMM cost; default 0.</param>
internal sealed record SoftwareConfig(
    double KernelLaunchOverheadSeconds,
    PrecisionConfig Precision,
    double? HostToDeviceBandwidthBytesPerSecond,
    int DpZeroStage,
    bool FullRecomputation,
    DpMicrobatchSync DpMicrobatch,
    double ConstMemOffsetBytes,
    double GradAccumulationOverheadSeconds);
