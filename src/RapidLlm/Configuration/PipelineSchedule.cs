using System.Globalization;

namespace RapidLlm.Configuration;

/// <summary>The order in which a pipeline stage runs its micro-batches' forward and backward passes.</summary>
public enum PipelineScheduleKind
{
    /// <summary>
    /// GPipe (<c>gpipe</c>, the default): every forward, then every backward in reverse
    /// micro-batch order. Each stage holds the activations of all its micro-batches at the turn.
    /// </summary>
    GPipe,

    /// <summary>
    /// One forward, one backward (<c>1f1b</c>, PipeDream-Flush as Megatron-LM runs it): stage s of p runs
    /// p − s − 1 warm-up forwards, then alternates one forward and one backward, then drains the backwards.
    /// At most p − s micro-batches are in flight on stage s.
    /// </summary>
    OneFOneB,

    /// <summary>
    /// Interleaved 1F1B (<c>interleaved_1f1b</c>, Megatron-LM's virtual pipeline): each stage holds
    /// <see cref="PipelineSchedule.VirtualStages"/> model chunks assigned round-robin, which cuts the bubble
    /// to (p − 1)/v stage-slots at the price of v times the stage-to-stage sends.
    /// </summary>
    Interleaved1F1B,
}

/// <summary>
/// A pipeline schedule and its virtual stages (<c>parallelism.pipeline_schedule</c>,
/// <c>parallelism.virtual_stages</c>). Plain data: a search enumerates schedules as values of this record.
/// </summary>
/// <param name="Kind">The schedule.</param>
/// <param name="VirtualStages">Model chunks per stage: 1 except for <see cref="PipelineScheduleKind.Interleaved1F1B"/>, which needs at least 2.</param>
public sealed record PipelineSchedule(PipelineScheduleKind Kind, int VirtualStages = 1)
{
    /// <summary>GPipe, the default schedule.</summary>
    public static PipelineSchedule GPipe { get; } = new(PipelineScheduleKind.GPipe);

    /// <summary>Non-interleaved 1F1B.</summary>
    public static PipelineSchedule OneFOneB { get; } = new(PipelineScheduleKind.OneFOneB);

    /// <summary>The YAML names of the schedules, in declaration order.</summary>
    public static IReadOnlyList<string> YamlNames { get; } = ["gpipe", "1f1b", "interleaved_1f1b"];

    /// <summary>Interleaved 1F1B with <paramref name="virtualStages"/> model chunks per stage.</summary>
    /// <param name="virtualStages">Model chunks per stage (at least 2).</param>
    /// <returns>The schedule.</returns>
    public static PipelineSchedule Interleaved(int virtualStages) => new(PipelineScheduleKind.Interleaved1F1B, virtualStages);

    /// <summary>The value of <c>parallelism.pipeline_schedule</c> that selects this schedule.</summary>
    public string YamlName => YamlNames[(int)Kind];

    /// <summary>Model chunks each stage runs, as the graph uses it (1 unless interleaved).</summary>
    public int ChunksPerStage => Kind == PipelineScheduleKind.Interleaved1F1B ? Math.Max(1, VirtualStages) : 1;

    /// <summary>Parses a YAML name (case-insensitive); null when it is not one.</summary>
    /// <param name="name">For example <c>1f1b</c>.</param>
    /// <returns>The kind, or null.</returns>
    public static PipelineScheduleKind? KindFromYamlName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        for (var i = 0; i < YamlNames.Count; i++)
        {
            if (string.Equals(YamlNames[i], name.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return (PipelineScheduleKind)i;
            }
        }

        return null;
    }

    /// <summary>The YAML name, with the virtual stages when interleaved (<c>interleaved_1f1b (v=2)</c>).</summary>
    /// <returns>A short label.</returns>
    public override string ToString() => Kind == PipelineScheduleKind.Interleaved1F1B
        ? string.Create(CultureInfo.InvariantCulture, $"{YamlName} (v={VirtualStages})")
        : YamlName;
}
