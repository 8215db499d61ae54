#:project ../../src/RapidLlm/RapidLlm.csproj
// What-if: how much faster would Llama-2-7B training be on an A100 with more HBM bandwidth?
// Run: dotnet run hbm-what-if.cs
using RapidLlm.Simulation;

var a100 = HardwarePresets.A100Sxm80GB;
var baseline = LlmSimulation.Create().Hardware(a100).Model(ModelPresets.Llama2_7B.Training(globalBatch: 64, sequenceLength: 4096))
    .Parallelism(p => p.Tensor(2, sequenceParallel: true).Data(4)).Software(s => s.ZeroStage(1).FullRecomputation()).Build();
var baseSeconds = baseline.EstimateTraining(includeMemory: false).TimePerBatchSeconds;
foreach (var factor in new[] { 1.0, 1.5, 2.0, 3.0 })
{
    var faster = baseline.ToBuilder().Device(d => d.MemoryBandwidth(factor * a100.MemoryBandwidthBytesPerSecond)).Build();
    var seconds = faster.EstimateTraining(includeMemory: false).TimePerBatchSeconds;
    Console.WriteLine($"HBM x{factor:F1}: {seconds:F3} s per batch ({baseSeconds / seconds:F2}x)");
}
