using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Simulation;

// Everything in code, no YAML file: a hypothetical 16B model on an H100 whose HBM is twice as fast, trained with
// tp 4 + sequence parallelism, 2 pipeline stages and 4-way data parallelism over a faster NVLink.
var model = new TransformerArchitecture("Custom-16B", ModelType.Llama,
    HiddenDim: 5120, NumLayers: 48, NumHeads: 40, KvHeads: 8, IntermediateSize: 17920, VocabSize: 128256, TiedEmbeddings: false);

var h100 = HardwarePresets.H100Sxm80GB;

var simulation = LlmSimulation.Create()
    .Hardware(h100)
    .Device(d => d.MemoryBandwidth(2 * h100.MemoryBandwidthBytesPerSecond))
    .Model(model.Training(globalBatch: 256, sequenceLength: 4096, flashAttention: true))
    .Parallelism(p => p.Tensor(4, sequenceParallel: true).Pipeline(2, microBatches: 8).Data(4))
    .Network(n => n.Dimension(0, d => d.Bandwidth(450e9).Axes(ParallelismAxis.Tp, ParallelismAxis.Cp)))
    .Software(s => s.ZeroStage(1).FullRecomputation())
    .UseAnalytical()
    .Build();

Console.WriteLine(simulation);
var estimate = simulation.EstimateTraining();
Console.WriteLine(estimate.ToMarkdown());
