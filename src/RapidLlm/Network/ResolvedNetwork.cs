using RapidLlm.Common;
using RapidLlm.Configuration;

namespace RapidLlm.Network;

/// <summary>The network as one run type sees it: dimension sizes re-derived from that run's active axis sizes, and one link per axis.</summary>
/// <param name="RunType">The run type the sizes were resolved for.</param>
/// <param name="AxisSizes">Active size of each axis (inference: dp = 1 and ep = moe_dp; training: dp and ep from parallelism.train).</param>
/// <param name="Dimensions">Dimensions with resolved sizes.</param>
/// <param name="Links">The link each axis uses.</param>
internal sealed record ResolvedNetwork(
    RunType RunType,
    EquatableArray<AxisSize> AxisSizes,
    EquatableArray<NetworkDimensionConfig> Dimensions,
    EquatableArray<AxisLink> Links)
{
    /// <summary>The link used by an axis.</summary>
    /// <param name="axis">The axis.</param>
    public Link LinkFor(ParallelismAxis axis) => Links.First(l => l.Axis == axis).Link;

    /// <summary>The active size of an axis.</summary>
    /// <param name="axis">The axis.</param>
    public int SizeOf(ParallelismAxis axis) => AxisSizes.First(a => a.Axis == axis).Size;

    /// <summary>Energy per bit of each dimension, in order.</summary>
    public EquatableArray<double> EnergiesPerBitJoules => new(Dimensions.Select(d => d.Topology.EnergyPerBitJoules));

    /// <summary>Devices in the run: the product of the dimension sizes.</summary>
    public int NumWorkers => Dimensions.Aggregate(1, (acc, d) => acc * d.Size);
}
