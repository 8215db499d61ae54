using RapidLlm.Configuration;
using RapidLlm.Estimation;
using RapidLlm.Graphs;
using RapidLlm.Memory;

namespace RapidLlm.Search;

/// <summary>
/// A cheap lower bound on the simulated per-GPU peak, from the memory model's sizes alone (no graph): some stage holds at
/// least ⌈layers / pp⌉ layers, and each of its GPUs holds their static memory from the start and, when the first
/// micro-batch's forward pass has run through them, that micro-batch's stored activations (no backward pass can free
/// anything before, in any schedule). Inference holds the weights and the KV cache of its layers. Never above the peak.
/// </summary>
internal static class MemoryLowerBound
{
    private static readonly VertexMemoryKind[] LayerKinds =
    [
        VertexMemoryKind.LayerNorm1, VertexMemoryKind.QkvProjection, VertexMemoryKind.Attention,
        VertexMemoryKind.OutputProjection, VertexMemoryKind.LayerNorm2, VertexMemoryKind.Mlp,
    ];

    // Rounding slack: the bound sums in another order than the simulation.
    private const double Slack = 1 - 1e-9;

    public static double Bytes(HardwareConfig hardware, TransformerConfig model)
    {
        var par = hardware.Parallelism;
        var layersOnFullestStage = Math.Max(1, (model.NumLayers + par.Pp - 1) / par.Pp);
        var input = MemoryModelFactory.Input(hardware, model, model.RunType);
        if (model.RunType == RunType.Training)
        {
            var ep = model.UsesMoe ? Math.Max(1, par.Train.Ep) : 1;
            var batch = BatchPlan.ForTraining(model.GlobalBatchSize, model.GradientAccumulationSteps, par.Train.Dp * ep, par.Pp, par.MicroBatches);
            var data = MemoryDataBuilder.Build(input, MemoryPhaseInput.Training((int)batch.EffectiveBatch, model.SeqLen));
            var dense = data.StaticBytesPerLayer + Activations(data.PersistentBytes);
            var perLayer = data.Moe is { } moe ? Math.Min(dense, moe.StaticBytesPerLayer + Activations(k => moe.PersistentBytesByKind.GetValueOrDefault(k))) : dense;
            return layersOnFullestStage * perLayer * Slack;
        }

        var decode = model.DecodeLen ?? 0;
        var plan = BatchPlan.ForInference(model.GlobalBatchSize, par.Pp, par.MicroBatches);
        var phase = decode > 0
            ? MemoryPhaseInput.FinalDecode((int)plan.EffectiveBatch, model.SeqLen)
            : MemoryPhaseInput.Prefill((int)plan.EffectiveBatch, model.SeqLen);
        if (model.IsVit) phase = phase with { KvCacheTokens = 0 };
        var inference = MemoryDataBuilder.Build(input, phase);
        var denseLayer = inference.WeightBytesPerLayer + inference.KvCacheBytesPerLayer;
        var layerBytes = inference.Moe is { } m ? Math.Min(denseLayer, m.WeightBytesPerLayer + inference.KvCacheBytesPerLayer) : denseLayer;
        return layersOnFullestStage * layerBytes * Slack;
    }

    private static double Activations(Func<VertexMemoryKind, double> persistent)
    {
        var sum = 0.0;
        foreach (var kind in LayerKinds) sum += persistent(kind);
        return sum;
    }
}
