using System.Text.Json;
using RapidLlm.Common;
using RapidLlm.Graphs;
using RapidLlm.Network;

namespace RapidLlm.Tests.Graphs;

/// <summary>Turns the reference's <c>pipeline_graph_tables</c> into a <see cref="PipelineGraphInput"/>.</summary>
internal static class GoldenTables
{
    public static CollectiveKind Kind(string text) => text switch
    {
        "all_reduce" => CollectiveKind.AllReduce,
        "all_gather" => CollectiveKind.AllGather,
        "reduce_scatter" => CollectiveKind.ReduceScatter,
        "all_to_all" => CollectiveKind.AllToAll,
        "pipeline" => CollectiveKind.PointToPoint,
        _ => throw new ArgumentException(text),
    };

    public static ParallelismAxis Axis(string text) => text switch
    {
        "tp" => ParallelismAxis.Tp,
        "cp" => ParallelismAxis.Cp,
        "ep" => ParallelismAxis.Ep,
        "pp" or "lp" => ParallelismAxis.Pp,
        "dp" => ParallelismAxis.Dp,
        _ => throw new ArgumentException(text),
    };

    public static string AxisName(ParallelismAxis axis) => axis switch
    {
        ParallelismAxis.Tp => "tp",
        ParallelismAxis.Cp => "cp",
        ParallelismAxis.Ep => "ep",
        ParallelismAxis.Pp => "pp",
        _ => "dp",
    };

    public static string KindName(CollectiveKind kind) => kind switch
    {
        CollectiveKind.AllReduce => "all_reduce",
        CollectiveKind.AllGather => "all_gather",
        CollectiveKind.ReduceScatter => "reduce_scatter",
        CollectiveKind.AllToAll => "all_to_all",
        _ => "pipeline",
    };

    public static PipelineGraphInput Input(
        JsonElement tables,
        int pp,
        int dp,
        int tp,
        int cp,
        int ep,
        bool includeBackward,
        bool includeOptimizer,
        SingleStageMicroBatchPolicy policy = SingleStageMicroBatchPolicy.ReproduceReference)
    {
        var comp = tables.GetProperty("comp_times");
        var meta = tables.GetProperty("comm_metadata");
        var misc = tables.GetProperty("misc_metadata");
        double Time(string key) => comp.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : 0.0;
        double? OptTime(string key) => comp.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
        CommunicationSpec? Spec(string key)
        {
            if (!meta.TryGetProperty(key, out var m))
            {
                return null;
            }

            return new CommunicationSpec(
                Kind(m.GetProperty("type").GetString()!),
                m.GetProperty("size").GetDouble(),
                m.GetProperty("participants").GetInt32(),
                Axis(m.GetProperty("interconnect_type").GetString()!),
                m.TryGetProperty("tp_shard", out var s) && s.ValueKind == JsonValueKind.True);
        }

        var mask = misc.TryGetProperty("moe_layer_mask", out var mk) && mk.ValueKind == JsonValueKind.Array
            ? mk.EnumerateArray().Select(x => x.GetBoolean()).ToArray()
            : [];
        var modelType = misc.TryGetProperty("model_type", out var mt) && mt.ValueKind == JsonValueKind.String ? mt.GetString()! : "";
        var fullRecompute = misc.GetProperty("full_recomputation").GetBoolean()
            && (misc.GetProperty("pipeline_style_recompute").GetBoolean() || misc.GetProperty("flattened_mode").GetBoolean());
        return new PipelineGraphInput
        {
            LayerCount = misc.GetProperty("num_layer").GetInt32(),
            PipelineStages = pp,
            MicroBatches = misc.GetProperty("num_batch").GetInt32(),
            DataParallel = dp,
            TensorParallel = tp,
            ContextParallel = cp,
            ExpertParallel = ep,
            ZeroStage = misc.GetProperty("dp_zero_stage").GetInt32(),
            FullRecompute = fullRecompute,
            DataParallelSync = misc.GetProperty("dp_microbatch_mode").GetString() == "last_mb"
                ? DataParallelSyncMode.LastMicroBatch
                : DataParallelSyncMode.EveryMicroBatch,
            IncludeBackward = includeBackward,
            IncludeOptimizer = includeOptimizer,
            MoeLayerMask = new EquatableArray<bool>(mask),
            VisionBlockNames = modelType.StartsWith("vit", StringComparison.OrdinalIgnoreCase),
            SingleStageMicroBatches = policy,
            Durations = new PipelineNodeDurations
            {
                EmbeddingForwardSeconds = Time("embedding_f"),
                EmbeddingBackwardSeconds = Time("embedding_b"),
                TransformerForwardSeconds = OptTime("transformer_f_dense") ?? Time("transformer_f"),
                TransformerBackwardSeconds = OptTime("transformer_b_dense") ?? Time("transformer_b"),
                MoeTransformerForwardSeconds = OptTime("transformer_f_moe"),
                MoeTransformerBackwardSeconds = OptTime("transformer_b_moe"),
                LinearSoftmaxForwardSeconds = Time("linear_softmax_f"),
                LinearSoftmaxBackwardSeconds = Time("linear_softmax_b"),
                OptimizerSeconds = Time("optimizer"),
            },
            Communications = new PipelineCommunications
            {
                CrossLayer = Spec("cross_layer") ?? new CommunicationSpec(CollectiveKind.PointToPoint, 0, 2, ParallelismAxis.Pp),
                TransformerDenseSync = Spec("transformer_dense") ?? Spec("transformer"),
                TransformerMoeSync = Spec("transformer_moe"),
                EmbeddingSync = Spec("embedding"),
                SoftmaxSync = Spec("softmax"),
                Zero2EmbeddingGather = Spec("zero2_embedding_gather"),
                Zero2TransformerGather = Spec("zero2_transformer_gather"),
                Zero2SoftmaxGather = Spec("zero2_softmax_gather"),
                Zero3EmbeddingGather = Spec("zero3_embedding_gather"),
                Zero3TransformerGather = Spec("zero3_transformer_gather"),
                Zero3SoftmaxGather = Spec("zero3_softmax_gather"),
                TransformerDenseEpSync = Spec("transformer_dense_ep_sync"),
                TransformerMoeEpSync = Spec("transformer_moe_ep_sync"),
            },
        };
    }
}
