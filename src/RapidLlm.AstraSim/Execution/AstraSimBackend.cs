using RapidLlm.AstraSim.Microbenchmarks;
using RapidLlm.AstraSim.Visualization;
using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Execution;
using RapidLlm.Graphs;
using RapidLlm.Hardware;
using RapidLlm.Network;
using RapidLlm.Operations;

namespace RapidLlm.AstraSim.Execution;

/// <summary>
/// The three AstraSim execution modes, as the reference's dispatcher runs them for every pipeline step:
/// <list type="bullet">
/// <item><c>hybrid</c>: the layer's forward/backward graphs run in AstraSim and their slowest rank becomes the
/// pipeline's transformer durations; the pipeline graph runs in our event simulator with collectives priced by
/// microbenchmarks.</item>
/// <item><c>full_astrasim_hierarchical</c>: the same layer runs, then the whole pipeline graph (stages × replicas) runs
/// in AstraSim.</item>
/// <item><c>full_astrasim_flattened</c>: the pipeline graph expanded into per-rank operations runs in AstraSim.</item>
/// </list>
/// In every mode the layer model's collectives are priced by microbenchmarks. The backend holds no state across
/// estimates except the per-run-type microbenchmark results.
/// </summary>
internal sealed class AstraSimBackend : IExecutionBackend
{
    private readonly HardwareConfig _hardware;
    private readonly AstraGraphSimulator _simulator;
    private readonly AstraCollectiveTimer _training;
    private readonly AstraCollectiveTimer _inference;
    private readonly GraphVisualizer _visualizer;

    /// <summary>Creates the backend; fails early when no AstraSim binary is found.</summary>
    /// <param name="hardware">The hardware (network, AstraSim settings).</param>
    /// <param name="mode">Which AstraSim mode runs.</param>
    /// <param name="options">Output folder, binary, timeout, persistence.</param>
    /// <param name="collectives">The device's analytical collectives, used for point-to-point transfers.</param>
    /// <param name="services">The clock AstraSim runs time out on and the log; null uses the system clock and no log.</param>
    /// <exception cref="Running.AstraSimBinaryNotFoundException">No AstraSim binary was found.</exception>
    public AstraSimBackend(HardwareConfig hardware, AstraSimMode mode, AstraSimOptions options, AnalyticalCollectives collectives, SimulationServices? services = null)
    {
        _hardware = hardware ?? throw new ArgumentNullException(nameof(hardware));
        ArgumentNullException.ThrowIfNull(collectives);
        ArgumentNullException.ThrowIfNull(options);
        Mode = mode;
        // AstraSim runs in its own working folder, so every path it is given must not depend on ours.
        options = options with { OutputDirectory = Path.GetFullPath(options.OutputDirectory ?? AstraGraphSimulator.DefaultOutputDirectory()) };
        _simulator = new AstraGraphSimulator(hardware, options, services);
        _visualizer = new GraphVisualizer(options.OutputDirectory, options.VisualizeGraphs);
        AstraCollectiveTimer Timer(RunType runType)
        {
            var network = NetworkResolution.Resolve(hardware, runType);
            var pointToPoint = new PointToPointTimer(collectives, network);
            // The calibrated model prices the data-parallel all-reduce on the dp dimension; the reference on the first (tp) one.
            return new AstraCollectiveTimer(_simulator, runType, network, hardware.Software.KernelLaunchOverheadSeconds, pointToPoint,
                pipelineCollectivesOnOwnAxis: hardware.PerformanceModel.IsCalibrated);
        }

        _training = Timer(RunType.Training);
        _inference = Timer(RunType.Inference);
    }

    /// <summary>The mode this backend runs.</summary>
    public AstraSimMode Mode { get; }

    /// <inheritdoc />
    public string Name => Mode switch
    {
        AstraSimMode.Hybrid => "hybrid",
        AstraSimMode.FullHierarchical => "full_astrasim_hierarchical",
        _ => "full_astrasim_flattened",
    };

    /// <summary>The microbenchmark timer of <paramref name="runType"/>.</summary>
    public AstraCollectiveTimer Collectives(RunType runType) => runType == RunType.Training ? _training : _inference;

    /// <summary>In every mode the layer model's collectives are priced by AstraSim microbenchmarks (cached per backend).</summary>
    /// <param name="runType">Training or inference (selects the axis sizes the network is planned with).</param>
    /// <param name="analytical">Unused: AstraSim replaces the analytical collectives.</param>
    /// <param name="cancellationToken">Stops the microbenchmark runs the returned model starts.</param>
    /// <returns>The microbenchmark timer of <paramref name="runType"/>.</returns>
    public ICollectiveCostModel LayerCollectives(RunType runType, ICollectiveCostModel analytical, CancellationToken cancellationToken = default) =>
        Collectives(runType).WithCancellation(cancellationToken);

    /// <summary>Times the step's layer in AstraSim (hybrid, hierarchical) and chooses the backend of its pipeline graph.</summary>
    /// <param name="step">The layer the step's pipeline graph is built from.</param>
    /// <param name="cancellationToken">Stops the AstraSim runs (the child process is killed).</param>
    /// <returns>The plan.</returns>
    public StepPlan Plan(LayerStep step, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(step);
        var dataParallel = AstraLayerGraphs.DataParallel(_hardware, step.RunType);
        return Mode switch
        {
            AstraSimMode.Hybrid => new StepPlan(TimeLayer(step, cancellationToken), new AstraSimHybridPipelineBackend(Collectives(step.RunType), _visualizer))
            {
                MoeTransformer = TimeMoeLayer(step, cancellationToken),
            },
            AstraSimMode.FullHierarchical => new StepPlan(TimeLayer(step, cancellationToken),
                new AstraSimPipelineBackend(_simulator, step.RunType, _hardware.Parallelism.Pp, dataParallel, _visualizer))
            {
                MoeTransformer = TimeMoeLayer(step, cancellationToken),
            },
            _ => new StepPlan(null, new AstraSimFlattenedBackend(_simulator, _hardware, step, _visualizer)),
        };
    }

    /// <summary>Runs the layer's forward (and, for training, backward) graph; the slowest rank of each is its time.</summary>
    /// <param name="step">The layer.</param>
    /// <param name="cancellationToken">Stops the AstraSim runs.</param>
    public LayerTimes TimeLayer(LayerStep step, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(step);
        return Time(AstraLayerGraphs.TransformerInput(_hardware, step), step.RunType, string.Empty, cancellationToken);
    }

    /// <summary>
    /// Runs the MoE layer's graphs (tp × cp × ep ranks, dispatch and combine as expert-parallel all-to-alls), or returns
    /// null when the step has no MoE layer.
    /// </summary>
    /// <param name="step">The layer.</param>
    /// <param name="cancellationToken">Stops the AstraSim runs.</param>
    public LayerTimes? TimeMoeLayer(LayerStep step, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(step);
        return AstraLayerGraphs.MoeTransformerInput(_hardware, step) is { } input ? Time(input, step.RunType, "_moe", cancellationToken) : null;
    }

    private LayerTimes Time(TransformerGraphInput input, RunType runType, string suffix, CancellationToken cancellationToken)
    {
        var layout = AstraLayerGraphs.LayerLayout(_hardware, input);
        var label = Mode == AstraSimMode.Hybrid ? "hybrid_graph_transformer" : "hierarchical_graph_transformer";
        var forwardGraph = TransformerGraphBuilder.Build(input, PassDirection.Forward);
        _visualizer.Save(forwardGraph, label + "_forward" + suffix);
        var forward = _simulator.Simulate(forwardGraph, runType, 1, layout, Path.Combine("astra_hier", "fwd" + suffix), cancellationToken);
        if (runType != RunType.Training)
        {
            return new LayerTimes(forward.MaxSeconds, 0, forward.PerRankSeconds, Common.EquatableArray<double>.Empty);
        }

        var backwardGraph = TransformerGraphBuilder.Build(input, PassDirection.Backward);
        _visualizer.Save(backwardGraph, label + "_backward" + suffix);
        var backward = _simulator.Simulate(backwardGraph, runType, 1, layout, Path.Combine("astra_hier", "bwd" + suffix), cancellationToken);
        return new LayerTimes(forward.MaxSeconds, backward.MaxSeconds, forward.PerRankSeconds, backward.PerRankSeconds);
    }

    /// <summary>
    /// Without a step plan (a caller that does not know the layer) the pipeline graph runs as in hybrid or
    /// hierarchical with its own transformer durations; flattening needs the layer and is refused.
    /// </summary>
    /// <param name="graph">The pipeline graph.</param>
    /// <param name="communication">Prices point-to-point transfers.</param>
    /// <param name="cancellationToken">Stops the AstraSim runs.</param>
    public SimulationResult Execute(ExecutionGraph graph, ICommunicationTimer communication, CancellationToken cancellationToken = default) => Mode switch
    {
        AstraSimMode.Hybrid => new AstraSimHybridPipelineBackend(_training, _visualizer).Execute(graph, communication, cancellationToken),
        AstraSimMode.FullHierarchical => new AstraSimPipelineBackend(_simulator, RunType.Training, _hardware.Parallelism.Pp,
            AstraLayerGraphs.DataParallel(_hardware, RunType.Training), _visualizer).Execute(graph, communication, cancellationToken),
        _ => throw new InvalidOperationException("full_astrasim_flattened needs the transformer layer: call Plan for each step."),
    };

    private sealed class PointToPointTimer(AnalyticalCollectives collectives, ResolvedNetwork network) : ICommunicationTimer
    {
        public double CollectiveSeconds(CollectiveKind kind, double sizeBytes, int participants, ParallelismAxis axis) =>
            collectives.TimeSeconds(kind, sizeBytes, participants, network.LinkFor(axis));
    }
}
