using BenchmarkDotNet.Attributes;
using RapidLlm.Configuration;
using RapidLlm.Simulation;

namespace RapidLlm.Benchmarks;

/// <summary>
/// End-to-end estimates after warm-up (the GEMM cache of the device models is warm, as in a parameter sweep).
/// The reference takes 5-8 s for each of these.
/// </summary>
[MemoryDiagnoser]
public class EstimateBenchmarks
{
    private TrainingEstimator _llama7BTraining = null!;
    private TransformerConfig _llama7B = null!;
    private TrainingEstimator _llama70BTraining = null!;
    private TrainingEstimator _llama70BInterleaved = null!;
    private TransformerConfig _llama70B = null!;
    private LlmInferenceEstimator _llama8BInference = null!;
    private TransformerConfig _llama8B = null!;

    [GlobalSetup]
    public void Setup()
    {
        var configs = ConfigsDirectory();
        var a100 = HardwareConfig.FromYaml(Path.Combine(configs, "hardware-config", "a100_80GB.yaml"));

        // Llama-2-7B, 32 layers, tp2 pp4 dp2, 4 micro-batches.
        var hw7B = a100 with { Parallelism = a100.Parallelism with { Tp = 2, Pp = 4, MicroBatches = 4, Train = a100.Parallelism.Train with { Dp = 2 } } };
        _llama7B = ModelConfig.FromYaml(Path.Combine(configs, "model-config", "Llama2-7B.yaml")).Transformer! with { GlobalBatchSize = 64, GradientAccumulationSteps = 1 };
        _llama7BTraining = new TrainingEstimator(new DeviceModels(hw7B));

        // Llama-3.1-70B, tp8 pp8.
        var hw70B = a100 with { Parallelism = a100.Parallelism with { Tp = 8, Pp = 8, MicroBatches = 8, Train = a100.Parallelism.Train with { Dp = 1 } } };
        _llama70B = ModelConfig.FromYaml(Path.Combine(configs, "model-config", "Llama3.1-70B.yaml")).Transformer! with { GlobalBatchSize = 64 };
        _llama70BTraining = new TrainingEstimator(new DeviceModels(hw70B));
        var interleaved = hw70B with { Parallelism = hw70B.Parallelism with { MicroBatches = 32, Schedule = PipelineSchedule.Interleaved(2) } };
        _llama70BInterleaved = new TrainingEstimator(new DeviceModels(interleaved));

        // Llama-3.1-8B inference: prefill 2048, decode 512, a sample every 64 steps.
        var hw8B = a100 with { Parallelism = a100.Parallelism with { Tp = 1 } };
        _llama8B = ModelConfig.FromYaml(Path.Combine(configs, "model-config", "Llama3.1-8B_inf.yaml")).Transformer! with
        {
            SeqLen = 2048 + 512, DecodeLen = 512, SampleEvery = 64,
        };
        _llama8BInference = new LlmInferenceEstimator(new DeviceModels(hw8B));
    }

    /// <summary>Llama-2-7B training step, tp2 pp4 dp2 mb4 (time per batch only).</summary>
    [Benchmark]
    public double Llama2_7B_Training_Tp2Pp4Dp2() => _llama7BTraining.Estimate(_llama7B, includeMemory: false).TimePerBatchSeconds;

    /// <summary>Llama-3.1-70B training step, tp8 pp8 (time per batch only).</summary>
    [Benchmark]
    public double Llama31_70B_Training_Tp8Pp8() => _llama70BTraining.Estimate(_llama70B, includeMemory: false).TimePerBatchSeconds;

    /// <summary>Llama-3.1-70B training step, tp8 pp8, 32 micro-batches, interleaved 1F1B with 2 chunks per stage (time only).</summary>
    [Benchmark]
    public double Llama31_70B_Training_Tp8Pp8_Interleaved() => _llama70BInterleaved.Estimate(_llama70B, includeMemory: false).TimePerBatchSeconds;

    /// <summary>Llama-3.1-8B inference: prefill 2048, decode 512, sampled every 64 steps (timing and energy).</summary>
    [Benchmark]
    public double Llama31_8B_Inference() => _llama8BInference.Estimate(_llama8B, includeMemory: false).TotalSeconds;

    /// <summary>The Llama-2-7B step with the per-GPU memory simulation over the per-rank graph (the CLI's default).</summary>
    [Benchmark]
    public double Llama2_7B_Training_WithMemory() => _llama7BTraining.Estimate(_llama7B).Memory!.Report.PeakGib;

    /// <summary>The Llama-3.1-8B inference with prefill and final-decode memory (the CLI's default).</summary>
    [Benchmark]
    public double Llama31_8B_Inference_WithMemory() => _llama8BInference.Estimate(_llama8B).Memory!.Report.PeakGib;

    internal static string ConfigsDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "configs");
            if (Directory.Exists(Path.Combine(candidate, "hardware-config"))) return candidate;
        }

        throw new DirectoryNotFoundException("Could not find the repository's configs/ folder above " + AppContext.BaseDirectory);
    }
}
