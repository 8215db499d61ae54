using RapidLlm.Inference;
using RapidLlm.Memory;
using RapidLlm.Results;
using RapidLlm.Simulation;

namespace RapidLlm.Interactive.Tests;

/// <summary>The estimates the tests display: the same runs as the getting-started notebook, computed once.</summary>
internal static class Estimates
{
    private static readonly Lazy<LlmSimulation> TrainingRun = new(() => LlmSimulation.Create()
        .Hardware(HardwarePresets.A100Sxm80GB)
        .Model(ModelPresets.Llama2_7B.Training(globalBatch: 64, sequenceLength: 4096))
        .Parallelism(p => p.Tensor(2, sequenceParallel: true).Data(4))
        .Build());

    private static readonly Lazy<TrainingEstimate> TrainingEstimate = new(() => TrainingRun.Value.EstimateTraining());

    private static readonly Lazy<InferenceEstimate> InferenceEstimate = new(() => Inference(tp: 1));

    public static LlmSimulation TrainingSimulation => TrainingRun.Value;

    public static TrainingEstimate Training => TrainingEstimate.Value;

    public static InferenceEstimate InferenceTp1 => InferenceEstimate.Value;

    public static MemoryEstimate Memory => Training.Memory!;

    public static InferenceEstimate Inference(int tp) => LlmSimulation.Create()
        .Hardware(HardwarePresets.H100Sxm80GB)
        .Model(ModelPresets.Llama3_1_8B.Inference(batch: 8, promptLength: 2048, decodeLength: 512))
        .Parallelism(p => p.Tensor(tp, sequenceParallel: true))
        .Build()
        .EstimateInference();

    public static GemmModeEstimate Gemm() => LlmSimulation.Create()
        .Hardware(HardwarePresets.H100Sxm80GB)
        .Model(ModelPresets.Gemm(8192, 8192, 8192, backward: true))
        .Build()
        .EstimateGemm();
}
