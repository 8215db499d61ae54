using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Execution;
using RapidLlm.Graphs;
using RapidLlm.Graphs.Flattening;
using RapidLlm.Graphs.Overlap;
using RapidLlm.Network;
using RapidLlm.Operations;

namespace RapidLlm.AstraSim.Execution;

/// <summary>Builds the layer-graph and flattening inputs of a step from the hardware config, as the memory model does.</summary>
internal static class AstraLayerGraphs
{
    public static TransformerGraphInput TransformerInput(HardwareConfig hardware, LayerStep step) =>
        ChainInput(hardware, step, step.Ops);

    /// <summary>The MoE layer's graph input: its own chain, with ep ranks and the routing group for the exchanges.</summary>
    public static TransformerGraphInput? MoeTransformerInput(HardwareConfig hardware, LayerStep step) =>
        step.Moe is { } moe
            ? ChainInput(hardware, step, moe.Ops) with { ExpertParallel = Math.Max(1, moe.ExpertParallel), ExpertRoutingGroup = Math.Max(1, moe.RoutingGroup) }
            : null;

    private static TransformerGraphInput ChainInput(HardwareConfig hardware, LayerStep step, EquatableArray<TransformerGraphOp> ops)
    {
        var par = hardware.Parallelism;
        return new TransformerGraphInput
        {
            Ops = new EquatableArray<TransformerOpTiming>(ops.Select(op => new TransformerOpTiming(
                op.Name, op.Forward.DurationSeconds, op.Backward.DurationSeconds, op.Forward.CommBytes, op.Backward.CommBytes))),
            Mode = step.Mode,
            TensorParallel = par.Tp,
            ContextParallel = par.Cp,
            DataParallel = DataParallel(hardware, step.RunType),
            PipelineStages = par.Pp,
        };
    }

    public static FlatteningInput Flattening(HardwareConfig hardware, LayerStep step)
    {
        var overlap = hardware.Network.Overlap;
        return new FlatteningInput
        {
            Transformer = TransformerInput(hardware, step),
            MoeTransformer = MoeTransformerInput(hardware, step),
            // MoE models place ep (moe_dp in inference) ranks per stage beside tp and cp, as the memory model does.
            ExpertParallel = step.Moe is { } moe ? Math.Max(1, moe.ExpertParallel) : 1,
            PerRankExpertCollectives = true,
            ZeroStage = hardware.Software.DpZeroStage,
            Layout = RankLayoutOf(hardware, step.RunType),
            Overlap = new OverlapSettings(overlap.TpOverlap, overlap.TpSpOverlap, overlap.CpOverlap),
        };
    }

    /// <summary>Data-parallel replicas AstraSim simulates: dp for training, 1 for inference (the reference's override).</summary>
    public static int DataParallel(HardwareConfig hardware, RunType runType) =>
        runType == RunType.Training ? Math.Max(1, hardware.Parallelism.Train.Dp) : 1;

    /// <summary>
    /// The layer graphs' ranks: tp, cp and ep coordinates inside one stage. A graph holds ep ranks only when it is a MoE
    /// layer's (<see cref="TransformerGraphInput.ExpertParallel"/>); dense layers of a MoE model are identical along ep.
    /// </summary>
    public static Traces.AstraRankLayout LayerLayout(HardwareConfig hardware, TransformerGraphInput input)
    {
        var par = hardware.Parallelism;
        return new Traces.AstraRankLayout(new EquatableArray<AxisSize>(
            [new AxisSize(ParallelismAxis.Tp, par.Tp), new AxisSize(ParallelismAxis.Cp, par.Cp), new AxisSize(ParallelismAxis.Ep, Math.Max(1, input.ExpertParallel))]));
    }

    /// <summary>The flattened graph's ranks: hardware ids are mixed-radix tp, cp, ep, pp (tp fastest).</summary>
    public static Traces.AstraRankLayout FlattenedLayout(HardwareConfig hardware, RunType runType)
    {
        var par = hardware.Parallelism;
        var ep = runType == RunType.Training ? par.Train.Ep : par.Inference.MoeDp;
        return new Traces.AstraRankLayout(new EquatableArray<AxisSize>(
        [
            new AxisSize(ParallelismAxis.Tp, par.Tp), new AxisSize(ParallelismAxis.Cp, par.Cp),
            new AxisSize(ParallelismAxis.Ep, Math.Max(1, ep)), new AxisSize(ParallelismAxis.Pp, par.Pp),
            new AxisSize(ParallelismAxis.Dp, DataParallel(hardware, runType)),
        ]));
    }

    private static RankLayout? RankLayoutOf(HardwareConfig hardware, RunType runType)
    {
        var par = hardware.Parallelism;
        var named = hardware.Network.Dimensions.SelectMany(d => d.Parallelisms).ToList();
        var ep = runType == RunType.Training ? par.Train.Ep : par.Inference.MoeDp;
        // Without every active axis on some dimension the reference falls back to stage-major numbering.
        var missing = new[] { (ParallelismAxis.Tp, par.Tp), (ParallelismAxis.Cp, par.Cp), (ParallelismAxis.Ep, ep), (ParallelismAxis.Pp, par.Pp) }
            .Any(a => a.Item2 > 1 && !named.Contains(a.Item1));
        return missing ? null : RankLayout.FromNamedAxes(named, par.Tp, par.Cp, ep, par.Pp, DataParallel(hardware, runType));
    }
}
