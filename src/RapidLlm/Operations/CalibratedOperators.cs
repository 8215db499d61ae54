using RapidLlm.Common;
using RapidLlm.Compute;
using RapidLlm.Configuration;
using RapidLlm.Network;
using RapidLlm.Operations.Moe;

namespace RapidLlm.Operations;

/// <summary>
/// Operator formulas of the calibrated model where the reference's structure is not physical: FlashAttention as one
/// fused kernel at its measured throughput, the LM head sharded over tp (logits of the last position only in
/// prefill), and a fused AdamW step over every parameter of a stage.
/// </summary>
internal sealed class CalibratedOperators(CalibratedGemmModel gemm, CalibratedRoofline roofline, CalibratedAttentionConfig attention)
{
    private const int BackwardKernels = 2;

    // PyTorch casts the logits to FP32 for the loss: the cast (2 B in, 4 B out) and log-softmax (4 B in and out) forward,
    // log-softmax backward (gradient and output in, gradient out) and the cast back (4 B in, 2 B out).
    private const double LossForwardBytesPerLogit = 2 + 4 + 4 + 4;
    private const double LossBackwardBytesPerLogit = 4 + 4 + 4 + 4 + 2;
    private const int LossKernels = 2;

    private readonly CalibratedAttentionModel _attention = new(gemm.PeakFlopsPerSecond, attention);

    public CalibratedGemmModel Gemm => gemm;

    public CalibratedRoofline Roofline => roofline;

    /// <summary>The fused causal forward kernel over this rank's heads and query shard.</summary>
    public (double Seconds, double DramBytes) FlashForward(LayerCostContext c, long batch, long sequence)
    {
        var (heads, queries, pairs, bytes) = FlashShape(c, batch, sequence);
        var compute = _attention.ForwardSeconds(heads, queries, pairs, c.Model.HeadDim);
        return (c.Overhead + Math.Max(compute, bytes / roofline.StreamBytesPerSecond), bytes);
    }

    /// <summary>The fused backward kernels, and the reference's reduce-scatter of dK/dV over cp.</summary>
    public (double Seconds, CollectiveCall? Scatter, double ScatterBytes) FlashBackward(LayerCostContext c, long batch, long sequence)
    {
        var (heads, queries, pairs, bytes) = FlashShape(c, batch, sequence);
        var compute = _attention.BackwardSeconds(heads, queries, pairs, c.Model.HeadDim);
        var time = BackwardKernels * c.Overhead + Math.Max(compute, 2 * bytes / roofline.StreamBytesPerSecond);
        var scatterBytes = c.Precision.GradCommunication * batch * sequence * c.Model.HiddenDim * 2 / c.Tp;
        CollectiveCall? call = scatterBytes > 0 ? c.Collective(CollectiveKind.ReduceScatter, scatterBytes, c.Cp, ParallelismAxis.Tp) : null;
        return (time, call, scatterBytes);
    }

    // This rank's heads (× batch), query rows and causal pairs per head, and the HBM bytes (Q, K, V read, O written).
    private static (double Heads, double Queries, double Pairs, double DramBytes) FlashShape(LayerCostContext c, long batch, long sequence)
    {
        var m = c.Model;
        var heads = batch * m.NumHeads / (double)Math.Max(1, c.Tp);
        var kvHeads = batch * m.KvHeads / (double)Math.Max(1, c.Tp);
        var queries = ShardedGemm.CeilDiv(sequence, Math.Max(1, c.Cp));
        // Causal: a query at position i attends to i + 1 keys; a cp shard carries its share of the triangle. A vision
        // encoder's queries see every key.
        var pairs = m.CausalAttention ? queries * (sequence + 1) / 2.0 : (double)queries * sequence;
        var bytes = c.Precision.Activations * m.HeadDim * (2 * heads * queries + 2 * kvHeads * sequence);
        return (heads, queries, pairs, bytes);
    }

    /// <summary>
    /// The LM head and softmax, vocabulary-parallel over tp: training over every token, prefill over each sequence's
    /// last position (what serving engines compute), decode over each sequence's new token. Inference gathers the
    /// logits for sampling; training all-reduces the two softmax statistics per token.
    /// </summary>
    public (double Seconds, double DramBytes) LinearSoftmaxForward(LayerCostContext c, GemmShape linear)
    {
        var (rows, vocab) = LmHeadShape(c, linear);
        var e = c.Gemm(rows, linear.K, vocab);
        var (softmax, softmaxBytes) = c.Workload.Phase == RunPhase.Training
            ? LossSeconds(c, rows * (double)vocab, LossForwardBytesPerLogit)
            : PointwiseCosts.LogitsSoftmaxForward(c, rows * c.Tp * c.Cp, vocab);
        var comm = c.Workload.Phase == RunPhase.Training
            ? c.Collective(CollectiveKind.AllReduce, 8.0 * rows, c.Tp, ParallelismAxis.Tp).TimeSeconds
            : c.Collective(CollectiveKind.AllGather, c.Precision.Activations * rows * vocab, c.Tp, ParallelismAxis.Tp).TimeSeconds;
        return (e.TimeSeconds + softmax + comm, e.AccessBytes[^1] + softmaxBytes);
    }

    /// <summary>The LM head's backward: both gradient GEMMs on this rank's vocabulary shard, the input gradient all-reduce.</summary>
    public double LinearSoftmaxBackward(LayerCostContext c, GemmShape linear)
    {
        var (rows, vocab) = LmHeadShape(c, linear);
        var time = c.GemmSeconds(rows, vocab, linear.K) + c.GemmSeconds(linear.K, rows, vocab);
        time += c.GradientAccumulationSeconds((double)linear.K * vocab);
        time += LossSeconds(c, rows * (double)vocab, LossBackwardBytesPerLogit).Seconds;
        time += c.Collective(CollectiveKind.AllReduce, c.Precision.GradCommunication * rows * linear.K, c.Tp, ParallelismAxis.Tp).TimeSeconds;
        return time;
    }

    // The FP32 cross-entropy over this rank's logits.
    private (double Seconds, double Bytes) LossSeconds(LayerCostContext c, double logits, double bytesPerLogit)
    {
        var bytes = logits * bytesPerLogit;
        return (LossKernels * c.Overhead + roofline.ElementwiseSeconds(0, bytes), bytes);
    }

    private static (long Rows, long Vocab) LmHeadShape(LayerCostContext c, GemmShape linear)
    {
        var rows = c.Workload.Phase switch
        {
            RunPhase.Prefill => c.Workload.BatchSize,
            RunPhase.Decode => linear.Batch * linear.M,
            _ => ShardedGemm.CeilDiv(linear.Batch * linear.M, Math.Max(1, c.Cp)),
        };
        return (Math.Max(1, rows), ShardedGemm.CeilDiv(linear.N, Math.Max(1, c.Tp)));
    }

    /// <summary>
    /// One fused AdamW step of a pipeline stage's parameters on one rank (its tp shard, and its dp shard under
    /// ZeRO ≥ 1): read weights, gradients, both moments and any master copy, write weights, moments and master, at the
    /// streaming HBM bandwidth.
    /// </summary>
    /// <param name="workload">The training workload (model, parallelism, precision).</param>
    /// <param name="layers">Transformer layers of the model.</param>
    /// <param name="moe">The MoE layer spec, or null for a dense model.</param>
    /// <param name="moeLayers">How many of the layers are MoE layers.</param>
    /// <param name="kernelSeconds">Fixed cost of one kernel.</param>
    public double OptimizerSeconds(TransformerWorkload workload, int layers, MoeLayerSpec? moe, int moeLayers, double kernelSeconds)
    {
        var parameters = StageParametersPerRank(workload, layers, moe, moeLayers);
        var p = workload.Precision;
        var bytesPerParameter = 2 * p.Parameters + p.Gradients + 4 * p.OptimizerStates + 2 * p.MasterParameters;
        return kernelSeconds + parameters * bytesPerParameter / roofline.StreamBytesPerSecond;
    }

    /// <summary>Parameters the optimizer updates on one rank of the heaviest stage.</summary>
    public static double StageParametersPerRank(TransformerWorkload workload, int layers, MoeLayerSpec? moe, int moeLayers)
    {
        var m = workload.Model;
        var par = workload.Parallelism;
        var tp = Math.Max(1, par.Tp);
        var pp = Math.Max(1, par.Pp);
        var attentionParameters = m.QkvParametersPerRank(tp) + m.OutputProjectionParametersPerRank(tp) + 2.0 * m.HiddenDim;
        var denseMlp = (m.Ffn1Width + m.IntermediateSize) * (double)m.HiddenDim / tp;
        var moeMlp = moe is null
            ? denseMlp
            : (moe.NumExperts / (double)Math.Max(1, moe.RoutingGroup) + moe.SharedExperts) * 3.0 * m.HiddenDim * moe.ExpertIntermediateSize
              / (moe.TensorShardedExperts ? tp : 1) + m.HiddenDim * (double)moe.NumExperts;
        var dense = layers - (moe is null ? 0 : moeLayers);
        var perLayer = (dense * (attentionParameters + denseMlp) + (layers - dense) * (attentionParameters + moeMlp)) / Math.Max(1, layers);
        var stageLayers = Math.Ceiling(layers / (double)pp);
        var vocabulary = m.VocabSize * (double)m.HiddenDim / tp;
        var vocabularyOnStage = pp == 1 && !m.TiedEmbeddings ? 2 * vocabulary : vocabulary;
        var total = stageLayers * perLayer + vocabularyOnStage + m.HiddenDim;
        return par.ZeroStage >= 1 && par.Dp > 1 ? total / par.Dp : total;
    }
}
