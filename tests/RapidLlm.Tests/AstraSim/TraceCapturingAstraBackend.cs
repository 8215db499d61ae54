using RapidLlm.AstraSim.Execution;
using RapidLlm.AstraSim.Traces;
using RapidLlm.Configuration;
using RapidLlm.Execution;
using RapidLlm.Graphs;
using RapidLlm.Graphs.Flattening;
using RapidLlm.Operations;

namespace RapidLlm.Tests.AstraSim;

/// <summary>
/// A flattened-mode step backend that stops before AstraSim: each pipeline graph is flattened and converted to Chakra
/// traces exactly as <c>full_astrasim_flattened</c> does, the traces are kept, and the graph is timed analytically. It
/// lets CI check the MoE traces without a binary.
/// </summary>
internal sealed class TraceCapturingAstraBackend(HardwareConfig hardware, ICollectiveCostModel collectives) : IExecutionBackend
{
    public List<ChakraWorkload> Workloads { get; } = [];

    public List<LayerStep> Steps { get; } = [];

    public string Name => "full_astrasim_flattened";

    public ICollectiveCostModel LayerCollectives(RunType runType, ICollectiveCostModel analytical, CancellationToken cancellationToken = default) => collectives;

    public StepPlan Plan(LayerStep step, CancellationToken cancellationToken = default)
    {
        Steps.Add(step);
        return new StepPlan(null, new Capture(this, step));
    }

    public SimulationResult Execute(ExecutionGraph graph, ICommunicationTimer communication, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("Call Plan for each step.");

    private sealed class Capture(TraceCapturingAstraBackend owner, LayerStep step) : IExecutionBackend
    {
        public string Name => "capture";

        public SimulationResult Execute(ExecutionGraph graph, ICommunicationTimer communication, CancellationToken cancellationToken = default)
        {
            var result = EventSimulator.Simulate(graph, CommunicationTimingPass.Time(graph, communication));
            var flattened = PipelineGraphFlattener.Flatten(graph, result.Durations, AstraLayerGraphs.Flattening(owner.HardwareConfig, step));
            owner.Workloads.Add(ChakraGraphConverter.Convert(
                flattened, AstraLayerGraphs.DataParallel(owner.HardwareConfig, step.RunType), AstraLayerGraphs.FlattenedLayout(owner.HardwareConfig, step.RunType)));
            return result;
        }
    }

    private HardwareConfig HardwareConfig => hardware;
}
