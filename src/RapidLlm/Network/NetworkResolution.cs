using RapidLlm.Common;
using RapidLlm.Configuration;

namespace RapidLlm.Network;

/// <summary>
/// Resolves a hardware file's network for one run type: which axes are active at which size, how big each dimension
/// is, and which link each axis uses.
/// </summary>
internal static class NetworkResolution
{
    private static readonly ParallelismAxis[] AllAxes = [ParallelismAxis.Tp, ParallelismAxis.Cp, ParallelismAxis.Ep, ParallelismAxis.Pp, ParallelismAxis.Dp];

    /// <summary>
    /// Active axis sizes of a run type: training uses parallelism.train's dp and ep; inference has no data
    /// parallelism (dp = 1, replicas are independent) and uses moe_dp as the expert axis.
    /// </summary>
    /// <param name="parallelism">The parallelism settings.</param>
    /// <param name="runType">The run type.</param>
    public static EquatableArray<AxisSize> ActiveAxisSizes(ParallelismConfig parallelism, RunType runType)
    {
        var inference = runType == RunType.Inference;
        return new EquatableArray<AxisSize>(
        [
            new(ParallelismAxis.Tp, parallelism.Tp),
            new(ParallelismAxis.Cp, parallelism.Cp),
            new(ParallelismAxis.Ep, inference ? parallelism.Inference.MoeDp : parallelism.Train.Ep),
            new(ParallelismAxis.Pp, parallelism.Pp),
            new(ParallelismAxis.Dp, inference ? 1 : parallelism.Train.Dp),
        ]);
    }

    /// <summary>
    /// The network for one run type. Each dimension listing axes gets the product of their active sizes (a 2-D
    /// shape is kept as parsed). Each axis uses the dimension that lists it, else dimension 0, with link
    /// bandwidth × util (the first entry of a two-entry bandwidth) and the dimension's latency.
    /// </summary>
    /// <param name="config">A loaded hardware configuration.</param>
    /// <param name="runType">The run type.</param>
    public static ResolvedNetwork Resolve(HardwareConfig config, RunType runType)
    {
        var sizes = ActiveAxisSizes(config.Parallelism, runType);
        var dimensions = config.Network.Dimensions.Select(d =>
        {
            if (d.Parallelisms.Count == 0) return d;
            var expected = d.Parallelisms.Aggregate(1, (acc, axis) => acc * Math.Max(1, sizes.First(s => s.Axis == axis).Size));
            return expected == d.Size ? d : d with { Size = expected };
        }).ToList();
        var links = AllAxes.Select(axis =>
        {
            var dim = dimensions.FirstOrDefault(d => d.Parallelisms.Contains(axis)) ?? dimensions.FirstOrDefault();
            var link = dim is null ? new Link(0, 0) : new Link(dim.Topology.EffectiveBandwidthBytesPerSecond, dim.Topology.LatencySeconds);
            return new AxisLink(axis, link);
        });
        return new ResolvedNetwork(runType, sizes, new EquatableArray<NetworkDimensionConfig>(dimensions), new EquatableArray<AxisLink>(links));
    }

    /// <summary>The link an axis uses in a run type.</summary>
    /// <param name="config">A loaded hardware configuration.</param>
    /// <param name="axis">The axis.</param>
    /// <param name="runType">The run type.</param>
    public static Link LinkFor(HardwareConfig config, ParallelismAxis axis, RunType runType) => Resolve(config, runType).LinkFor(axis);
}
