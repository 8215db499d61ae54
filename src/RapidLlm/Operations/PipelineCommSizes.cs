using RapidLlm.Common;
using RapidLlm.Network;

namespace RapidLlm.Operations;

/// <summary>
/// Sizes of the pipeline graph's communications that depend only on the layer: the cross-stage activation
/// transfer, the per-micro-batch data-parallel gradient syncs and the ZeRO-2/3 parameter gathers
/// (the reference's pipeline <c>comm_metadata</c>).
/// </summary>
/// <param name="CrossLayerBytes">Activations passed between pipeline stages (0 when pp = 1).</param>
/// <param name="GradientSyncKind">All-reduce, or reduce-scatter when ZeRO ≥ 2 shards gradients.</param>
/// <param name="TransformerGradSyncBytes">Per-layer gradient sync (0 when dp = 1 or forward-only).</param>
/// <param name="EmbeddingGradSyncBytes">Embedding gradient sync (table + token gradients; a ViT's patch embedding).</param>
/// <param name="SoftmaxGradSyncBytes">LM-head gradient sync (a ViT's head).</param>
/// <param name="ZeroStage">The ZeRO stage the gathers belong to (2 or 3), or 0 when there are none.</param>
/// <param name="TransformerGatherBytes">Per-layer parameter gather (ZeRO-2 after the reduce-scatter, ZeRO-3 before use).</param>
/// <param name="EmbeddingGatherBytes">Embedding parameter gather.</param>
/// <param name="SoftmaxGatherBytes">LM-head parameter gather (0 with tied embeddings).</param>
internal sealed record PipelineCommSizes(
    double CrossLayerBytes,
    CollectiveKind GradientSyncKind,
    double TransformerGradSyncBytes,
    double EmbeddingGradSyncBytes,
    double SoftmaxGradSyncBytes,
    int ZeroStage,
    double TransformerGatherBytes,
    double EmbeddingGatherBytes,
    double SoftmaxGatherBytes)
{
    /// <summary>Computes the sizes for a workload.</summary>
    /// <param name="workload">The workload; its phase decides whether gradient syncs exist.</param>
    /// <returns>The sizes.</returns>
    public static PipelineCommSizes For(TransformerWorkload workload)
    {
        var m = workload.Model;
        var p = workload.Parallelism;
        var gc = workload.Precision.GradCommunication;
        var b = workload.BatchSize;
        var s = workload.SequenceLength;
        var d = m.HiddenDim;
        var tp = (double)Math.Max(1, p.Tp);

        var crossLayer = p.Pp > 1 ? workload.Precision.Activations * b * d * s : 0.0;

        double transformerSync = 0;
        if (workload.Phase == RunPhase.Training && p.Dp > 1)
        {
            transformerSync = Math.Ceiling(gc * m.QkvParametersPerRank(p.Tp)) + Math.Ceiling(gc * m.OutputProjectionParametersPerRank(p.Tp))
                              + Math.Ceiling(gc * m.Ffn1Width * d) + Math.Ceiling(gc * m.IntermediateSize * d);
        }
        // A vision transformer syncs its patch embedding and head weights; a language model its vocabulary and tokens.
        var vision = m.Vision;
        var embeddingSync = vision is null
            ? Math.Ceiling(gc * m.VocabSize * d) + Math.Ceiling(gc * s * d * b)
            : Math.Ceiling(gc * vision.PatchEmbeddingParameters(d));
        var softmaxSync = vision is null ? Math.Ceiling(gc * d * m.VocabSize) : Math.Ceiling(gc * vision.HeadParameters(d));

        var zeroStage = p.Dp > 1 && p.ZeroStage >= 2 ? Math.Min(p.ZeroStage, 3) : 0;
        double layerGather = 0, embeddingGather = 0, softmaxGather = 0;
        if (zeroStage > 0)
        {
            var pb = workload.Precision.Parameters;
            var attentionParams = m.QkvParametersPerRank(p.Tp) + m.OutputProjectionParametersPerRank(p.Tp);
            var layerParams = attentionParams + m.IntermediateSize * m.MlpMatrixCount * d / tp;
            layerGather = Math.Ceiling(layerParams * pb);
            if (vision is null)
            {
                embeddingGather = Math.Ceiling(m.VocabSize * d / tp * pb);
                softmaxGather = m.TiedEmbeddings ? 0 : embeddingGather;
            }
            else
            {
                // The patch embedding and head are replicated on every tp rank, and the head is never tied.
                embeddingGather = Math.Ceiling(vision.PatchEmbeddingParameters(d) * pb);
                softmaxGather = Math.Ceiling(vision.HeadParameters(d) * pb);
            }
        }
        return new PipelineCommSizes(crossLayer, p.ShardsGradients ? CollectiveKind.ReduceScatter : CollectiveKind.AllReduce,
            transformerSync, embeddingSync, softmaxSync, zeroStage, layerGather, embeddingGather, softmaxGather);
    }
}
