using RapidLlm.Configuration;

namespace RapidLlm.Graphs;

/// <summary>One unit of a stage's work: the forward or backward pass of one micro-batch through one model chunk.</summary>
/// <param name="Direction">Forward or backward.</param>
/// <param name="MicroBatch">Micro-batch index, 0-based.</param>
/// <param name="Chunk">Model chunk on the stage (0 unless interleaved); chunk c of stage s is virtual stage c·p + s.</param>
internal readonly record struct PipelineWorkItem(PassDirection Direction, int MicroBatch, int Chunk);

/// <summary>
/// The order in which each pipeline stage runs its work under a schedule, as Megatron-LM's schedules issue it
/// (<c>forward_backward_pipelining_without_interleaving</c> and <c>…_with_interleaving</c> with the default group of
/// pp micro-batches per model chunk). Pure functions: the graph builder turns these orders into dependencies.
/// </summary>
internal static class PipelineScheduleOrder
{
    /// <summary>The work of <paramref name="stage"/>, in the order the stage runs it.</summary>
    /// <param name="schedule">The schedule.</param>
    /// <param name="stages">Pipeline stages p (at least 1).</param>
    /// <param name="stage">The stage s, 0-based.</param>
    /// <param name="microBatches">Micro-batches m (at least 1; a multiple of p when interleaved).</param>
    /// <returns>2·m·v items: every (micro-batch, chunk) forward and backward once.</returns>
    public static IReadOnlyList<PipelineWorkItem> ForStage(PipelineSchedule schedule, int stages, int stage, int microBatches)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentOutOfRangeException.ThrowIfLessThan(stages, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(microBatches, 1);
        if (stage < 0 || stage >= stages)
        {
            throw new ArgumentOutOfRangeException(nameof(stage), stage, $"A stage index must lie in [0, {stages}).");
        }

        return schedule.Kind switch
        {
            PipelineScheduleKind.GPipe => GPipe(microBatches),
            PipelineScheduleKind.OneFOneB => OneFOneB(stages, stage, microBatches),
            PipelineScheduleKind.Interleaved1F1B => Interleaved(stages, stage, microBatches, schedule.VirtualStages),
            _ => throw new ArgumentOutOfRangeException(nameof(schedule), schedule.Kind, "Unknown pipeline schedule."),
        };
    }

    /// <summary>Warm-up forwards a stage runs before its first backward.</summary>
    /// <param name="schedule">The schedule.</param>
    /// <param name="stages">Pipeline stages p.</param>
    /// <param name="stage">The stage s.</param>
    /// <param name="microBatches">Micro-batches m.</param>
    /// <returns>GPipe m; 1F1B min(p − s − 1, m); interleaved min(2(p − s − 1) + (v − 1)·p, m·v).</returns>
    public static int WarmupForwards(PipelineSchedule schedule, int stages, int stage, int microBatches)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return schedule.Kind switch
        {
            PipelineScheduleKind.GPipe => microBatches,
            PipelineScheduleKind.OneFOneB => Math.Min(stages - stage - 1, microBatches),
            _ => Math.Min((2 * (stages - stage - 1)) + ((schedule.VirtualStages - 1) * stages), microBatches * schedule.VirtualStages),
        };
    }

    /// <summary>
    /// The most (micro-batch, chunk) forwards whose backward has not yet run at any point of an order: the activations a
    /// stage holds at its peak, in units of one micro-batch through one chunk.
    /// </summary>
    /// <param name="order">A stage's order.</param>
    /// <returns>The peak count.</returns>
    public static int PeakInFlight(IReadOnlyList<PipelineWorkItem> order)
    {
        ArgumentNullException.ThrowIfNull(order);
        int current = 0, peak = 0;
        foreach (var item in order)
        {
            current += item.Direction == PassDirection.Forward ? 1 : -1;
            peak = Math.Max(peak, current);
        }

        return peak;
    }

    private static List<PipelineWorkItem> GPipe(int microBatches)
    {
        var order = new List<PipelineWorkItem>(2 * microBatches);
        for (var b = 0; b < microBatches; b++)
        {
            order.Add(new PipelineWorkItem(PassDirection.Forward, b, 0));
        }

        for (var b = microBatches - 1; b >= 0; b--)
        {
            order.Add(new PipelineWorkItem(PassDirection.Backward, b, 0));
        }

        return order;
    }

    private static List<PipelineWorkItem> OneFOneB(int stages, int stage, int microBatches)
    {
        var warmup = Math.Min(stages - stage - 1, microBatches);
        var order = new List<PipelineWorkItem>(2 * microBatches);
        for (var b = 0; b < warmup; b++)
        {
            order.Add(new PipelineWorkItem(PassDirection.Forward, b, 0));
        }

        // Steady state: each forward is followed by the oldest outstanding backward.
        for (var i = 0; i < microBatches - warmup; i++)
        {
            order.Add(new PipelineWorkItem(PassDirection.Forward, warmup + i, 0));
            order.Add(new PipelineWorkItem(PassDirection.Backward, i, 0));
        }

        for (var b = microBatches - warmup; b < microBatches; b++)
        {
            order.Add(new PipelineWorkItem(PassDirection.Backward, b, 0));
        }

        return order;
    }

    private static List<PipelineWorkItem> Interleaved(int stages, int stage, int microBatches, int chunks)
    {
        // Forward k visits (micro-batch, chunk) in groups of p micro-batches per chunk: for p = 2, m = 4, v = 2 the
        // micro-batches run 0 1 0 1 2 3 2 3 through chunks 0 0 1 1 0 0 1 1. Backward k takes the same micro-batch
        // through the chunks in reverse.
        var table = new List<(int MicroBatch, int Chunk)>(microBatches * chunks);
        for (var first = 0; first < microBatches; first += stages)
        {
            var end = Math.Min(first + stages, microBatches);
            for (var c = 0; c < chunks; c++)
            {
                for (var b = first; b < end; b++)
                {
                    table.Add((b, c));
                }
            }
        }

        var total = table.Count;
        var warmup = Math.Min((2 * (stages - stage - 1)) + ((chunks - 1) * stages), total);
        var order = new List<PipelineWorkItem>(2 * total);
        PipelineWorkItem Forward(int k) => new(PassDirection.Forward, table[k].MicroBatch, table[k].Chunk);
        PipelineWorkItem Backward(int k) => new(PassDirection.Backward, table[k].MicroBatch, chunks - 1 - table[k].Chunk);
        for (var k = 0; k < warmup; k++)
        {
            order.Add(Forward(k));
        }

        for (var i = 0; i < total - warmup; i++)
        {
            order.Add(Forward(warmup + i));
            order.Add(Backward(i));
        }

        for (var k = total - warmup; k < total; k++)
        {
            order.Add(Backward(k));
        }

        return order;
    }
}
