using BenchmarkDotNet.Attributes;
using RapidLlm.Common;
using RapidLlm.Compute;
using RapidLlm.Hardware;

namespace RapidLlm.Benchmarks;

/// <summary>The tiled-GEMM search on an LLM-shaped GEMM (Llama-7B FFN up-projection, 4096 tokens) on an A100.</summary>
[MemoryDiagnoser]
public class GemmBenchmarks
{
    private TiledGemmModel _model = null!;

    [GlobalSetup]
    public void Setup()
    {
        // The A100 80GB device as the reference derives it from configs/hardware-config/reference/a100_80GB.yaml.
        var core = new CoreModel(108, 432, 1.41e9, 311869440000000.0, 8, 4, Dataflow.Best, 1.8e-13);
        MemoryLevel[] levels =
        [
            new(MemoryKind.Register, MemoryScope.Mcu, 28311552, 65536, 134140418588672, 0, 1.1e-13),
            new(MemoryKind.L1, MemoryScope.McuBundle, 21233664, 196608, 19791209299968, 0, 1.3e-13),
            new(MemoryKind.L2, MemoryScope.Global, 41943040, 41943040, 7569879859200, 0, 1.3e-13),
            new(MemoryKind.Dram, MemoryScope.Global, 85899345920, 85899345920, 2132451262464, 1e-7, 4.5e-12),
        ];
        _model = new TiledGemmModel(new HardwareModel(core, new EquatableArray<MemoryLevel>(levels)), 2.0, 9e-6);
        _model.Estimate(4096, 4096, 11008);
    }

    [Benchmark(Baseline = true)]
    public object Uncached() => _model.EstimateUncached(4096, 4096, 11008);

    [Benchmark]
    public object Cached() => _model.Estimate(4096, 4096, 11008);

    [Benchmark]
    public object UncachedLargeSquare() => _model.EstimateUncached(16384, 16384, 16384);
}
