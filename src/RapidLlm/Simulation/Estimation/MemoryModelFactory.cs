using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Graphs;
using RapidLlm.Graphs.Flattening;
using RapidLlm.Graphs.Overlap;
using RapidLlm.Memory;
using RapidLlm.Network;
using RapidLlm.Operations;

namespace RapidLlm.Simulation;

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

    /// <summary>
    /// Most work the per-rank memory graph may take, counted as 8 per operation vertex plus 1 per dependency (a vertex
    /// costs about eight times as much as a dependency to build and simulate). Every op of every layer becomes a vertex
    /// per rank, and every rank of a layer waits for every rank of the layer before, so the graph grows with layers ×
    /// micro-batches × ranks per stage (squared for the dependencies); the bound keeps a memory estimate within seconds
    /// on one core (Llama-3.1-405B at tp 8, pp 16 and 32 micro-batches is about 15 million).
    /// </summary>
    public const long MaxFlattenedWork = 16_000_000;

    /// <summary>Expands a timed pipeline graph into per-rank chains of the layer's operations.</summary>
    /// <exception cref="ConfigurationException">The per-rank graph would exceed <see cref="MaxFlattenedWork"/>.</exception>
    public static ExecutionGraph Flatten(
        ExecutionGraph timedPipeline, VertexDurations durations, HardwareConfig hardware, RunType runType, EquatableArray<TransformerGraphOp> ops, ParallelismMode mode,
        EquatableArray<TransformerGraphOp>? moeOps = null)
    {
        EnsureFlattenable(timedPipeline, hardware, runType, Math.Max(ops.Count, moeOps?.Count ?? 0), moeOps is not null);
        return PipelineGraphFlattener.Flatten(timedPipeline, durations, FlatteningInputOf(hardware, runType, ops, mode, moeOps));
    }

    private static void EnsureFlattenable(ExecutionGraph pipeline, HardwareConfig hardware, RunType runType, int opsPerLayer, bool moe)
    {
        var par = hardware.Parallelism;
        long ranks = (long)Math.Max(1, par.Tp) * Math.Max(1, par.Cp) * (moe ? ExpertAxis(hardware, runType) : 1);
        long layers = 0;
        foreach (var vertex in pipeline.Vertices)
        {
            if (vertex is ComputeVertex { Role: VertexRole.TransformerLayer }) layers++;
        }

        var vertices = layers * ranks * 2 * opsPerLayer;
        var dependencies = layers * (ranks * (2 * opsPerLayer + 2) + ranks * ranks);
        var work = 8 * vertices + dependencies;
        if (work <= MaxFlattenedWork) return;
        var value = $"tp {par.Tp}, cp {par.Cp}, pp {par.Pp}, mb {par.MicroBatches}";
        throw new ConfigurationException([new ConfigDiagnostic(DiagnosticSeverity.Error, "<hardware>", "parallelism", 0, 0, value,
            $"the per-GPU memory simulation would build a per-rank graph of about {vertices:N0} operations and {dependencies:N0} dependencies "
            + $"({layers:N0} layer passes x {ranks:N0} ranks per stage); that is {work:N0} units of work (8 per operation, 1 per dependency) and at most "
            + $"{MaxFlattenedWork:N0} are simulated. Use fewer micro-batches or ranks per stage (tp x cp), or estimate the time alone "
            + "(RunPerf --no-memory, or includeMemory: false)")]);
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

    /// <summary>What the flattener (and the schedule replay that stands in for it) needs besides the pipeline graph.</summary>
    public static FlatteningInput FlatteningInputOf(
        HardwareConfig hardware, RunType runType, EquatableArray<TransformerGraphOp> ops, ParallelismMode mode, EquatableArray<TransformerGraphOp>? moeOps = null)
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
        return new FlatteningInput
        {
            Transformer = Chain(ops),
            MoeTransformer = moeOps is { } m ? Chain(m) : null,
            ZeroStage = hardware.Software.DpZeroStage,
            // MoE models place ep (moe_dp in inference) ranks per stage beside tp and cp.
            ExpertParallel = moe ? ExpertAxis(hardware, runType) : 1,
            Layout = Layout(hardware, runType),
            Overlap = new OverlapSettings(overlap.TpOverlap, overlap.TpSpOverlap, overlap.CpOverlap),
        };
    }
}
