using RapidLlm.AstraSim.Traces;
using RapidLlm.AstraSim.Visualization;
using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Execution;
using RapidLlm.Graphs;
using RapidLlm.Network;

namespace RapidLlm.AstraSim.Execution;

/// <summary>
/// The pipeline step of <c>full_astrasim_hierarchical</c>: the whole pipeline graph (stages × data-parallel
/// replicas, pipeline transfers as sends/receives, gradient collectives on per-stage groups) runs in AstraSim, and
/// the slowest rank's wall time is the step time. Our event simulation still runs, for per-vertex finish times and
/// per-device busy time, which AstraSim does not report.
/// </summary>
internal sealed class AstraSimPipelineBackend : IExecutionBackend
{
    private readonly AstraGraphSimulator _simulator;
    private readonly RunType _runType;
    private readonly int _pipelineStages;
    private readonly int _dataParallel;
    private readonly GraphVisualizer? _visualizer;

    /// <summary>Creates the backend.</summary>
    /// <param name="simulator">Runs graphs in AstraSim.</param>
    /// <param name="runType">Training or inference.</param>
    /// <param name="pipelineStages">Pipeline stages (the graph's hardware ids).</param>
    /// <param name="dataParallel">Data-parallel replicas to simulate (1 for inference).</param>
    /// <param name="visualizer">Saves the pipeline graph when enabled.</param>
    public AstraSimPipelineBackend(AstraGraphSimulator simulator, RunType runType, int pipelineStages, int dataParallel, GraphVisualizer? visualizer = null)
    {
        _visualizer = visualizer;
        _simulator = simulator ?? throw new ArgumentNullException(nameof(simulator));
        _runType = runType;
        _pipelineStages = Math.Max(1, pipelineStages);
        _dataParallel = Math.Max(1, dataParallel);
    }

    /// <inheritdoc />
    public string Name => "full_astrasim_hierarchical";

    /// <inheritdoc />
    public SimulationResult Execute(ExecutionGraph graph, ICommunicationTimer communication, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(communication);
        var local = EventSimulator.Simulate(graph, CommunicationTimingPass.Time(graph, communication));
        _visualizer?.Save(graph, "pipeline_graph_hierarchical", local.Durations);
        var layout = new AstraRankLayout(new EquatableArray<AxisSize>([new AxisSize(ParallelismAxis.Pp, _pipelineStages), new AxisSize(ParallelismAxis.Dp, _dataParallel)]));
        var astra = _simulator.Simulate(graph, _runType, _dataParallel, layout, "astra_hier", cancellationToken);
        return local.WithMakespan(astra.MaxSeconds);
    }
}
