using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Execution;
using RapidLlm.Graphs;
using RapidLlm.Network;

namespace RapidLlm.Tests.Graphs.Schedules;

/// <summary>
/// Step times of the schedules on pipelines small enough to work out by hand. Every stage holds the same layers; a
/// micro-batch's forward through one model chunk of a stage takes f = 1 s and its backward b = 2 s (embedding, LM head
/// and optimizer take no time), and a stage-to-stage send takes c seconds.
/// </summary>
public class PipelineScheduleTimingTests
{
    /// <summary>A pipeline of p stages with <paramref name="layersPerChunk"/> × v layers per stage, timed and simulated.</summary>
    internal static (double Makespan, ExecutionGraph Graph, SimulationResult Run) Simulate(
        PipelineSchedule schedule, int p, int m, int v, double c, int layersPerChunk = 1, int dp = 1, bool recompute = false, int zero = 0)
    {
        var layers = p * v * layersPerChunk;
        var input = new PipelineGraphInput
        {
            LayerCount = layers,
            PipelineStages = p,
            MicroBatches = m,
            Schedule = schedule,
            DataParallel = dp,
            ZeroStage = zero,
            FullRecompute = recompute,
            DataParallelSync = DataParallelSyncMode.LastMicroBatch,
            IncludeOptimizer = dp > 1,
            Durations = new PipelineNodeDurations
            {
                TransformerForwardSeconds = 1.0 / layersPerChunk,
                TransformerBackwardSeconds = 2.0 / layersPerChunk,
                OptimizerSeconds = dp > 1 ? 0.25 : 0,
            },
            Communications = new PipelineCommunications
            {
                CrossLayer = new CommunicationSpec(CollectiveKind.PointToPoint, 1, 2, ParallelismAxis.Pp),
                TransformerDenseSync = new CommunicationSpec(CollectiveKind.AllReduce, 1, dp, ParallelismAxis.Dp),
                EmbeddingSync = new CommunicationSpec(CollectiveKind.AllReduce, 1, dp, ParallelismAxis.Dp),
                SoftmaxSync = new CommunicationSpec(CollectiveKind.AllReduce, 1, dp, ParallelismAxis.Dp),
                Zero3TransformerGather = zero == 3 ? new CommunicationSpec(CollectiveKind.AllGather, 1, dp, ParallelismAxis.Dp, TpShard: true) : null,
                Zero3EmbeddingGather = zero == 3 ? new CommunicationSpec(CollectiveKind.AllGather, 1, dp, ParallelismAxis.Dp) : null,
                Zero3SoftmaxGather = zero == 3 ? new CommunicationSpec(CollectiveKind.AllGather, 1, dp, ParallelismAxis.Dp) : null,
            },
        };
        var graph = PipelineGraphBuilder.Build(input);
        // Sends take c; a data-parallel collective takes 0.5 s.
        var run = EventSimulator.Simulate(graph, CommunicationTimingPass.Time(graph, (kind, bytes, n, axis) => axis == ParallelismAxis.Pp ? c : 0.5));
        // Every compute vertex runs (no schedule deadlock). Some ZeRO-3 prefetch gathers of the reference's construction
        // are never attached, under every schedule.
        var idle = graph.Vertices.OfType<ComputeVertex>().Where(x => double.IsNaN(run.FinishTimeSeconds(x))).Select(x => x.Name).ToList();
        Assert.That(idle, Is.Empty, $"{schedule} p{p} m{m} dp{dp} zero{zero}");
        return (run.MakespanSeconds, graph, run);
    }

    // Free sends. Every stage is busy m·v·(f + b); the bubble is the p − 1 slots of (f + b) the first forward needs to
    // reach the last stage and the last backward needs to come back. Non-interleaved, a slot is a whole stage
    // (v·(f + b) when a stage holds v chunks' layers); interleaved, it is one chunk, so the bubble shrinks by v:
    //   GPipe = 1F1B = (m + p − 1)·v·(f + b),  interleaved = m·v·(f + b) + (p − 1)·(f + b).
    [TestCase("gpipe", 2, 4, 1, 15.0)]        // (4 + 1)·3
    [TestCase("1f1b", 2, 4, 1, 15.0)]
    [TestCase("1f1b", 2, 8, 1, 27.0)]         // (8 + 1)·3
    [TestCase("gpipe", 4, 4, 1, 21.0)]        // (4 + 3)·3
    [TestCase("1f1b", 4, 4, 1, 21.0)]
    [TestCase("1f1b", 4, 8, 1, 33.0)]         // (8 + 3)·3
    [TestCase("gpipe", 2, 4, 2, 30.0)]        // (4 + 1)·6
    [TestCase("1f1b", 2, 4, 2, 30.0)]
    [TestCase("interleaved_1f1b", 2, 4, 2, 27.0)]   // 4·6 + 1·3
    [TestCase("interleaved_1f1b", 2, 8, 2, 51.0)]   // 8·6 + 1·3
    [TestCase("gpipe", 4, 8, 2, 66.0)]              // (8 + 3)·6
    [TestCase("1f1b", 4, 8, 2, 66.0)]
    [TestCase("interleaved_1f1b", 4, 4, 2, 33.0)]   // 4·6 + 3·3
    [TestCase("interleaved_1f1b", 4, 8, 2, 57.0)]   // 8·6 + 3·3
    public void StepTimeWithFreeSends(string schedule, int p, int m, int v, double expected)
    {
        var kind = PipelineSchedule.KindFromYamlName(schedule)!.Value;
        var chunks = kind == PipelineScheduleKind.Interleaved1F1B ? v : 1;
        // The same model (v chunks' worth of layers per stage) under every schedule.
        var (makespan, _, _) = Simulate(new PipelineSchedule(kind, chunks), p, m, v, c: 0, layersPerChunk: 1);
        Assert.That(makespan, Is.EqualTo(expected).Within(1e-12));
    }

    [Test]
    public void SendsCost1F1BTheRoundTripThatGPipeHides()
    {
        // p = 2, m = 4, f = 1, b = 2, c = 0.5.
        // GPipe: stage 0 forwards end at 1..4; stage 1 runs F0..F3 over [1.5, 5.5] and B3..B0 over [5.5, 13.5]; each
        // gradient reaches stage 0 0.5 s later and stage 0's backwards run back to back from 8: B0 ends at 16.
        // 1F1B: stage 0 runs F0 [0, 1], F1 [1, 2]; stage 1 F0 [1.5, 2.5], B0 [2.5, 4.5]; stage 0 B0 [5, 7], F2 [7, 8];
        // stage 1 F1 [4.5, 5.5], B1 [5.5, 7.5]; stage 0 B1 [8, 10], F3 [10, 11]; stage 1 F2 [8.5, 9.5], B2 [9.5, 11.5];
        // stage 0 B2 [12, 14]; stage 1 F3 [11.5, 12.5], B3 [12.5, 14.5]; stage 0 B3 [15, 17].
        Assert.Multiple(() =>
        {
            Assert.That(Simulate(PipelineSchedule.GPipe, 2, 4, 1, c: 0.5).Makespan, Is.EqualTo(16.0).Within(1e-12));
            Assert.That(Simulate(PipelineSchedule.OneFOneB, 2, 4, 1, c: 0.5).Makespan, Is.EqualTo(17.0).Within(1e-12));
        });
    }

    [TestCase(2, 4, 0.0)]
    [TestCase(2, 8, 0.05)]
    [TestCase(4, 8, 0.05)]
    [TestCase(4, 16, 0.1)]
    [TestCase(8, 16, 0.05)]
    public void InterleavedIsStrictlyFasterThan1F1BWhenSendsAreCheap(int p, int m, double c)
    {
        var oneFOneB = Simulate(PipelineSchedule.OneFOneB, p, m, v: 2, c).Makespan;
        var interleaved = Simulate(PipelineSchedule.Interleaved(2), p, m, v: 2, c).Makespan;
        Assert.That(interleaved, Is.LessThan(oneFOneB));
    }

    [Test]
    public void EachStageRunsItsWorkInTheSchedulesOrder()
    {
        foreach (var (kind, v) in new[] { (PipelineScheduleKind.OneFOneB, 1), (PipelineScheduleKind.Interleaved1F1B, 2) })
        {
            var schedule = new PipelineSchedule(kind, v);
            var (_, graph, run) = Simulate(schedule, 4, 8, v, c: 0.1);
            for (var stage = 0; stage < 4; stage++)
            {
                // Each layer vertex's (direction, micro-batch, chunk) in the order the simulation started them; with one
                // layer per chunk, layer l is in chunk l / p.
                var started = graph.Vertices.OfType<ComputeVertex>()
                    .Where(x => x.Layer is not null && x.HardwareId == stage && !x.IsRecompute)
                    .OrderBy(x => run.FinishTimeSeconds(x) - x.DurationSeconds).ThenBy(x => x.Index)
                    .Select(x => new PipelineWorkItem(x.Direction!.Value, x.MicroBatch!.Value, x.Layer!.Value / 4))
                    .ToList();
                Assert.That(started, Is.EqualTo(PipelineScheduleOrder.ForStage(schedule, 4, stage, 8)), $"{schedule} stage {stage}");
            }
        }
    }

    [Test]
    public void EveryScheduleRunsToTheEndWithDataParallelismRecomputeAndZero()
    {
        foreach (var schedule in new[] { PipelineSchedule.GPipe, PipelineSchedule.OneFOneB, PipelineSchedule.Interleaved(2), PipelineSchedule.Interleaved(3) })
        {
            foreach (var (p, m) in new[] { (1, 1), (1, 4), (2, 2), (2, 6), (3, 3), (3, 9), (4, 8), (6, 12) })
            {
                if (schedule.Kind == PipelineScheduleKind.Interleaved1F1B && p < 2) continue;
                foreach (var zero in new[] { 0, 3 })
                {
                    var v = schedule.ChunksPerStage;
                    Simulate(schedule, p, m, v, c: 0.1, layersPerChunk: 2, dp: 2, recompute: true, zero: zero);
                }
            }
        }

        // More stages than layers and fewer micro-batches than stages.
        Simulate(PipelineSchedule.OneFOneB, 4, 2, 1, c: 0.1);
    }

    [Test]
    public void OptimizerWaitsForTheStagesGradientReductions()
    {
        // 1F1B, p = 2, m = 2, one layer per stage, dp 2 with 0.5 s reductions and a 0.25 s step. Free sends: stage 0 runs
        // F0 [0, 1], F1 [1, 2]; stage 1 F0 [1, 2], B0 [2, 4], F1 [4, 5], B1 [5, 7]; stage 0 B0 [4, 6], B1 [7, 9]. The last
        // micro-batch's reductions end at 9.5 on stage 0, then its optimizer step: 9.75.
        var (makespan, graph, run) = Simulate(PipelineSchedule.OneFOneB, 2, 2, 1, c: 0, dp: 2);
        var optimizer0 = graph.Vertices.Single(x => x.Name == "optimizer_stage0");
        Assert.Multiple(() =>
        {
            Assert.That(run.FinishTimeSeconds(optimizer0), Is.EqualTo(9.75).Within(1e-12));
            Assert.That(makespan, Is.EqualTo(9.75).Within(1e-12));
        });
    }
}
