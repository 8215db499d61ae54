namespace RapidLlm.Operations;

/// <summary>
/// The optimizer node of a pipeline stage (the reference's <c>get_data_parallel_reduction_llm</c>): an Adam-style
/// update plus gradient clipping for one layer's weight tensors. As in the reference the attention weights are
/// this rank's tp shard but the MLP weights are not divided by tp, and layers are not multiplied in.
/// </summary>
internal static class OptimizerCost
{
    private const double AdamFlopsPerParameter = 14.0;

    /// <summary>Seconds of the optimizer node, divided by dp when ZeRO ≥ 2 shards the gradients.</summary>
    /// <param name="workload">The workload.</param>
    /// <param name="models">The device models.</param>
    /// <returns>Seconds.</returns>
    public static double Seconds(TransformerWorkload workload, OperationCostModels models)
    {
        var c = new LayerCostContext(workload, models);
        var m = workload.Model;
        var tp = (double)Math.Max(1, workload.Parallelism.Tp);
        var time = TensorUpdateSeconds(c, (long)m.QkvParametersPerRank(workload.Parallelism.Tp));
        time += TensorUpdateSeconds(c, (long)m.OutputProjectionParametersPerRank(workload.Parallelism.Tp));
        time += TensorUpdateSeconds(c, m.Ffn1Width * m.HiddenDim);
        time += TensorUpdateSeconds(c, m.IntermediateSize * m.HiddenDim);
        if (workload.Parallelism.ShardsGradients) time /= workload.Parallelism.Dp;
        return time;
    }

    /// <summary>Update of one weight tensor: the Adam step at DRAM plus clipping, which the reference prices at the register level.</summary>
    private static double TensorUpdateSeconds(LayerCostContext c, long parameters)
    {
        var p = c.Precision;
        var readBytes = p.Parameters + p.Gradients + 2 * p.OptimizerStates + p.MasterParameters;
        var writeBytes = p.Parameters + 2 * p.OptimizerStates + p.MasterParameters;
        var update = c.DramRoofline(parameters * AdamFlopsPerParameter, parameters * (readBytes + writeBytes));
        var clip = c.RegisterRoofline(parameters * 4, parameters * 2 * p.Gradients);
        return update + clip;
    }
}
