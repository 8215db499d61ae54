using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Network;

namespace RapidLlm.AstraSim.Traces;

/// <summary>
/// How a graph's hardware ids decompose into parallelism coordinates (first axis varies fastest), used to rebuild
/// communicator groups: transformer graphs use tp/cp/ep, pipeline graphs pp, flattened graphs tp/cp/ep/pp.
/// </summary>
/// <param name="Axes">Axes in order with their sizes.</param>
internal sealed record AstraRankLayout(EquatableArray<AxisSize> Axes)
{
    /// <summary>A layout with no axes (no tp/cp/ep groups are built).</summary>
    public static AstraRankLayout None { get; } = new(EquatableArray<AxisSize>.Empty);

    /// <summary>Size of <paramref name="axis"/>, 1 when absent.</summary>
    public int SizeOf(ParallelismAxis axis) => Axes.Where(a => a.Axis == axis).Select(a => Math.Max(1, a.Size)).DefaultIfEmpty(1).First();

    /// <summary>The coordinate of hardware id <paramref name="hardwareId"/> along every axis.</summary>
    public IReadOnlyDictionary<ParallelismAxis, int> Coordinates(int hardwareId)
    {
        var coordinates = new Dictionary<ParallelismAxis, int>();
        var remaining = hardwareId;
        foreach (var (axis, size) in Axes)
        {
            if (size > 1)
            {
                coordinates[axis] = remaining % size;
                remaining /= size;
            }
            else
            {
                coordinates[axis] = 0;
            }
        }

        return coordinates;
    }

    /// <summary>
    /// The axes that select network dimensions for this layout: axes larger than 1 in order, with dp moved last when
    /// data parallelism is simulated.
    /// </summary>
    public EquatableArray<ParallelismAxis> NetworkAxes(int dataParallel)
    {
        var axes = Axes.Where(a => a.Size > 1).Select(a => a.Axis).Distinct().ToList();
        if (dataParallel > 1)
        {
            axes.Remove(ParallelismAxis.Dp);
            axes.Add(ParallelismAxis.Dp);
        }

        return new EquatableArray<ParallelismAxis>(axes);
    }
}
