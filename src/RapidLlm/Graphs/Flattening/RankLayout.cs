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

    private readonly int _tp = 1;
    private readonly int _cp = 1;
    private readonly int _ep = 1;
    private readonly int _pp = 1;
    private readonly int _dp = 1;
    private readonly EquatableArray<ParallelismAxis> _axes = EquatableArray<ParallelismAxis>.Empty;

    // What each coordinate is worth in the device id; every init (also a `with`) recomputes it from the fields.
    private readonly IdWeights _weights = IdWeights.Of(1, 1, 1, 1, 1, EquatableArray<ParallelismAxis>.Empty);

    /// <summary>Tensor-parallel degree.</summary>
    public int TensorParallel { get => _tp; init { _tp = value; _weights = Weights(); } }

    /// <summary>Context-parallel degree.</summary>
    public int ContextParallel { get => _cp; init { _cp = value; _weights = Weights(); } }

    /// <summary>Expert-parallel degree.</summary>
    public int ExpertParallel { get => _ep; init { _ep = value; _weights = Weights(); } }

    /// <summary>Pipeline stages.</summary>
    public int PipelineStages { get => _pp; init { _pp = value; _weights = Weights(); } }

    /// <summary>Data-parallel degree.</summary>
    public int DataParallel { get => _dp; init { _dp = value; _weights = Weights(); } }

    /// <summary>
    /// Axes named by the network dimensions, in canonical order; empty when the hardware declares no
    /// dimensions (then the plain stage-major numbering applies).
    /// </summary>
    public EquatableArray<ParallelismAxis> Axes { get => _axes; init { _axes = value; _weights = Weights(); } }

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
        var named = new bool[CanonicalOrder.Length];
        foreach (var axis in namedAxes)
        {
            named[(int)axis] = true;
        }

        var axes = new List<ParallelismAxis>(CanonicalOrder.Length);
        foreach (var axis in CanonicalOrder)
        {
            if (named[(int)axis])
            {
                axes.Add(axis);
            }
        }

        RequireNamed(named, ParallelismAxis.Tp, tp, nameof(namedAxes));
        RequireNamed(named, ParallelismAxis.Cp, cp, nameof(namedAxes));
        RequireNamed(named, ParallelismAxis.Ep, ep, nameof(namedAxes));
        RequireNamed(named, ParallelismAxis.Pp, pp, nameof(namedAxes));
        return new RankLayout
        {
            TensorParallel = Math.Max(1, tp),
            ContextParallel = Math.Max(1, cp),
            ExpertParallel = Math.Max(1, ep),
            PipelineStages = Math.Max(1, pp),
            DataParallel = Math.Max(1, dp),
            Axes = new EquatableArray<ParallelismAxis>(axes),
        };
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

        var w = _weights;
        if (w.ChecksStage && (stage < 0 || stage >= PipelineStages))
        {
            throw new ArgumentOutOfRangeException(nameof(stage), stage, $"Stage must be below {PipelineStages}.");
        }

        return (rank % w.TpSize * w.Tp) + (rank / w.TpSize % w.CpSize * w.Cp) + (rank / (w.TpSize * w.CpSize) % w.EpSize * w.Ep) + (stage * w.Pp);
    }

    private static void RequireNamed(bool[] named, ParallelismAxis axis, int size, string parameter)
    {
        if (size > 1 && !named[(int)axis])
        {
            throw new ArgumentException($"The network layout must include '{axis.ToString().ToLowerInvariant()}' when its degree is above 1.", parameter);
        }
    }

    private IdWeights Weights() => IdWeights.Of(_tp, _cp, _ep, _pp, _dp, _axes);

    /// <summary>
    /// The device id as a weighted sum of the tp, cp, ep coordinates of the rank and the stage: with named axes each
    /// named one weighs the product of the sizes of the named axes before it (0 when unnamed); without, the numbering
    /// is stage-major (<c>stage · ranks + rank</c>).
    /// </summary>
    private readonly record struct IdWeights(int TpSize, int CpSize, int EpSize, int Tp, int Cp, int Ep, int Pp, bool ChecksStage)
    {
        public static IdWeights Of(int tp, int cp, int ep, int pp, int dp, EquatableArray<ParallelismAxis> axes)
        {
            int tpSize = Math.Max(1, tp), cpSize = Math.Max(1, cp), epSize = Math.Max(1, ep);
            if (axes.Count == 0)
            {
                return new IdWeights(tpSize, cpSize, epSize, 1, tpSize, tpSize * cpSize, Math.Max(1, tp * cp * ep), ChecksStage: false);
            }

            int wTp = 0, wCp = 0, wEp = 0, wPp = 0, stride = 1;
            var checksStage = false;
            foreach (var axis in axes.AsImmutableArray())
            {
                switch (axis)
                {
                    case ParallelismAxis.Tp: wTp = stride; stride *= tp; break;
                    case ParallelismAxis.Cp: wCp = stride; stride *= cp; break;
                    case ParallelismAxis.Ep: wEp = stride; stride *= ep; break;
                    case ParallelismAxis.Pp: wPp = stride; stride *= pp; checksStage = true; break;
                    default: stride *= dp; break;
                }
            }

            return new IdWeights(tpSize, cpSize, epSize, wTp, wCp, wEp, wPp, checksStage);
        }
    }
}
