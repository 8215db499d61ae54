using RapidLlm.Simulation;

// Uses presets (embedded configs), the builder, an estimate and the Markdown writer: a package missing any of them fails here.
var estimate = LlmSimulation.Create()
    .Hardware(HardwarePresets.A100Sxm80GB)
    .Model(ModelPresets.Llama2_7B.Training(globalBatch: 64, sequenceLength: 4096))
    .Parallelism(p => p.Tensor(2, sequenceParallel: true).Data(4))
    .Build()
    .EstimateTraining();
Console.WriteLine(estimate.ToMarkdown());
return estimate.TimePerBatchSeconds > 0 ? 0 : 1;
