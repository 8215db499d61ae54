using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using RapidLlm.Search;
using RapidLlm.Simulation;

namespace RapidLlm.Benchmarks;

/// <summary>A training estimate with per-GPU memory on warm device models (as in a sweep).</summary>
[MemoryDiagnoser]
public class TrainingMemoryBenchmarks
{
    private LlmSimulation _llama70B = null!;

    [GlobalSetup]
    public void Setup()
    {
        var configs = EstimateBenchmarks.ConfigsDirectory();
        // Llama-3.1-70B (the shipped model file: batch 16 of 65536 tokens) at tp 8, pp 8, 16 micro-batches: the case.
        _llama70B = LlmSimulation.Create()
            .Hardware(Path.Combine(configs, "hardware-config", "a100_80GB.yaml"))
            .Model(Path.Combine(configs, "model-config", "Llama3.1-70B.yaml"))
            .Parallelism(p => p.Tensor(8, sequenceParallel: true).Pipeline(8, microBatches: 16).Data(1))
            .Build();
        _llama70B.EstimateTraining();
    }

    /// <summary>Llama-3.1-70B training step, tp 8 pp 8 mb 16, time per batch and per-GPU memory (target ≤ 5 ms).</summary>
    [Benchmark]
    public double Llama31_70B_Tp8Pp8Mb16_WithMemory() => _llama70B.EstimateTraining().Memory!.Report.PeakGib;
}

/// <summary>
/// Whole configuration searches with memory on all cores. A search is one long operation, so each runs once without
/// warm-up (a cold GEMM memo, as a user's first search has); candidates per second = candidates / time.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 0, iterationCount: 1)]
public class SearchBenchmarks
{
    private LlmSimulationBuilder _llama8BSearch = null!;
    private LlmSimulationBuilder _llama70BSearch = null!;

    [GlobalSetup]
    public void Setup()
    {
        var configs = EstimateBenchmarks.ConfigsDirectory();
        var a100 = Path.Combine(configs, "hardware-config", "a100_80GB.yaml");
        var model70B = Path.Combine(configs, "model-config", "Llama3.1-70B.yaml");

        // 10,106 candidates: Llama-3.1-8B, batch 256 of 4096 tokens, on 64 A100s, every schedule (see Search10k).
        _llama8BSearch = LlmSimulation.Create().Hardware(HardwarePresets.A100Sxm80GB)
            .Model(ModelPresets.Llama3_1_8B.Training(globalBatch: 256, sequenceLength: 4096, flashAttention: true));
        Console.WriteLine($"// Llama-3.1-8B search space: {ParallelismSearch.Candidates(_llama8BSearch, Search10kOptions).Count} candidates");

        // The outside check: Llama-3.1-70B (shipped model file) on 64 GPUs of the shipped A100 file.
        _llama70BSearch = LlmSimulation.Create().Hardware(a100).Model(model70B);
        Console.WriteLine($"// Llama-3.1-70B search space: {ParallelismSearch.Candidates(_llama70BSearch, new SearchOptions { Gpus = 64 }).Count} candidates");
    }

    private static SearchOptions Search10kOptions => new() { Gpus = 64, SearchSchedules = true };

    /// <summary>A 10,106-candidate training search with memory, all cores (target ≤ 60 s).</summary>
    [Benchmark]
    public int Search10k_Llama31_8B_64Gpus() => ParallelismSearch.Run(_llama8BSearch, Search10kOptions).Evaluated;

    /// <summary>The contract's check: Llama-3.1-70B training on 64 GPUs (shipped files), all cores (target ≤ 60 s whole process).</summary>
    [Benchmark]
    public int Search_Llama31_70B_64Gpus() => ParallelismSearch.Run(_llama70BSearch, new SearchOptions { Gpus = 64 }).Evaluated;
}
