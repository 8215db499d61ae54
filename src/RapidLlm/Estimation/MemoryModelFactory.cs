using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Graphs;
using RapidLlm.Graphs.Flattening;
using RapidLlm.Graphs.Overlap;
using RapidLlm.Memory;
using RapidLlm.Network;
using RapidLlm.Operations;

namespace RapidLlm.Estimation;

/// <summary>Turns configuration and per-op costs into the memory estimator's inputs and per-rank graphs.</summary>
internal static class MemoryModelFactory
{
    public static MemoryEstimatorInput Input(HardwareConfig hardware, TransformerConfig model, RunType runType)
    {
        var software = hardware.Software;
        var p = software.Precision;
        var par = hardware.Parallelism;
        var training = runType == RunType.Training;
        var dramSize = hardware.Technology.Dram.SizeBytes;
        return new MemoryEstimatorInput
        {
            HiddenDim = model.HiddenDim,
            IntermediateSize = model.IntermediateSize,
            Heads = model.Attention.NumHeads,
            KeyValueHeads = model.Attention.KvHeads,
            HeadDim = model.HeadDim,
            VocabularySize = model.VocabSize,
            GatedMlp = model.GatedMlp,
            TiedEmbeddings = model.TiedEmbeddings,
            DisableEmbeddingUnembedding = model.DisableEmbeddingUnembedding,
            TensorParallel = par.Tp,
            TensorSequenceParallel = par.TpSp,
            ContextParallel = par.Cp,
            PipelineStages = par.Pp,
            DataParallel = training ? par.Train.Dp : 1,
            ZeroStage = software.DpZeroStage,
            FullRecompute = software.FullRecomputation,
            KeepsRecomputeCheckpoints = training && software.FullRecomputation && hardware.PerformanceModel.IsCalibrated,
            FlashAttention = model.Attention.UseFlashAttention,
            ActivationBytes = p.ActivationsBytes,
            ParameterBytes = p.ParametersBytes,
            GradientBytes = p.GradientsBytes,
            OptimizerStateBytes = p.OptimizerStatesBytes,
            MasterParameterBytes = p.MasterParametersBytes,
            KvCacheBytes = p.KvCacheBytes,
            ConstantOffsetBytes = software.ConstMemOffsetBytes,
            CapacityBytes = dramSize,
            Layout = Layout(hardware, runType),
            Moe = MoeOf(hardware, model, runType),
            Mla = WorkloadFactory.MlaOf(model),
            Vision = WorkloadFactory.VisionOf(model),
        };
    }

    /// <summary>The MoE layers as the memory model sees them: training routes over ep, inference over tp × moe_dp.</summary>
    private static Memory.Moe.MoeMemoryInput? MoeOf(HardwareConfig hardware, TransformerConfig model, RunType runType)
    {
        if (!model.UsesMoe) return null;
        var training = runType == RunType.Training;
        var moe = model.Moe;
        var spec = WorkloadFactory.CreateMoe(hardware, model, training ? Operations.RunPhase.Training : Operations.RunPhase.Prefill)!;
        return new Memory.Moe.MoeMemoryInput(
            moe.NumExperts, moe.TopK, moe.MoeIntermediateSize, moe.SharedExperts, moe.ExpertImbalanceFactor,
            spec.RoutingGroup, spec.TensorShardedExperts, ExpertAxis(hardware, runType), model.NumMoeLayers);
    }

    /// <summary>Expert-parallel ranks per stage beside tp and cp: ep in training, moe_dp in inference (MoE only).</summary>
    private static int ExpertAxis(HardwareConfig hardware, RunType runType)
    {
        var par = hardware.Parallelism;
        return Math.Max(1, runType == RunType.Training ? par.Train.Ep : par.Inference.MoeDp);
    }

    /// <summary>Expands a timed pipeline graph into per-rank chains of the layer's operations.</summary>
    public static ExecutionGraph Flatten(
        ExecutionGraph timedPipeline, HardwareConfig hardware, RunType runType, EquatableArray<TransformerGraphOp> ops, ParallelismMode mode,
        EquatableArray<TransformerGraphOp>? moeOps = null)
    {
        var par = hardware.Parallelism;
        var overlap = hardware.Network.Overlap;
        TransformerGraphInput Chain(EquatableArray<TransformerGraphOp> chain) => new()
        {
            Ops = new EquatableArray<TransformerOpTiming>(chain.Select(op => new TransformerOpTiming(
                op.Name, op.Forward.DurationSeconds, op.Backward.DurationSeconds, op.Forward.CommBytes, op.Backward.CommBytes))),
            Mode = mode,
            TensorParallel = par.Tp,
            ContextParallel = par.Cp,
            DataParallel = runType == RunType.Training ? par.Train.Dp : 1,
            PipelineStages = par.Pp,
        };
        var moe = moeOps is not null;
        return PipelineGraphFlattener.Flatten(timedPipeline, new FlatteningInput
        {
            Transformer = Chain(ops),
            MoeTransformer = moeOps is { } m ? Chain(m) : null,
            ZeroStage = hardware.Software.DpZeroStage,
            // MoE models place ep (moe_dp in inference) ranks per stage beside tp and cp.
            ExpertParallel = moe ? ExpertAxis(hardware, runType) : 1,
            Layout = Layout(hardware, runType),
            Overlap = new OverlapSettings(overlap.TpOverlap, overlap.TpSpOverlap, overlap.CpOverlap),
        });
    }

    private static RankLayout? Layout(HardwareConfig hardware, RunType runType)
    {
        var par = hardware.Parallelism;
        var named = hardware.Network.Dimensions.SelectMany(d => d.Parallelisms).ToList();
        var training = runType == RunType.Training;
        var ep = training ? par.Train.Ep : par.Inference.MoeDp;
        var dp = training ? par.Train.Dp : 1;
        // Without every active axis on some dimension the reference falls back to stage-major numbering.
        var missing = new[] { (ParallelismAxis.Tp, par.Tp), (ParallelismAxis.Cp, par.Cp), (ParallelismAxis.Ep, ep), (ParallelismAxis.Pp, par.Pp) }
            .Any(a => a.Item2 > 1 && !named.Contains(a.Item1));
        return missing ? null : RankLayout.FromNamedAxes(named, par.Tp, par.Cp, ep, par.Pp, dp);
    }
}
