using RapidLlm.Configuration;
using RapidLlm.Execution;
using RapidLlm.Graphs;
using RapidLlm.Inference;

namespace RapidLlm.Simulation;

/// <summary>A builder's resolved hardware and model before they are validated together: the base a search varies.</summary>
/// <param name="Hardware">The hardware with the builder's changes applied.</param>
/// <param name="Model">The model.</param>
/// <param name="HardwareSource">The hardware's name in messages (its file).</param>
/// <param name="ModelSource">The model's name in messages (its file).</param>
/// <param name="Energy">The energy accounting.</param>
/// <param name="SingleStage">The single-stage micro-batch policy.</param>
internal sealed record SimulationTemplate(
    HardwareConfig Hardware, ModelConfig Model, string HardwareSource, string ModelSource, EnergyAccounting Energy, SingleStageMicroBatchPolicy SingleStage)
{
    /// <summary>The backend factory the builder registered; null for the analytical backend.</summary>
    public Func<BackendBuildContext, IExecutionBackend>? BackendFactory { get; init; }

    /// <summary>The builder's shared services.</summary>
    public SimulationServices Services { get; init; } = SimulationServices.Default;
}
