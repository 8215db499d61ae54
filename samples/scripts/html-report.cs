#:project ../../src/RapidLlm.Interactive/RapidLlm.Interactive.csproj
// An HTML page with tables and SVG charts, outside any notebook: a training estimate and a tensor-parallel sweep.
// Run: dotnet run html-report.cs -- report.html   (then open report.html in a browser; without a path it prints the page)
using RapidLlm.Interactive;
using RapidLlm.Simulation;

var training = LlmSimulation.Create()
    .Hardware(HardwarePresets.A100Sxm80GB)
    .Model(ModelPresets.Llama2_13B.Training(globalBatch: 64, sequenceLength: 4096))
    .Parallelism(p => p.Tensor(2, sequenceParallel: true).Data(4))
    .Software(s => s.ZeroStage(1).FullRecomputation())
    .Build();
var sweep = EstimateSeries.Training("tensor parallelism (dp = 8 / tp)", new[] { 1, 2, 4, 8 }, tp =>
        training.ToBuilder().Parallelism(p => p.Tensor(tp, sequenceParallel: true).Data(8 / tp)).Build().EstimateTraining(),
    title: "Llama-2-13B training step on 8 × A100 80GB");

var page = new System.Text.StringBuilder()
    .AppendLine("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>RapidLlm report</title>")
    .AppendLine("<style>body{font-family:sans-serif} table{border-collapse:collapse;margin:8px 0} td,th{padding:2px 10px;border-bottom:1px solid #ddd}</style></head><body>")
    .AppendLine(training.EstimateTraining().ToHtml())
    .AppendLine(sweep.ToHtml())
    .AppendLine("</body></html>")
    .ToString();
// A path keeps the page clean of anything the build prints on standard output.
if (args.Length > 0) File.WriteAllText(args[0], page);
else Console.Write(page);
