using RapidLlm.Compute;
using RapidLlm.Configuration;
using RapidLlm.Hardware;
using RapidLlm.Network;
using RapidLlm.Operations;

namespace RapidLlm.Estimation;

/// <summary>
/// The cost models of one device type, built once per hardware description and shared by every estimate on it.
/// The GEMM model memoises its searches, so reusing one instance across estimates is what makes sweeps fast.
/// </summary>
public sealed class DeviceModels
{
    /// <summary>Builds the models of the device described by <paramref name="hardware"/>.</summary>
    /// <param name="hardware">The hardware description.</param>
    public DeviceModels(HardwareConfig hardware)
    {
        ArgumentNullException.ThrowIfNull(hardware);
        Config = hardware;
        Hardware = HardwareDerivation.Derive(hardware);
        var software = hardware.Software;
        Gemm = new TiledGemmModel(Hardware, software.Precision.ActivationsBytes, software.KernelLaunchOverheadSeconds);
        Collectives = new AnalyticalCollectives(Hardware, software.KernelLaunchOverheadSeconds);
        Operations = DeviceCostModels.Create(Hardware, Gemm, Collectives);
    }

    /// <summary>The hardware description the models were built from.</summary>
    public HardwareConfig Config { get; }

    /// <summary>The derived device (throughput, memory hierarchy).</summary>
    public HardwareModel Hardware { get; }

    /// <summary>The tiled GEMM model (memoised).</summary>
    public TiledGemmModel Gemm { get; }

    /// <summary>The analytical collective model.</summary>
    public AnalyticalCollectives Collectives { get; }

    /// <summary>The cost models the per-operation library consumes.</summary>
    public OperationCostModels Operations { get; }
}
