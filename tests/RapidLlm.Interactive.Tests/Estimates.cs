using RapidLlm.Inference;
using RapidLlm.Memory;
using RapidLlm.Common;
using RapidLlm.Results;
using RapidLlm.Search;
using RapidLlm.Simulation;

namespace RapidLlm.Interactive.Tests;

/// <summary>The estimates the tests display: the same runs as the getting-started notebook, computed once.</summary>
internal static class Estimates
{
    private static readonly Lazy<LlmSimulation> TrainingRun = new(() => LlmSimulation.Create()
        .Hardware(HardwarePresets.A100Sxm80GB)
        .Model(ModelPresets.Llama2_7B.Training(globalBatch: 64, sequenceLength: 4096))
        .Parallelism(p => p.Tensor(2, sequenceParallel: true).Data(4))
        .Software(s => s.ZeroStage(1).FullRecomputation())
        .Build());

    private static readonly Lazy<TrainingEstimate> TrainingEstimate = new(() => TrainingRun.Value.EstimateTraining());

    private static readonly Lazy<InferenceEstimate> InferenceEstimate = new(() => Inference(tp: 1));

    private static readonly Lazy<SearchResult> TrainingSearchRun = new(() => ParallelismSearch.Run(SearchTemplate(), SearchOptions));

    private static readonly Lazy<SearchResult> InferenceSearchRun = new(() => ParallelismSearch.Run(
        LlmSimulation.Create().Hardware(HardwarePresets.H100Sxm80GB).Model(ModelPresets.Llama3_1_8B.Inference(batch: 8, promptLength: 2048, decodeLength: 512)),
        new SearchOptions { Gpus = 4 }));

    private static readonly Lazy<SweepResult> TrainingSweepRun = new(() => TrainingSweep().Run());

    public static LlmSimulation TrainingSimulation => TrainingRun.Value;

    /// <summary>The notebook's search: Llama-2-13B training on 8 A100s, ZeRO stages 0-2 (every other axis free).</summary>
    public static SearchResult TrainingSearch => TrainingSearchRun.Value;

    /// <summary>Llama-3.1-8B serving on 4 H100s, ranked by throughput.</summary>
    public static SearchResult InferenceSearch => InferenceSearchRun.Value;

    /// <summary>The notebook's sweep: tensor parallelism (dp = 8 / tp) × ZeRO stage for Llama-2-13B on 8 A100s with full recomputation.</summary>
    public static SweepResult Sweep => TrainingSweepRun.Value;

    public static SearchOptions SearchOptions => new() { Gpus = 8, ZeroStages = new EquatableArray<int>([0, 1, 2]) };

    public static LlmSimulationBuilder SearchTemplate() => LlmSimulation.Create()
        .Hardware(HardwarePresets.A100Sxm80GB)
        .Model(ModelPresets.Llama2_13B.Training(globalBatch: 64, sequenceLength: 4096));

    public static SettingSweep TrainingSweep() => SettingSweep.From(() => SearchTemplate().Software(s => s.FullRecomputation()))
        .Over("tensor parallelism", [1, 2, 4, 8], (b, tp) => b.Parallelism(p => p.Tensor(tp, sequenceParallel: true).Data(8 / tp)))
        .Over("ZeRO stage", [0, 1, 2], (b, stage) => b.Software(s => s.ZeroStage(stage)));

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
