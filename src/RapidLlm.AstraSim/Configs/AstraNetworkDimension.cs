using RapidLlm.Configuration;

namespace RapidLlm.AstraSim.Configs;

/// <summary>One entry of AstraSim's analytical network file, after 2-D and SuperPOD expansion.</summary>
/// <param name="Topology">AstraSim's topology name (Ring, FullyConnected, Switch, Mesh, HyperCube, KingMesh2D, ...).</param>
/// <param name="Npus">NPUs on this dimension (the product of a KingMesh2D shape).</param>
/// <param name="Shape">The X×Y shape written for KingMesh2D, else null.</param>
/// <param name="BandwidthGBps">Link bandwidth in GiB/s (AstraSim's GB is 2^30 bytes), util applied, 6 decimals.</param>
/// <param name="LatencyNs">Link latency in nanoseconds, 3 decimals.</param>
/// <param name="Source">The hardware-config dimension this entry came from (for collective overrides).</param>
internal sealed record AstraNetworkDimension(
    string Topology,
    int Npus,
    DimensionShape? Shape,
    double BandwidthGBps,
    double LatencyNs,
    NetworkDimensionConfig? Source);
