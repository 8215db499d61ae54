using RapidLlm.Configuration;
using RapidLlm.Simulation;
using RapidLlm.Graphs;
using RapidLlm.Memory;

namespace RapidLlm.Search;

/// <summary>
/// A cheap lower bound on the simulated per-GPU peak, from the memory model's sizes alone (no graph): some stage holds at
/// least ⌈layers / pp⌉ layers, and each of its GPUs holds their static memory from the start and, when the first
/// micro-batch's forward pass has run through them, that micro-batch's stored activations (no backward pass can free
/// anything before, in any schedule). Under GPipe every stage runs all its micro-batches' forwards before its first
/// backward (that backward is the last micro-batch's, which waits for its forward, and each stage's forwards are
/// chained in micro-batch order), so there it holds the stored activations of every micro-batch at once. Inference
/// holds the weights and the KV cache of its layers. Never above the peak.
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

    /// <summary>The bound in bytes.</summary>
    /// <param name="hardware">The candidate's hardware (its parallelism and schedule).</param>
    /// <param name="model">The model.</param>
    /// <param name="singleStage">How one stage runs its micro-batches: the reference's policy runs only the first.</param>
    public static double Bytes(HardwareConfig hardware, TransformerConfig model, SingleStageMicroBatchPolicy singleStage = SingleStageMicroBatchPolicy.Chain)
    {
        var par = hardware.Parallelism;
        var layersOnFullestStage = Math.Max(1, (model.NumLayers + par.Pp - 1) / par.Pp);
        var input = MemoryModelFactory.Input(hardware, model, model.RunType);
        if (model.RunType == RunType.Training)
        {
            var ep = model.UsesMoe ? Math.Max(1, par.Train.Ep) : 1;
            var batch = BatchPlan.ForTraining(model.GlobalBatchSize, model.GradientAccumulationSteps, par.Train.Dp * ep, par.Pp, par.MicroBatches, singleStage);
            var data = MemoryDataBuilder.Build(input, MemoryPhaseInput.Training((int)batch.EffectiveBatch, model.SeqLen));
            var held = HeldMicroBatches(hardware, model, singleStage);
            var dense = data.StaticBytesPerLayer + (held * Activations(data.PersistentBytes));
            var perLayer = data.Moe is { } moe ? Math.Min(dense, moe.StaticBytesPerLayer + (held * Activations(k => moe.PersistentBytesByKind.GetValueOrDefault(k)))) : dense;
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

    /// <summary>
    /// Micro-batches whose stored activations a stage holds together before its first backward: all of them under GPipe
    /// (where every stage has a layer, so each stage boundary chains its micro-batches, and a single stage chains them
    /// under <see cref="SingleStageMicroBatchPolicy.Chain"/>); one otherwise. ZeRO-3 over several ranks per stage is
    /// excluded: its per-rank gathers, wired as the reference wires them, keep some ranks' later forwards from running.
    /// </summary>
    private static int HeldMicroBatches(HardwareConfig hardware, TransformerConfig model, SingleStageMicroBatchPolicy singleStage)
    {
        var par = hardware.Parallelism;
        if (par.Schedule.Kind != PipelineScheduleKind.GPipe || par.MicroBatches < 1) return 1;
        var ranks = (long)par.Tp * par.Cp * (model.UsesMoe ? Math.Max(1, par.Train.Ep) : 1);
        if (hardware.Software.DpZeroStage >= 3 && ranks > 1) return 1;
        if (par.Pp == 1) return singleStage == SingleStageMicroBatchPolicy.Chain ? par.MicroBatches : 1;
        return model.NumLayers >= par.Pp ? par.MicroBatches : 1;
    }

    private static double Activations(Func<VertexMemoryKind, double> persistent)
    {
        var sum = 0.0;
        foreach (var kind in LayerKinds) sum += persistent(kind);
        return sum;
    }
}
