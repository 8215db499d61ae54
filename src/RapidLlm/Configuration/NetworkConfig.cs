using RapidLlm.Common;

namespace RapidLlm.Configuration;

/// <summary>The network of a hardware file (<c>network</c>).</summary>
/// <param name="Overlap">Compute/communication overlap fractions.</param>
/// <param name="Dimensions">Network dimensions, innermost first (at least one).</param>
/// <param name="FaultyLinks">Degraded links (full AstraSim modes only); empty by default.</param>
internal sealed record NetworkConfig(
    NetworkOverlapConfig Overlap,
    EquatableArray<NetworkDimensionConfig> Dimensions,
    EquatableArray<FaultyLink> FaultyLinks);

/// <summary>Overlap fractions (<c>network.overlap</c>), each in [0, 1]; all three are required.</summary>
/// <param name="TpOverlap">Fraction of a TP compute node that runs concurrently with its communication.</param>
/// <param name="TpSpOverlap">The same for TP with sequence parallelism.</param>
/// <param name="CpOverlap">Fraction of CP communication hidden behind attention.</param>
internal sealed record NetworkOverlapConfig(double TpOverlap, double TpSpOverlap, double CpOverlap);

/// <summary>A degraded link between two endpoints (<c>network.faulty_links[i]</c>).</summary>
/// <param name="Source">Source endpoint (≥ 0).</param>
/// <param name="Destination">Destination endpoint (≥ 0).</param>
/// <param name="Weight">Reliability weight in [0, 1].</param>
internal sealed record FaultyLink(int Source, int Destination, double Weight);

/// <summary>One network dimension (<c>network.dimensions[i]</c>).</summary>
/// <param name="Id">Identifier; default <c>dim&lt;i&gt;</c>.</param>
/// <param name="Label">Display name; default the id.</param>
/// <param name="SizeSpec">The size as written.</param>
/// <param name="Size">Size resolved when the file is parsed (product of the listed axes with training sizes); per-run sizes come from the derivation.</param>
/// <param name="Size2D">Shape of a 2-D dimension, or null.</param>
/// <param name="Topology">Link topology and figures.</param>
/// <param name="CollectiveOverrides">Per-dimension AstraSim algorithm overrides (<c>collective_override</c>); empty by default.</param>
/// <param name="Parallelisms">Axes whose traffic uses this dimension; empty by default.</param>
internal sealed record NetworkDimensionConfig(
    string Id,
    string Label,
    DimensionSizeSpec SizeSpec,
    int Size,
    DimensionShape? Size2D,
    TopologyConfig Topology,
    EquatableArray<CollectiveOverride> CollectiveOverrides,
    EquatableArray<ParallelismAxis> Parallelisms);

/// <summary>How a dimension's size was written.</summary>
internal enum DimensionSizeKind
{
    /// <summary><c>auto</c>: the product of the listed axes.</summary>
    Auto,
    /// <summary>An integer. The reference ignores it and uses the product of the axes (a warning is reported when they differ).</summary>
    IgnoredInteger,
    /// <summary>A two-entry shape for 2-D topologies (ints, axis names or one <c>auto</c>).</summary>
    TwoDimensional,
}

/// <summary>A dimension size as written in YAML.</summary>
/// <param name="Kind">The form.</param>
/// <param name="DeclaredInteger">The integer written, for <see cref="DimensionSizeKind.IgnoredInteger"/>.</param>
/// <param name="Entries">The two entries (as text), for <see cref="DimensionSizeKind.TwoDimensional"/>.</param>
internal sealed record DimensionSizeSpec(DimensionSizeKind Kind, double? DeclaredInteger, EquatableArray<string> Entries)
{
    /// <summary>The <c>auto</c> size.</summary>
    public static DimensionSizeSpec Auto { get; } = new(DimensionSizeKind.Auto, null, EquatableArray<string>.Empty);
}

/// <summary>Shape of a 2-D network dimension.</summary>
/// <param name="First">First extent.</param>
/// <param name="Second">Second extent.</param>
internal readonly record struct DimensionShape(int First, int Second);

/// <summary>An AstraSim collective algorithm chosen for one dimension.</summary>
/// <param name="Collective">The collective name as written (e.g. <c>all_reduce</c>).</param>
/// <param name="Algorithm">The algorithm name (e.g. <c>ring</c>).</param>
internal sealed record CollectiveOverride(string Collective, string Algorithm);

/// <summary>Network topology kinds.</summary>
public enum TopologyType
{
    /// <summary>Ring (the only kind the analytical backend accepts).</summary>
    Ring,
    /// <summary>Fully connected (<c>FullyConnected</c> or <c>FC</c>).</summary>
    FullyConnected,
    /// <summary>Switch.</summary>
    Switch,
    /// <summary>1-D mesh.</summary>
    Mesh,
    /// <summary>Hypercube.</summary>
    HyperCube,
    /// <summary>2-D torus (first dimension only).</summary>
    Torus2D,
    /// <summary>2-D mesh (first dimension only).</summary>
    Mesh2D,
    /// <summary>2-D king mesh (first dimension only).</summary>
    KingMesh2D,
    /// <summary>Fully connected × ring 2-D (<c>FC-Ring2D</c>, first dimension only).</summary>
    FcRing2D,
    /// <summary>NVIDIA SuperPOD leaf/spine fabric.</summary>
    SuperPod,
}

/// <summary>Topology of one dimension (<c>network.dimensions[i].topology</c>).</summary>
/// <param name="Type">Topology kind. Required.</param>
/// <param name="TypeName">The kind as written.</param>
/// <param name="BandwidthBytesPerSecond">Link bandwidth (first entry of a two-entry tuple). Required, &gt; 0.</param>
/// <param name="SecondaryBandwidthBytesPerSecond">Second entry of a two-entry bandwidth tuple (2-D or SuperPOD), or null.</param>
/// <param name="LatencySeconds">Latency per message or ring step. Required.</param>
/// <param name="Util">Bandwidth derate; default 1, &gt; 0.</param>
/// <param name="EnergyPerBitJoules">Energy per bit. Required, ≥ 0.</param>
/// <param name="Optimize2DMap">Remap ranks onto the 2-D shape; default false (2-D topologies only).</param>
/// <param name="SuperPod">SuperPOD settings, for <see cref="TopologyType.SuperPod"/>.</param>
internal sealed record TopologyConfig(
    TopologyType Type,
    string TypeName,
    double BandwidthBytesPerSecond,
    double? SecondaryBandwidthBytesPerSecond,
    double LatencySeconds,
    double Util,
    double EnergyPerBitJoules,
    bool Optimize2DMap,
    SuperPodConfig? SuperPod)
{
    /// <summary>Bandwidth the analytical model uses: bandwidth × util.</summary>
    public double EffectiveBandwidthBytesPerSecond => BandwidthBytesPerSecond * Util;

    /// <summary>True for topologies only allowed on the first dimension.</summary>
    public bool IsTwoDimensional => Type is TopologyType.Torus2D or TopologyType.Mesh2D or TopologyType.KingMesh2D or TopologyType.FcRing2D;
}

/// <summary>SuperPOD fabric settings.</summary>
/// <param name="Variant">Variant; only <c>h100</c> exists.</param>
/// <param name="LeafSize">Boxes per scalable unit; default 32.</param>
/// <param name="LeafSwitchesPerScalableUnit">Leaf switches per SU; default 8.</param>
/// <param name="SpineSwitchesPerScalableUnit">Spine switches per SU; default 4.</param>
internal sealed record SuperPodConfig(string Variant, int LeafSize, int LeafSwitchesPerScalableUnit, int SpineSwitchesPerScalableUnit);
