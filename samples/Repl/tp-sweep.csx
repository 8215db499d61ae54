// Llama-3.1-8B inference on H100 as tensor parallelism grows: run with `dotnet run --project samples/Repl -- samples/Repl/tp-sweep.csx`.
// RapidLlm's namespaces are imported by the REPL; EstimateSeries prints as an aligned table.
var model = ModelPresets.Llama3_1_8B.Inference(batch: 8, promptLength: 2048, decodeLength: 512);

InferenceEstimate Estimate(int tp) => LlmSimulation.Create()
    .Hardware(HardwarePresets.H100Sxm80GB)
    .Model(model)
    .Parallelism(p => p.Tensor(tp, sequenceParallel: true))
    .Build()
    .EstimateInference();

var sweep = EstimateSeries.Inference("tensor parallelism", new[] { 1, 2, 4, 8 }, Estimate, title: "Llama-3.1-8B inference on H100, batch 8");
Console.WriteLine(sweep);

// The script's last expression is printed too: the degree with the shortest time to first token.
var fastest = sweep.Points.MinBy(p => p.Seconds[1])!;
$"Shortest time to first token: tp {fastest.Setting} ({Quantity.Seconds(fastest.Seconds[1])})"
