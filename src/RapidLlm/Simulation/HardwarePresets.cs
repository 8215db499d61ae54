using RapidLlm.Configuration;

namespace RapidLlm.Simulation;

/// <summary>
/// Common GPUs with their interconnect: compute, memory levels, number formats, network dimensions and the performance
/// model, taken from the shipped <c>configs/hardware-config</c> files (copies compiled into the assembly, parsed once each
/// on first use). A preset describes a device, not a run: it is one device with no ZeRO and no activation recomputation
/// (gradients are synchronised once per step, after the last micro-batch, as training frameworks do). State the run with
/// <see cref="LlmSimulationBuilder.Parallelism"/> and <see cref="LlmSimulationBuilder.Software"/>; the shipped YAML files
/// keep their own parallelism and software settings.
/// </summary>
/// <remarks>
/// The A100, H100 and H200 presets use RapidLlm's calibrated performance model (achievable rates fitted to measured
/// GPUs, physical energy); the <c>Reference…</c> presets are the same devices with the reference model's values
/// (<c>configs/hardware-config/reference/</c>), which reproduce RAPID-LLM exactly.
/// </remarks>
public static class HardwarePresets
{
    private static readonly Lazy<HardwareConfig> A100 = new(() => Device("a100_80GB.yaml"));
    private static readonly Lazy<HardwareConfig> H100 = new(() => Device("H100_SXM5_80GB.yaml"));
    private static readonly Lazy<HardwareConfig> H200 = new(() => Device("H200_SXM_141GB.yaml"));
    private static readonly Lazy<HardwareConfig> V100 = new(() => Device("v100.yaml"));
    private static readonly Lazy<HardwareConfig> ReferenceA100 = new(() => Device("reference/a100_80GB.yaml"));
    private static readonly Lazy<HardwareConfig> ReferenceH100 = new(() => Device("reference/H100_SXM5_80GB.yaml"));
    private static readonly Lazy<HardwareConfig> ReferenceH200 = new(() => Device("reference/H200_SXM_141GB.yaml"));

    /// <summary>NVIDIA A100 SXM4 80 GB with NVLink3 and HDR InfiniBand (<c>configs/hardware-config/a100_80GB.yaml</c>), calibrated model.</summary>
    public static HardwareConfig A100Sxm80GB => A100.Value;

    /// <summary>NVIDIA H100 SXM5 80 GB with NVLink4 and NDR InfiniBand (<c>configs/hardware-config/H100_SXM5_80GB.yaml</c>), calibrated model.</summary>
    public static HardwareConfig H100Sxm80GB => H100.Value;

    /// <summary>NVIDIA H200 SXM 141 GB (<c>configs/hardware-config/H200_SXM_141GB.yaml</c>), calibrated model: H100 compute, 141 GB HBM3e at 4.8 TB/s.</summary>
    public static HardwareConfig H200Sxm141GB => H200.Value;

    /// <summary>NVIDIA V100 SXM2 16 GB (<c>configs/hardware-config/v100.yaml</c>): one Ring network dimension, reference model.</summary>
    public static HardwareConfig V100Sxm16GB => V100.Value;

    /// <summary>A100 SXM4 80 GB with the reference model's values (<c>configs/hardware-config/reference/a100_80GB.yaml</c>).</summary>
    public static HardwareConfig ReferenceA100Sxm80GB => ReferenceA100.Value;

    /// <summary>H100 SXM5 80 GB with the reference model's values (<c>configs/hardware-config/reference/H100_SXM5_80GB.yaml</c>).</summary>
    public static HardwareConfig ReferenceH100Sxm80GB => ReferenceH100.Value;

    /// <summary>H200 SXM 141 GB with the reference model's values (<c>configs/hardware-config/reference/H200_SXM_141GB.yaml</c>).</summary>
    public static HardwareConfig ReferenceH200Sxm141GB => ReferenceH200.Value;

    /// <summary>The device of a shipped file: its run's choices (parallelism, ZeRO stage, recomputation) reset to none.</summary>
    internal static HardwareConfig DeviceOf(HardwareConfig file) => file with
    {
        Parallelism = ParallelismConfig.SingleDevice,
        Software = file.Software with { DpZeroStage = 0, FullRecomputation = false },
    };

    private static HardwareConfig Device(string file) => DeviceOf(EmbeddedConfigs.Hardware(file));
}
