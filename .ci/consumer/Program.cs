using RapidLlm.Execution;
using RapidLlm.Simulation;

// Uses presets (embedded configs), the builder, an estimate and the Markdown writer: a package missing any of them fails here.
var builder = () => LlmSimulation.Create()
    .Hardware(HardwarePresets.A100Sxm80GB)
    .Model(ModelPresets.Llama2_7B.Training(globalBatch: 64, sequenceLength: 4096))
    .Parallelism(p => p.Tensor(2, sequenceParallel: true).Data(4))
    .Software(s => s.ZeroStage(1).FullRecomputation());
var estimate = builder().Build().EstimateTraining();
Console.WriteLine(estimate.ToMarkdown());

// A backend of one's own, written against the package's public seam only: the library's schedule replayed gives the
// analytical step; every compute vertex twice as long gives a longer one.
var replayed = builder().UseBackend(new Replay()).Build().EstimateTraining(includeMemory: false);
var slower = builder().UseBackend(new SlowerCompute()).Build().EstimateTraining(includeMemory: false);
Console.WriteLine($"{replayed.Backend}: {replayed.TimePerBatchSeconds} s; {slower.Backend}: {slower.TimePerBatchSeconds} s");
var ok = estimate.TimePerBatchSeconds > 0
    && Math.Abs(replayed.TimePerBatchSeconds - estimate.TimePerBatchSeconds) <= 1e-9 * estimate.TimePerBatchSeconds
    && slower.TimePerBatchSeconds > 1.5 * estimate.TimePerBatchSeconds;
return ok ? 0 : 1;

sealed class Replay : IStepBackend
{
    public string Name => "replay";

    public StepSchedule Schedule(StepGraph graph, BackendContext context) => graph.Simulate();
}

sealed class SlowerCompute : IStepBackend
{
    public string Name => "slower-compute";

    public StepSchedule Schedule(StepGraph graph, BackendContext context)
    {
        context.CancellationToken.ThrowIfCancellationRequested();
        return graph.Simulate(v => v.IsCompute ? 2 * v.DurationSeconds : v.DurationSeconds);
    }
}
