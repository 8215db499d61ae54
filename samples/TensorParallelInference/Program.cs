using RapidLlm.Configuration;
using RapidLlm.Inference;
using RapidLlm.Simulation;

// The reference README's case study, sized to fit: Qwen2.5-3B serving a 65536-token context (1024 of them generated,
// FlashAttention with a 256 tile) on A100 80GB, first on one GPU (tp 1), then on two (tp 2). The reference runs a batch
// of 32 sequences; that needs far more memory than an 80 GB GPU has, so this sample serves 2 and says what 32 would need.
var qwen25_3B = new TransformerArchitecture("Qwen2.5-3B", ModelType.Llama,
    HiddenDim: 2048, NumLayers: 36, NumHeads: 16, KvHeads: 2, IntermediateSize: 11008, VocabSize: 151936, TiedEmbeddings: true);

ModelConfig Model(int batch) => qwen25_3B.Inference(batch, promptLength: 65536 - 1024, decodeLength: 1024, attentionTileSize: 256);

LlmSimulation Simulation(int batch, int tp) => LlmSimulation.Create()
    .Hardware(HardwarePresets.A100Sxm80GB)
    .Model(Model(batch))
    .Parallelism(p => p.Tensor(tp, sequenceParallel: true))
    .Build();

InferenceEstimate Estimate(int tp)
{
    var estimate = Simulation(batch: 2, tp).EstimateInference();
    Console.WriteLine($"tp {tp}: {estimate}");
    Console.WriteLine(estimate.Memory);
    Console.WriteLine();
    return estimate;
}

var tp1 = Estimate(1);
var tp2 = Estimate(2);
Console.WriteLine($"Speed-up from tp 1 to tp 2: {tp1.TotalSeconds / tp2.TotalSeconds:F2}x ({(1 - tp2.TotalSeconds / tp1.TotalSeconds) * 100:F0}% less time)");

// The reference's batch of 32, as a what-if: memory only, since it cannot run on these GPUs.
foreach (var tp in new[] { 1, 2 })
{
    var report = Simulation(batch: 32, tp).EstimateMemory().Report;
    Console.WriteLine(report.Fits
        ? $"What-if batch 32 at tp {tp}: fits ({report.PeakGib:F1} GiB per GPU)."
        : $"What-if batch 32 at tp {tp}: does not fit: it needs {report.PeakGib:F1} GiB per GPU and an A100 has {report.CapacityGib:F0} GiB.");
}
