using RapidLlm.Configuration;
using RapidLlm.Simulation;

// The reference README's case study: Qwen2.5-3B inference (batch 32, 65536-token context of which 1024 are generated,
// FlashAttention with a 256 tile) on A100 80GB, first on one GPU (tp 1), then on two (tp 2).
var qwen25_3B = new TransformerArchitecture("Qwen2.5-3B", ModelType.Llama,
    HiddenDim: 2048, NumLayers: 36, NumHeads: 16, KvHeads: 2, IntermediateSize: 11008, VocabSize: 151936, TiedEmbeddings: true);
var model = qwen25_3B.Inference(batch: 32, promptLength: 65536 - 1024, decodeLength: 1024, attentionTileSize: 256);

double Seconds(int tp)
{
    var estimate = LlmSimulation.Create()
        .Hardware(HardwarePresets.A100Sxm80GB)
        .Model(model)
        .Parallelism(p => p.Tensor(tp, sequenceParallel: true))
        .Build()
        .EstimateInference();
    Console.WriteLine($"tp {tp}: {estimate}");
    Console.WriteLine(estimate.Memory);
    Console.WriteLine();
    return estimate.TotalSeconds;
}

var tp1 = Seconds(1);
var tp2 = Seconds(2);
Console.WriteLine($"Speed-up from tp 1 to tp 2: {tp1 / tp2:F2}x ({(1 - tp2 / tp1) * 100:F0}% less time)");
