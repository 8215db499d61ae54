using RapidLlm.Common;
using RapidLlm.Network;

namespace RapidLlm.Graphs.Flattening;

/// <summary>
/// Maps (pipeline stage, rank inside the stage) to a global device id. With network dimensions the
/// id is a mixed-radix number over the axes the dimensions name, always in the canonical order
/// tp, cp, ep, pp, dp (the first axis varies fastest); without them it is <c>stage · (tp·cp·ep) + rank</c>.
/// The rank inside a stage enumerates tp fastest, then cp, then ep.
/// </summary>
internal sealed record RankLayout
{
    private static readonly ParallelismAxis[] CanonicalOrder =
        [ParallelismAxis.Tp, ParallelismAxis.Cp, ParallelismAxis.Ep, ParallelismAxis.Pp, ParallelismAxis.Dp];

    /// <summary>Tensor-parallel degree.</summary>
    public int TensorParallel { get; init; } = 1;

    /// <summary>Context-parallel degree.</summary>
    public int ContextParallel { get; init; } = 1;

    /// <summary>Expert-parallel degree.</summary>
    public int ExpertParallel { get; init; } = 1;

    /// <summary>Pipeline stages.</summary>
    public int PipelineStages { get; init; } = 1;

    /// <summary>Data-parallel degree.</summary>
    public int DataParallel { get; init; } = 1;

    /// <summary>
    /// Axes named by the network dimensions, in canonical order; empty when the hardware declares no
    /// dimensions (then the plain stage-major numbering applies).
    /// </summary>
    public EquatableArray<ParallelismAxis> Axes { get; init; } = EquatableArray<ParallelismAxis>.Empty;

    /// <summary>Ranks per pipeline stage (tp·cp·ep).</summary>
    public int RanksPerStage => Math.Max(1, TensorParallel * ContextParallel * ExpertParallel);

    /// <summary>Creates a layout from the axes the network dimensions list (any order, repeats allowed).</summary>
    /// <param name="namedAxes">Axes named by the dimensions.</param>
    /// <param name="tp">Tensor-parallel degree.</param>
    /// <param name="cp">Context-parallel degree.</param>
    /// <param name="ep">Expert-parallel degree.</param>
    /// <param name="pp">Pipeline stages.</param>
    /// <param name="dp">Data-parallel degree.</param>
    /// <returns>The layout.</returns>
    public static RankLayout FromNamedAxes(IEnumerable<ParallelismAxis> namedAxes, int tp, int cp, int ep, int pp, int dp)
    {
        ArgumentNullException.ThrowIfNull(namedAxes);
        var named = new HashSet<ParallelismAxis>(namedAxes);
        var axes = CanonicalOrder.Where(named.Contains).ToArray();
        var layout = new RankLayout
        {
            TensorParallel = Math.Max(1, tp),
            ContextParallel = Math.Max(1, cp),
            ExpertParallel = Math.Max(1, ep),
            PipelineStages = Math.Max(1, pp),
            DataParallel = Math.Max(1, dp),
            Axes = new EquatableArray<ParallelismAxis>(axes),
        };
        foreach (var (axis, size) in new[] { (ParallelismAxis.Tp, tp), (ParallelismAxis.Cp, cp), (ParallelismAxis.Ep, ep), (ParallelismAxis.Pp, pp) })
        {
            if (size > 1 && !named.Contains(axis))
            {
                throw new ArgumentException($"The network layout must include '{axis.ToString().ToLowerInvariant()}' when its degree is above 1.", nameof(namedAxes));
            }
        }

        return layout;
    }

    /// <summary>Device id of one rank of one stage.</summary>
    /// <param name="stage">Pipeline stage.</param>
    /// <param name="rank">Rank inside the stage, 0 ≤ rank &lt; <see cref="RanksPerStage"/>.</param>
    /// <returns>Global device id.</returns>
    public int HardwareId(int stage, int rank)
    {
        if (rank < 0 || rank >= RanksPerStage)
        {
            throw new ArgumentOutOfRangeException(nameof(rank), rank, $"Rank must be below {RanksPerStage}.");
        }

        if (Axes.Count == 0)
        {
            return stage * RanksPerStage + rank;
        }

        var id = 0;
        var stride = 1;
        foreach (var axis in Axes.AsImmutableArray())
        {
            var size = SizeOf(axis);
            var coordinate = axis switch
            {
                ParallelismAxis.Tp => rank % TensorParallel,
                ParallelismAxis.Cp => rank / TensorParallel % ContextParallel,
                ParallelismAxis.Ep => rank / (TensorParallel * ContextParallel) % ExpertParallel,
                ParallelismAxis.Pp => StageCoordinate(stage),
                _ => 0,
            };
            id += coordinate * stride;
            stride *= size;
        }

        return id;
    }

    private int StageCoordinate(int stage)
    {
        if (stage < 0 || stage >= PipelineStages)
        {
            throw new ArgumentOutOfRangeException(nameof(stage), stage, $"Stage must be below {PipelineStages}.");
        }

        return stage;
    }

    private int SizeOf(ParallelismAxis axis) => axis switch
    {
        ParallelismAxis.Tp => TensorParallel,
        ParallelismAxis.Cp => ContextParallel,
        ParallelismAxis.Ep => ExpertParallel,
        ParallelismAxis.Pp => PipelineStages,
        _ => DataParallel,
    };
}
