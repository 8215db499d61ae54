#:project ../../src/RapidLlm/RapidLlm.csproj
// What-if: Llama-3.1-8B inference latency and memory on H100 as tensor parallelism grows.
// Run: dotnet run tp-sweep.cs
using RapidLlm.Common;
using RapidLlm.Simulation;

var model = ModelPresets.Llama3_1_8B.Inference(batch: 8, promptLength: 2048, decodeLength: 512);
Console.WriteLine("| tp | total | time to first token | peak memory per GPU |");
Console.WriteLine("|---:|---:|---:|---:|");
foreach (var tp in new[] { 1, 2, 4, 8 })
{
    var e = LlmSimulation.Create().Hardware(HardwarePresets.H100Sxm80GB).Model(model)
        .Parallelism(p => p.Tensor(tp, sequenceParallel: true)).Build().EstimateInference();
    Console.WriteLine($"| {tp} | {Quantity.Seconds(e.TotalSeconds)} | {Quantity.Seconds(e.TimeToFirstTokenSeconds)} | {Quantity.Bytes(e.Memory!.Report.PeakBytes)} |");
}
