namespace RapidLlm.Compute;

/// <summary>
/// Device numbers the reference hard-codes inside the GEMM model regardless of the configured hardware
/// (they describe an A100). Kept here so parity is the default and a calibrated variant is one object away.
/// </summary>
/// <param name="SmCount">SMs per wave, and the multiplier of the C tile in the DRAM reuse-distance capacity (108).</param>
/// <param name="PeakFlopsPerSecond">Peak rate used to pick the pipeline depth (312e12).</param>
/// <param name="DramBandwidthBytesPerSecond">DRAM rate used to pick the pipeline depth (7050 GiB/s).</param>
/// <param name="RegistersPerSm">Register budget per SM (65536).</param>
/// <param name="RegistersPerOperandRow">Registers per row/column of the input fragments (16).</param>
/// <param name="ShallowPipelineStages">Stages when loads are faster than compute (3).</param>
/// <param name="DeepPipelineStages">Stages otherwise (5).</param>
internal sealed record GemmHeuristicConstants(
    int SmCount,
    double PeakFlopsPerSecond,
    double DramBandwidthBytesPerSecond,
    long RegistersPerSm,
    long RegistersPerOperandRow,
    int ShallowPipelineStages,
    int DeepPipelineStages)
{
    /// <summary>The reference's values (A100) used for every device.</summary>
    public static GemmHeuristicConstants ReferenceA100 { get; } = new(
        SmCount: 108,
        PeakFlopsPerSecond: 312e12,
        DramBandwidthBytesPerSecond: 7050.0 * 1024 * 1024 * 1024,
        RegistersPerSm: 65536,
        RegistersPerOperandRow: 16,
        ShallowPipelineStages: 3,
        DeepPipelineStages: 5);
}
