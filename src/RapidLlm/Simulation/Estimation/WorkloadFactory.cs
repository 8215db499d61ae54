using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Hardware;
using RapidLlm.Network;
using RapidLlm.Operations;
using RapidLlm.Operations.Mla;
using RapidLlm.Operations.Moe;

namespace RapidLlm.Simulation;

/// <summary>Turns validated configuration into the per-layer workload the operation library costs.</summary>
internal static class WorkloadFactory
{
    /// <summary>Rejects model features no estimator models yet, with a sentence that says so.</summary>
    /// <param name="model">The transformer model.</param>
    public static void EnsureSupported(TransformerConfig model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.IsVit != (model.Vision is not null))
            throw new UnsupportedFeatureException($"model_type {model.ModelType} {(model.IsVit ? "needs" : "cannot have")} vision settings (model_param.vision).");
        if (model.DisableEmbeddingUnembedding)
            throw new UnsupportedFeatureException("disable_embedding_unembedding is not supported yet.");
    }

    /// <summary>The workload of one transformer layer.</summary>
    /// <param name="hardware">The hardware description.</param>
    /// <param name="model">The transformer model.</param>
    /// <param name="network">The network resolved for the run type.</param>
    /// <param name="phase">Training, prefill or decode.</param>
    /// <param name="batch">The effective batch.</param>
    /// <param name="sequenceLength">Tokens per sequence in this phase (1 for a decode step).</param>
    /// <param name="microBatch">Sequences per micro-batch (sizes context-parallel KV gathers).</param>
    public static TransformerWorkload Create(
        HardwareConfig hardware, TransformerConfig model, ResolvedNetwork network, RunPhase phase,
        long batch, long sequenceLength, long microBatch)
    {
        ArgumentNullException.ThrowIfNull(hardware);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(network);
        var software = hardware.Software;
        var p = software.Precision;
        var par = hardware.Parallelism;
        var training = phase == RunPhase.Training;
        return new TransformerWorkload
        {
            Model = new TransformerDims(
                model.HiddenDim, model.Attention.NumHeads, model.Attention.KvHeads, model.HeadDim, model.IntermediateSize,
                model.VocabSize, model.GatedMlp ? ModelFamily.Llama : ModelFamily.Gpt, model.TiedEmbeddings,
                MlaOf(model), VisionOf(model)),
            BatchSize = batch,
            SequenceLength = sequenceLength,
            Phase = phase,
            ModelSequenceLength = model.SeqLen,
            MicroBatchSize = microBatch,
            Parallelism = new ParallelismDegrees(
                par.Tp, par.TpSp, par.Cp, par.Pp, training ? par.Train.Dp : 1, software.DpZeroStage),
            Precision = new PrecisionBytes(
                p.ActivationsBytes, p.KvCacheBytes, p.ParametersBytes, p.GradientsBytes, p.GradCommunicationBytes,
                p.OptimizerStatesBytes, p.StatsBytes, p.MasterParametersBytes),
            FlashAttention = model.Attention.UseFlashAttention,
            AttentionTileSize = model.Attention.AttentionTileSize,
            FullRecomputation = software.FullRecomputation,
            KernelOverheadSeconds = software.KernelLaunchOverheadSeconds,
            H2dBandwidthBytesPerSecond = software.HostToDeviceBandwidthBytesPerSecond ?? -1,
            GradientAccumulationSteps = training ? model.GradientAccumulationSteps : 1,
            GradAccumOverheadSeconds = software.GradAccumulationOverheadSeconds,
            Links = new AxisLinks(
                network.LinkFor(ParallelismAxis.Tp), network.LinkFor(ParallelismAxis.Cp),
                network.LinkFor(ParallelismAxis.Pp), network.LinkFor(ParallelismAxis.Dp), network.LinkFor(ParallelismAxis.Ep)),
        };
    }

    /// <summary>
    /// The MoE layer of a model, or null for a dense model. Training spreads the experts over the ep group and lets
    /// <c>tp_ep</c> decide whether tp also shards them; inference spreads them over tp × moe_dp ranks, never
    /// tp-shards an expert, and pads uneven token splits.
    /// </summary>
    /// <param name="hardware">The hardware description.</param>
    /// <param name="model">The transformer model.</param>
    /// <param name="phase">Training, prefill or decode.</param>
    public static MoeLayerSpec? CreateMoe(HardwareConfig hardware, TransformerConfig model, RunPhase phase)
    {
        ArgumentNullException.ThrowIfNull(hardware);
        ArgumentNullException.ThrowIfNull(model);
        if (!model.UsesMoe) return null;
        var par = hardware.Parallelism;
        var moe = model.Moe;
        var training = phase == RunPhase.Training;
        var group = training ? par.Train.Ep : par.Tp * Math.Max(1, par.Inference.MoeDp);
        return new MoeLayerSpec(moe.NumExperts, moe.TopK, moe.MoeIntermediateSize, moe.SharedExperts,
            moe.ExpertImbalanceFactor, Math.Max(1, group), training && par.Train.TpEp, AllowPadding: !training);
    }

    /// <summary>The patch embedding and head of a vision transformer, else null.</summary>
    /// <param name="model">The transformer model.</param>
    public static Operations.Vision.VisionDims? VisionOf(TransformerConfig model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Vision is not { } v) return null;
        return new Operations.Vision.VisionDims(v.ImageHeight, v.ImageWidth, v.NumPatches, v.PatchDim, VisionConfig.Channels,
            Math.Max(0, model.VocabSize), model.VisionPrefixTokens);
    }

    /// <summary>The MLA dimensions of a model whose attention is latent, else null.</summary>
    /// <param name="model">The transformer model.</param>
    public static MlaDims? MlaOf(TransformerConfig model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var a = model.Attention;
        if (a.Type != AttentionType.Mla) return null;
        long Required(int? value, string name) => value ?? throw new UnsupportedFeatureException(
            $"attention_type mla needs model_param.attention.{name}.");
        return new MlaDims(a.NumHeads, Required(a.QLoraRank, "q_lora_rank"), Required(a.KvLoraRank, "kv_lora_rank"),
            Required(a.QkNopeHeadDim, "qk_nope_head_dim"), Required(a.QkRopeHeadDim, "qk_rope_head_dim"), Required(a.VHeadDim, "v_head_dim"));
    }
}
