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
            GatedMlp = model.ModelType != ModelType.Gpt,
            TiedEmbeddings = model.TiedEmbeddings,
            DisableEmbeddingUnembedding = model.DisableEmbeddingUnembedding,
            TensorParallel = par.Tp,
            TensorSequenceParallel = par.TpSp,
            ContextParallel = par.Cp,
            PipelineStages = par.Pp,
            DataParallel = training ? par.Train.Dp : 1,
            ZeroStage = software.DpZeroStage,
            FullRecompute = software.FullRecomputation,
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
        };
    }

    /// <summary>Expands a timed pipeline graph into per-rank chains of the layer's operations.</summary>
    public static ExecutionGraph Flatten(
        ExecutionGraph timedPipeline, HardwareConfig hardware, RunType runType, EquatableArray<TransformerGraphOp> ops, ParallelismMode mode)
    {
        var par = hardware.Parallelism;
        var overlap = hardware.Network.Overlap;
        return PipelineGraphFlattener.Flatten(timedPipeline, new FlatteningInput
        {
            Transformer = new TransformerGraphInput
            {
                Ops = new EquatableArray<TransformerOpTiming>(ops.Select(op => new TransformerOpTiming(
                    op.Name, op.Forward.DurationSeconds, op.Backward.DurationSeconds, op.Forward.CommBytes, op.Backward.CommBytes))),
                Mode = GraphMode(mode),
                TensorParallel = par.Tp,
                ContextParallel = par.Cp,
                DataParallel = runType == RunType.Training ? par.Train.Dp : 1,
                PipelineStages = par.Pp,
            },
            ZeroStage = hardware.Software.DpZeroStage,
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

    private static TransformerParallelismMode GraphMode(ParallelismMode mode) => mode switch
    {
        ParallelismMode.Tensor => TransformerParallelismMode.Tensor,
        ParallelismMode.TensorSequence => TransformerParallelismMode.TensorSequence,
        ParallelismMode.Context => TransformerParallelismMode.Context,
        ParallelismMode.TensorContextHybrid => TransformerParallelismMode.TensorContextHybrid,
        _ => TransformerParallelismMode.Single,
    };
}
