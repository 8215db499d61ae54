using RapidLlm.Configuration;
using RapidLlm.Search;
using RapidLlm.Simulation;

namespace RapidLlm.Tests.Search;

/// <summary>Small search spaces that estimate in well under a second each.</summary>
internal static class SearchFixtures
{
    /// <summary>An eight-layer Llama-2-7B-shaped model, batch 4 of 512 tokens, on A100s.</summary>
    public static LlmSimulationBuilder SmallTraining() => LlmSimulation.Create()
        .Hardware(HardwarePresets.A100Sxm80GB)
        .Model((ModelPresets.Llama2_7B with { NumLayers = 8 }).Training(globalBatch: 4, sequenceLength: 512));

    /// <summary>The same model serving 4 sequences (128 prompt + 32 generated tokens) per replica.</summary>
    public static LlmSimulationBuilder SmallInference() => LlmSimulation.Create()
        .Hardware(HardwarePresets.A100Sxm80GB)
        .Model((ModelPresets.Llama2_7B with { NumLayers = 8 }).Inference(batch: 4, promptLength: 128, decodeLength: 32));

    /// <summary>Four GPUs, no pruning, one thread unless told otherwise.</summary>
    public static SearchOptions Options(int gpus = 4, int threads = 1) =>
        new() { Gpus = gpus, PruneByMemoryBound = false, MaxDegreeOfParallelism = threads };
}
