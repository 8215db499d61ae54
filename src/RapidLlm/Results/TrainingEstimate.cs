using RapidLlm.Common;
using RapidLlm.Memory;
using RapidLlm.Operations;

namespace RapidLlm.Results;

/// <summary>The predicted time of one training step (one global batch).</summary>
/// <param name="TimePerBatchSeconds">Time for one global batch, all gradient-accumulation steps included.</param>
/// <param name="LastStepSeconds">The accumulation step that synchronises gradients and runs the optimizer.</param>
/// <param name="AccumulationStepSeconds">Each earlier accumulation step (no data-parallel traffic, no optimizer); 0 without accumulation.</param>
/// <param name="GradientAccumulationSteps">Accumulation steps per batch.</param>
/// <param name="NumGpus">Devices the run models (tp × cp × pp × dp, times ep for MoE models).</param>
/// <param name="Backend">The execution backend that timed the pipeline.</param>
/// <param name="EffectiveBatch">Sequences each operation is costed at (micro-batch with a pipeline).</param>
/// <param name="MicroBatches">Pipeline micro-batches per step.</param>
/// <param name="OptimizerSeconds">The optimizer node of each stage.</param>
/// <param name="StageBusySeconds">Compute time each pipeline stage spends busy in the last step.</param>
/// <param name="Memory">Per-GPU memory (peak, capacity, breakdown), when it was estimated.</param>
public sealed record TrainingEstimate(
    double TimePerBatchSeconds,
    double LastStepSeconds,
    double AccumulationStepSeconds,
    int GradientAccumulationSteps,
    int NumGpus,
    string Backend,
    long EffectiveBatch,
    int MicroBatches,
    double OptimizerSeconds,
    EquatableArray<double> StageBusySeconds,
    MemoryEstimate? Memory = null)
{
    /// <summary>Per-operation forward and backward costs of one transformer layer.</summary>
    internal LayerOperationCosts Layer { get; init; } = null!;

    /// <summary>
    /// The time of each operation of one transformer layer (embedding and LM head once), forward and backward; the
    /// attention block's parts are counted inside "attention", not listed again.
    /// </summary>
    public IReadOnlyList<LayerOperationTime> LayerOperations
    {
        get
        {
            var parts = Layer.AttentionParts.Select(p => p.Name).ToHashSet();
            return Layer.All()
                .Where(op => !parts.Contains(op.Name))
                .Select(op => new LayerOperationTime(op.Name, op.Forward.ComputeTimeSeconds, op.Forward.CommTimeSeconds,
                    op.Backward?.ComputeTimeSeconds ?? 0, op.Backward?.CommTimeSeconds ?? 0))
                .ToList();
        }
    }

    /// <summary>Energy of the step (calibrated model only; the reference model has no training energy).</summary>
    public TrainingEnergy? Energy { get; init; }

    /// <summary>Forward time of one transformer layer (compute and communication).</summary>
    public double LayerForwardSeconds => Layer.Nodes.TransformerForwardSeconds;

    /// <summary>Backward time of one transformer layer (compute and communication).</summary>
    public double LayerBackwardSeconds => Layer.Nodes.TransformerBackwardSeconds;

    /// <summary>Fraction of the step the busiest stage spends idle (pipeline bubble and exposed communication).</summary>
    public double IdleFraction => StageBusySeconds.Count == 0 || LastStepSeconds <= 0
        ? 0
        : 1 - StageBusySeconds.Max() / LastStepSeconds;

    /// <inheritdoc />
    public override string ToString() =>
        $"Training: {Quantity.Seconds(TimePerBatchSeconds)} per batch on {NumGpus} GPU(s) ({Backend}); "
        + $"layer fwd {Quantity.Seconds(LayerForwardSeconds)}, bwd {Quantity.Seconds(LayerBackwardSeconds)}"
        + (Memory is { } memory ? "; " + memory.ToString().Replace("Memory: peak", "peak", StringComparison.Ordinal) : "");

    /// <summary>The figures of this estimate with units (memory rows included when memory was estimated).</summary>
    /// <returns>The table every text form prints from.</returns>
    public ResultTable ToTable()
    {
        var rows = new List<ResultRow>
        {
            new("time per batch", TimePerBatchSeconds, ResultUnit.Seconds),
            new("GPUs", NumGpus, ResultUnit.None),
            new("micro-batches", MicroBatches, ResultUnit.None),
            new("sequences per micro-batch", EffectiveBatch, ResultUnit.None),
        };
        if (GradientAccumulationSteps > 1)
        {
            rows.Add(new("accumulation steps", GradientAccumulationSteps, ResultUnit.None));
            rows.Add(new("last accumulation step", LastStepSeconds, ResultUnit.Seconds));
            rows.Add(new("each earlier step", AccumulationStepSeconds, ResultUnit.Seconds));
        }

        rows.Add(new("layer forward", LayerForwardSeconds, ResultUnit.Seconds));
        rows.Add(new("layer backward", LayerBackwardSeconds, ResultUnit.Seconds));
        rows.Add(new("optimizer step", OptimizerSeconds, ResultUnit.Seconds));
        rows.Add(new("busiest stage idle", IdleFraction, ResultUnit.Fraction));
        if (Memory is { } memory) rows.AddRange(memory.ToTable().Rows);
        return new ResultTable($"Training estimate ({Backend}){(Memory is { Report.Fits: false } ? ": does not fit in memory" : "")}", rows);
    }

    /// <summary>A Markdown table of the figures, with units.</summary>
    /// <returns>Markdown ending in a newline.</returns>
    public string ToMarkdown() => ToTable().ToMarkdown();

    /// <summary>CSV <c>metric,value,unit</c>, values in SI base units.</summary>
    /// <returns>CSV text.</returns>
    public string ToCsv() => ToTable().ToCsv();

    /// <summary>JSON <c>{"title", "metrics": [{"metric", "value", "unit"}]}</c>, values in SI base units.</summary>
    /// <param name="indented">Indent the output; default true.</param>
    /// <returns>JSON text.</returns>
    public string ToJson(bool indented = true) => ToTable().ToJson(indented);
}
