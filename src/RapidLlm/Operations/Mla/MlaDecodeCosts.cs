using RapidLlm.Common;
using RapidLlm.Network;

namespace RapidLlm.Operations.Mla;

/// <summary>
/// Decode-step costs of multi-head latent attention over a latent KV cache: the new token's query is projected and
/// absorbed into the latent space, attends to the cached latents (plus the shared rotary key), and the latent context
/// is expanded per head before the output projection. Each stage is one fused kernel as in training.
/// </summary>
internal static class MlaDecodeCosts
{
    /// <summary>The GEMMs of one MLA decode step.</summary>
    private sealed record Shapes(
        GemmShape DownQ, GemmShape DownKv, GemmShape UpQ, GemmShape AbsorbQ, GemmShape UpV,
        GemmShape Score, GemmShape Output, GemmShape OutProj);

    private static Shapes For(MlaDims mla, long hidden, long batch, long kvLength)
    {
        var h = mla.NumHeads;
        var latent = mla.KvLoraRank + mla.QkRopeHeadDim;
        return new Shapes(
            GemmShape.Single(batch, hidden, mla.QLoraRank),
            GemmShape.Single(batch, hidden, latent),
            GemmShape.Single(batch, mla.QLoraRank, h * mla.QkHeadDim),
            GemmShape.Single(batch, mla.QkNopeHeadDim, h * mla.KvLoraRank),
            GemmShape.Single(batch, mla.KvLoraRank, h * mla.VHeadDim),
            new GemmShape(batch * h, 1, latent, kvLength),
            new GemmShape(batch * h, 1, kvLength, mla.KvLoraRank),
            GemmShape.Single(batch, h * mla.VHeadDim, hidden));
    }

    /// <summary>Costs <c>qkv_proj</c>, <c>attention</c> (with its parts) and <c>output_proj</c> of one decode step.</summary>
    /// <param name="c">The decode context.</param>
    /// <param name="mla">The MLA dimensions.</param>
    /// <param name="batch">Sequences decoding together.</param>
    /// <param name="kvLength">Cached tokens including the new one.</param>
    public static (OperationCost Qkv, OperationCost Attention, EquatableArray<OperationCost> Parts, OperationCost OutputProjection)
        Estimate(LayerCostContext c, MlaDims mla, long batch, long kvLength)
    {
        var g = For(mla, c.Model.HiddenDim, batch, kvLength);
        var cpVisible = c.Mode is ParallelismMode.Context or ParallelismMode.TensorContextHybrid;

        // Projection: both down-projections, the query up-projection and the query absorption into the latent space.
        // Under CP each rank gathers the other ranks' absorbed queries, since its cache slice serves every query.
        (GemmShape, GemmRole)[] projection =
            [(g.DownQ, GemmRole.MlaDownProjection), (g.DownKv, GemmRole.MlaDownProjection), (g.UpQ, GemmRole.Qkv), (g.AbsorbQ, GemmRole.Qkv)];
        var score = ShardedGemm.Of(g.Score, GemmRole.AttentionScore, c.Parallelism);
        var queryBytes = Math.Ceiling((double)(score.Batch * score.M * score.K) * c.Precision.Activations);
        var projF = cpVisible
            ? MlaAttentionCosts.Comm(c, CollectiveKind.AllGather, queryBytes, c.Cp)
            : MlaAttentionCosts.NoComm;
        var qkv = new OperationCost("qkv_proj", MlaAttentionCosts.Composite(c, projection, backward: false, 0, projF), null);

        var scoreF = MlaAttentionCosts.Composite(c, [(g.Score, GemmRole.AttentionScore)], backward: false, 0, MlaAttentionCosts.NoComm);
        var localScores = Math.Ceiling((double)g.Score.Batch * g.Score.M * g.Score.N / Math.Max(1, c.Tp * c.Cp));
        var softmaxF = MlaAttentionCosts.Softmax(c, localScores, MlaAttentionCosts.SoftmaxForwardFlops + 1, MlaAttentionCosts.SoftmaxForwardAccesses);
        var outF = MlaAttentionCosts.Composite(c, [(g.Output, GemmRole.AttentionOutput)], backward: false, 0, MlaAttentionCosts.NoComm);
        OperationCost[] parts =
        [
            new("attention_score", scoreF, null),
            new("attention_scale_softmax", softmaxF, null),
            new("attention_output", outF, null),
        ];
        var attention = new OperationCost("attention", MlaAttentionCosts.Sum(scoreF, softmaxF, outF), null);

        // Output: expand the latent context per head, then the row-parallel output projection and its tp reduction.
        (GemmShape, GemmRole)[] output = [(g.UpV, GemmRole.Qkv), (g.OutProj, GemmRole.OutputProjection)];
        var outSlice = ShardedGemm.Of(g.OutProj, GemmRole.OutputProjection, c.Parallelism);
        var outComm = c.Mode switch
        {
            ParallelismMode.Tensor => MlaAttentionCosts.Comm(c, CollectiveKind.AllReduce, OutBytes(c, g, outSlice), c.Tp),
            ParallelismMode.TensorSequence or ParallelismMode.TensorContextHybrid =>
                MlaAttentionCosts.Comm(c, CollectiveKind.ReduceScatter, OutBytes(c, g, outSlice), c.Tp),
            _ => MlaAttentionCosts.NoComm,
        };
        var outProj = new OperationCost("output_proj", MlaAttentionCosts.Composite(c, output, backward: false, 0, outComm), null);
        return (qkv, attention, parts, outProj);
    }

    private static double OutBytes(LayerCostContext c, Shapes g, ShardedGemm outSlice) =>
        Math.Ceiling(c.Precision.Activations * (double)g.OutProj.Batch * outSlice.M * g.OutProj.N);
}
