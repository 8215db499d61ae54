namespace RapidLlm.Operations.Moe;

/// <summary>
/// Gradient-synchronisation sizes that MoE adds to the pipeline graph: the data-parallel sync of a MoE layer (attention
/// plus this rank's experts and the router), and, with expert parallelism, the syncs across the ep group of the
/// weights every ep rank holds a replica of.
/// </summary>
/// <param name="MoeLayerDpBytes">Per-layer data-parallel sync of a MoE layer (0 when dp = 1).</param>
/// <param name="DenseLayerEpBytes">Expert-parallel sync of a dense layer (attention and MLP; 0 when ep = 1).</param>
/// <param name="MoeLayerEpBytes">Expert-parallel sync of a MoE layer (attention, router and shared experts; 0 when ep = 1).</param>
internal sealed record MoeGradientSyncSizes(double MoeLayerDpBytes, double DenseLayerEpBytes, double MoeLayerEpBytes)
{
    /// <summary>Computes the sizes.</summary>
    /// <param name="workload">The dense workload (its intermediate size is the dense MLP width).</param>
    /// <param name="moe">The MoE layer.</param>
    /// <param name="expertParallel">Expert-parallel degree ep.</param>
    /// <returns>The sizes; all zero outside training.</returns>
    public static MoeGradientSyncSizes For(TransformerWorkload workload, MoeLayerSpec moe, int expertParallel)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(moe);
        if (workload.Phase != RunPhase.Training) return new MoeGradientSyncSizes(0, 0, 0);
        var m = workload.Model;
        var p = workload.Parallelism;
        var gc = workload.Precision.GradCommunication;
        var d = m.HiddenDim;
        var tp = (double)Math.Max(1, p.Tp);
        var attention = Math.Ceiling(gc * m.QkvParametersPerRank(p.Tp)) + Math.Ceiling(gc * m.OutputProjectionParametersPerRank(p.Tp));

        var expertParams = (double)m.MlpMatrixCount * moe.ExpertIntermediateSize * d;
        var expertShard = moe.TensorShardedExperts ? expertParams / tp : expertParams;
        var routedPerRank = (double)moe.NumExperts / Math.Max(1, moe.RoutingGroup);
        var routerParams = (double)d * moe.NumExperts;

        double dpBytes = 0;
        if (p.Dp > 1)
            dpBytes = attention + Math.Ceiling(gc * (expertShard * routedPerRank + expertShard * moe.SharedExperts + routerParams));

        double denseEp = 0, moeEp = 0;
        if (expertParallel > 1)
        {
            denseEp = attention + Math.Ceiling(gc * m.Ffn1Width * d) + Math.Ceiling(gc * m.IntermediateSize * d);
            var shared = moe.SharedExperts > 0 ? Math.Ceiling(gc * (expertShard * moe.SharedExperts)) : 0;
            moeEp = attention + Math.Ceiling(gc * routerParams) + shared;
        }
        return new MoeGradientSyncSizes(dpBytes, denseEp, moeEp);
    }
}
