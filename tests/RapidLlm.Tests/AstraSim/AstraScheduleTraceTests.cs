using System.Text.RegularExpressions;
using RapidLlm.AstraSim.Chakra;
using RapidLlm.AstraSim.Execution;
using RapidLlm.AstraSim.Traces;
using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Simulation;
using RapidLlm.Graphs;
using RapidLlm.Network;
using RapidLlm.Tests.Graphs.Schedules;

namespace RapidLlm.Tests.AstraSim;

/// <summary>
/// The schedules reach AstraSim: the Chakra traces of <c>full_astrasim_hierarchical</c> (the pipeline graph) and
/// <c>full_astrasim_flattened</c> (the per-rank graph) make every rank run its stage's work in the schedule's order, and,
/// with free communication, the hierarchical traces take the hand-computed step time. Runs in CI without a binary
/// (<see cref="ChakraTraceExecutor"/> issues the traces as AstraSim does).
/// </summary>
public sealed class AstraScheduleTraceTests
{
    private static readonly Regex FlattenedOp = new(@"_(forward|backward)_mb(\d+)_l(\d+)_rank\d+_\d+$", RegexOptions.CultureInvariant);

    private static int Number(string text) => int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A rank's layer work as schedule items, consecutive vertices of one item collapsed into one.</summary>
    private static List<PipelineWorkItem> Items(IEnumerable<PipelineWorkItem?> work)
    {
        var items = new List<PipelineWorkItem>();
        foreach (var item in work)
        {
            if (item is { } w && (items.Count == 0 || items[^1] != w)) items.Add(w);
        }

        return items;
    }

    // Free sends (f = 1 s, b = 2 s per chunk, one layer per chunk): the step times of PipelineScheduleTimingTests.
    [TestCase("1f1b", 2, 4, 1, 15.0)]
    [TestCase("1f1b", 4, 8, 1, 33.0)]
    [TestCase("interleaved_1f1b", 2, 4, 2, 27.0)]
    [TestCase("interleaved_1f1b", 4, 8, 2, 57.0)]
    public void HierarchicalTracesRunTheScheduleInItsStepTime(string name, int p, int m, int v, double seconds)
    {
        var schedule = new PipelineSchedule(PipelineSchedule.KindFromYamlName(name)!.Value, v);
        var (makespan, graph, _) = PipelineScheduleTimingTests.Simulate(schedule, p, m, v, c: 0);
        Assert.That(makespan, Is.EqualTo(seconds).Within(1e-12));
        // As AstraSimPipelineBackend converts it: stages × data-parallel replicas.
        var layout = new AstraRankLayout(new EquatableArray<AxisSize>([new AxisSize(ParallelismAxis.Pp, p), new AxisSize(ParallelismAxis.Dp, 1)]));
        var workload = ChakraGraphConverter.Convert(graph, 1, layout);
        Assert.That(ChakraPairing.Unpaired(workload.Traces), Is.Empty);
        var run = ChakraTraceExecutor.Execute(workload);
        var byOpId = graph.Vertices.OfType<ComputeVertex>().ToDictionary(c => c.OpId);
        Assert.That(run.MakespanMicros, Is.EqualTo(seconds * 1e6).Within(1e-6));
        for (var stage = 0; stage < p; stage++)
        {
            var work = run.ComputeOrder[stage].Select(n =>
            {
                var vertex = byOpId[Number(n.Name[(n.Name.LastIndexOf('_') + 1)..])];
                return vertex.Layer is { } layer ? new PipelineWorkItem(vertex.Direction!.Value, vertex.MicroBatch!.Value, layer / p) : (PipelineWorkItem?)null;
            });
            Assert.That(Items(work), Is.EqualTo(PipelineScheduleOrder.ForStage(schedule, p, stage, m)), $"stage {stage}");
        }
    }

    [TestCase("1f1b", 1)]
    [TestCase("interleaved_1f1b", 2)]
    public void FlattenedTracesRunTheScheduleOnEveryRank(string name, int v)
    {
        // A dense 8-layer model on tp 2 × pp 2, four micro-batches, in full_astrasim_flattened, captured before AstraSim.
        var run = ScheduleAstraCase.Load(name, v, "full_astrasim_flattened");
        var device = new DeviceModels(run.Hardware);
        var backend = new TraceCapturingAstraBackend(run.Hardware, device.Operations.Collectives);
        new TrainingEstimator(device, backend).Estimate(run.Model.Transformer!, includeMemory: false);

        var workload = backend.Workloads.Single();
        Assert.That(ChakraPairing.Unpaired(workload.Traces), Is.Empty);
        Assert.That(workload.Traces, Has.Count.EqualTo(4), "tp 2 × pp 2 ranks");
        var executed = ChakraTraceExecutor.Execute(workload);
        var layout = AstraLayerGraphs.FlattenedLayout(run.Hardware, RunType.Training);
        var schedule = run.Hardware.Parallelism.Schedule;
        for (var rank = 0; rank < 4; rank++)
        {
            var stage = layout.Coordinates(rank)[ParallelismAxis.Pp];
            // Layer l is in virtual stage l / (8 / 2v), which is chunk (virtual stage) / p of its stage.
            var work = executed.ComputeOrder[rank].Select(n => FlattenedOp.Match(n.Name) is { Success: true } match
                ? new PipelineWorkItem(match.Groups[1].Value == "forward" ? PassDirection.Forward : PassDirection.Backward,
                    Number(match.Groups[2].Value), Number(match.Groups[3].Value) / (8 / (2 * v)) / 2)
                : (PipelineWorkItem?)null);
            Assert.That(Items(work), Is.EqualTo(PipelineScheduleOrder.ForStage(schedule, 2, stage, 4)), $"rank {rank} (stage {stage})");
        }
    }
}

/// <summary>
/// The schedule cases on AstraSim: the small case of the MoE tests made dense (8 layers, tp 2 × pp 2, dp 1, four
/// micro-batches, selective recompute) with a pipeline schedule, in a given AstraSim mode.
/// </summary>
internal static class ScheduleAstraCase
{
    public static ValidatedRun Load(string schedule, int virtualStages, string mode)
    {
        var folder = Path.Combine(AstraArtifacts.Root, "moe");
        var hardwareYaml = File.ReadAllText(Path.Combine(folder, "hw.yaml"))
            .Replace("mode: full_astrasim_flattened", "mode: " + mode, StringComparison.Ordinal)
            .Replace("full_recomputation: true", "full_recomputation: false", StringComparison.Ordinal)
            .Replace("  mb: 2\n", $"  mb: 4\n  pipeline_schedule: {schedule}\n" + (virtualStages > 1 ? $"  virtual_stages: {virtualStages}\n" : ""), StringComparison.Ordinal)
            .Replace("    ep: 2", "    ep: 1", StringComparison.Ordinal)
            .Replace("    moe_dp: 2", "    moe_dp: 1", StringComparison.Ordinal);
        var modelYaml = File.ReadAllText(Path.Combine(folder, "model_training.yaml"))
            .Replace("num_experts: 8", "num_experts: 1", StringComparison.Ordinal)
            .Replace("top_k: 2", "top_k: 1", StringComparison.Ordinal)
            .Replace("num_layers: 4", "num_layers: 8", StringComparison.Ordinal);
        return ConfigValidator.Validate(HardwareConfig.FromYamlText(hardwareYaml, "hw.yaml"), ModelConfig.FromYamlText(modelYaml, "model.yaml"));
    }
}
