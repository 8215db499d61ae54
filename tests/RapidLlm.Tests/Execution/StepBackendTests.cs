using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Execution;
using RapidLlm.Graphs;
using RapidLlm.Simulation;

namespace RapidLlm.Tests.Execution;

/// <summary>
/// A user's backend written against the public seam only (<see cref="IStepBackend"/>, <see cref="StepGraph"/>,
/// <see cref="StepSchedule"/>, <see cref="BackendContext"/>) plugs in with <c>UseBackend</c> and times every step.
/// The backends below use no internal type.
/// </summary>
public class StepBackendTests
{
    private static LlmSimulationBuilder Pipelined(int accumulation = 1) => LlmSimulation.Create()
        .Hardware(HardwarePresets.H100Sxm80GB)
        .Model(ModelPresets.Llama2_7B.Training(globalBatch: 8 * accumulation, sequenceLength: 2048, gradientAccumulationSteps: accumulation))
        .Parallelism(p => p.Tensor(2).Pipeline(2, microBatches: 4).Data(2));

    // One GPU, one micro-batch: the step's graph is a single chain, so its time is the sum of its durations.
    private static LlmSimulationBuilder SingleGpu(int accumulation = 1) => LlmSimulation.Create()
        .Hardware(HardwarePresets.H100Sxm80GB)
        .Model(ModelPresets.Llama2_7B.Training(globalBatch: 1 * accumulation, sequenceLength: 1024, gradientAccumulationSteps: accumulation))
        .Parallelism(_ => { });

    private static LlmSimulationBuilder Inference() => LlmSimulation.Create()
        .Hardware(HardwarePresets.H100Sxm80GB)
        .Model(ModelPresets.Llama2_7B.Inference(batch: 4, promptLength: 1024, decodeLength: 256))
        .Parallelism(p => p.Tensor(2).Pipeline(2, microBatches: 2));

    [TestCase(1)]
    [TestCase(4)]
    public void TheLibrarysScheduleReturnedAsItIsGivesTheAnalyticalEstimate(int accumulation)
    {
        var analytical = Pipelined(accumulation).Build().EstimateTraining();
        var replayed = Pipelined(accumulation).UseBackend(new Replay()).Build().EstimateTraining();
        Assert.Multiple(() =>
        {
            Assert.That(replayed.Backend, Is.EqualTo("replay"));
            Assert.That(replayed with { Backend = analytical.Backend }, Is.EqualTo(analytical), "every figure, memory included");
        });
    }

    [TestCase(1)]
    [TestCase(4)]
    public void AListSchedulerWrittenFromThePublicViewReproducesTheAnalyticalStepTime(int accumulation)
    {
        var analytical = Pipelined(accumulation).Build().EstimateTraining(includeMemory: false);
        var own = Pipelined(accumulation).UseBackend(new OwnListScheduler()).Build().EstimateTraining(includeMemory: false);
        Assert.Multiple(() =>
        {
            Assert.That(own.Backend, Is.EqualTo("own-list-scheduler"));
            Assert.That(own.TimePerBatchSeconds, Is.EqualTo(analytical.TimePerBatchSeconds).Within(1e-9).Percent);
            Assert.That(own.LastStepSeconds, Is.EqualTo(analytical.LastStepSeconds).Within(1e-9).Percent);
            Assert.That(own.StageBusySeconds.Count, Is.EqualTo(2));
            for (var i = 0; i < own.StageBusySeconds.Count; i++)
                Assert.That(own.StageBusySeconds[i], Is.EqualTo(analytical.StageBusySeconds[i]).Within(1e-9).Percent);
        });
    }

    [Test]
    public void AListSchedulerWrittenFromThePublicViewReproducesTheAnalyticalInference()
    {
        var analytical = Inference().Build().EstimateInference(includeMemory: false);
        var own = Inference().UseBackend(new OwnListScheduler()).Build().EstimateInference(includeMemory: false);
        Assert.Multiple(() =>
        {
            Assert.That(own.PrefillSeconds, Is.EqualTo(analytical.PrefillSeconds).Within(1e-9).Percent);
            Assert.That(own.DecodeSeconds, Is.EqualTo(analytical.DecodeSeconds).Within(1e-9).Percent);
        });
    }

    [TestCase(1)]
    [TestCase(3)]
    public void DoublingEveryComputeVertexOnOneGpuAddsTheComputeTimeOfTheChain(int accumulation)
    {
        // On one GPU with one micro-batch every vertex waits for the one before it: the step takes the sum of the
        // durations, so doubling the compute vertices adds exactly their sum, in every accumulation step.
        var analytical = SingleGpu(accumulation).Build().EstimateTraining(includeMemory: false);
        var recorder = new ChainRecorder();
        SingleGpu(accumulation).UseBackend(recorder).Build().EstimateTraining(includeMemory: false);
        var doubled = SingleGpu(accumulation).UseBackend(new ScaledCompute(2)).Build().EstimateTraining(includeMemory: false);
        var lastStep = recorder.Steps[0];
        Assert.Multiple(() =>
        {
            Assert.That(recorder.Steps, Has.Count.EqualTo(accumulation > 1 ? 2 : 1), "the last step, then one accumulation step");
            Assert.That(lastStep.ComputeSeconds, Is.GreaterThan(0));
            Assert.That(analytical.LastStepSeconds, Is.EqualTo(lastStep.ComputeSeconds + lastStep.OtherSeconds).Within(1e-9).Percent, "a chain");
            Assert.That(doubled.Backend, Is.EqualTo("compute-x2"));
            Assert.That(doubled.LastStepSeconds, Is.EqualTo(2 * lastStep.ComputeSeconds + lastStep.OtherSeconds).Within(1e-9).Percent);
            var accumulationStep = recorder.Steps[^1];
            var expectedBatch = (accumulation - 1) * (2 * accumulationStep.ComputeSeconds + accumulationStep.OtherSeconds)
                + 2 * lastStep.ComputeSeconds + lastStep.OtherSeconds;
            Assert.That(doubled.TimePerBatchSeconds, Is.EqualTo(expectedBatch).Within(1e-9).Percent);
            Assert.That(doubled.TimePerBatchSeconds, Is.GreaterThan(1.5 * analytical.TimePerBatchSeconds));
        });
    }

    [Test]
    public void TheViewCarriesRolesDevicesAndTransfers()
    {
        var recorder = new ChainRecorder();
        Pipelined().UseBackend(recorder).Build().EstimateTraining(includeMemory: false);
        var graph = recorder.Graphs[0];
        var vertices = graph.Vertices;
        Assert.Multiple(() =>
        {
            Assert.That(graph.RunType, Is.EqualTo(RunType.Training));
            Assert.That(graph.DeviceCount, Is.EqualTo(2), "one device per pipeline stage");
            Assert.That(vertices[graph.StartVertexId].Dependencies, Is.Empty);
            Assert.That(vertices.Select((v, i) => v.Id == i).All(x => x), Is.True);
            // 32 layers over 2 stages, 4 micro-batches: one backward vertex per layer and micro-batch.
            Assert.That(vertices.Count(v => v.Role == VertexRole.TransformerLayer && v.IsForward == false), Is.EqualTo(4 * 32));
            Assert.That(vertices.Where(v => v.Role == VertexRole.TransformerLayer).Select(v => v.MicroBatch).Distinct().Order(), Is.EqualTo(new int?[] { 0, 1, 2, 3 }));
            Assert.That(vertices.Where(v => v.Role == VertexRole.Optimizer).Select(v => v.Device).Distinct().Order(), Is.EqualTo(new int?[] { 0, 1 }));
            Assert.That(vertices.Where(v => v.IsCompute).All(v => v.Collective is null && v.Bytes == 0), Is.True);
            // Data-parallel gradient sync (dp 2) and the stage-to-stage sends move bytes over their axes.
            Assert.That(vertices.Any(v => v.Collective == CollectiveKind.AllReduce && v.Axis == ParallelismAxis.Dp && v.Bytes > 0 && v.Participants == 2 && v.DurationSeconds > 0), Is.True);
            Assert.That(vertices.Any(v => v.Collective == CollectiveKind.PointToPoint && v.Axis == ParallelismAxis.Pp && v.Bytes > 0 && v.DurationSeconds > 0), Is.True);
            Assert.That(vertices.All(v => v.Dependencies.All(p => vertices[p].Dependents.Contains(v.Id))), Is.True);
        });
    }

    [Test]
    public void TheContextCarriesTheServicesTheHardwareAndTheEstimatesToken()
    {
        var notes = new List<string>();
        var clock = new FixedClock();
        var recorder = new ChainRecorder();
        using var source = new CancellationTokenSource();
        var simulation = Inference()
            .Services(new SimulationServices { Log = notes.Add, TimeProvider = clock })
            .OutputDirectory("step-backend-output")
            .UseBackend(recorder)
            .Build();
        var estimate = simulation.EstimateInference(includeMemory: false, source.Token);
        var context = recorder.Contexts[0];
        Assert.Multiple(() =>
        {
            Assert.That(context.Hardware, Is.EqualTo(simulation.Hardware));
            Assert.That(context.OutputDirectory, Is.EqualTo(Path.GetFullPath("step-backend-output")));
            Assert.That(context.TimeProvider, Is.SameAs(clock));
            Assert.That(context.CancellationToken, Is.EqualTo(source.Token));
            Assert.That(notes, Has.Count.EqualTo(recorder.Graphs.Count).And.All.StartWith("recorder: "));
            Assert.That(recorder.Graphs.Select(g => g.RunType).Distinct(), Is.EqualTo(new[] { RunType.Inference }));
            Assert.That(recorder.Graphs, Has.Count.GreaterThan(2), "the prefill and the sampled decode steps");
        });
    }

    [Test]
    public void CancellationReachesTheBackendAndStopsTheEstimate()
    {
        using var source = new CancellationTokenSource();
        var backend = new CancelAfter(source, runs: 2);
        var simulation = Inference().UseBackend(backend).Build();
        Assert.Multiple(() =>
        {
            Assert.That(() => simulation.EstimateInference(includeMemory: false, source.Token), Throws.InstanceOf<OperationCanceledException>());
            Assert.That(backend.Runs, Is.EqualTo(2), "the backend saw the cancellation and stopped at once");
        });
    }

    [Test]
    public void AScheduleOfTheWrongSizeIsABackendFailureThatSaysWhatToReturn()
    {
        var simulation = Pipelined().UseBackend(new Truncating()).Build();
        var e = Assert.Throws<BackendRunException>(() => simulation.EstimateTraining(includeMemory: false))!;
        Assert.That(e.Message, Does.Contain("'truncating'").And.Contain("one start and finish per vertex"));
    }

    [Test]
    public void AStepTimeOfTheBackendsOwnIsTheEstimates()
    {
        var fixedStep = Pipelined().UseBackend(new FixedStep(10)).Build().EstimateTraining(includeMemory: false);
        var back = Pipelined().UseBackend(new FixedStep(10)).UseAnalytical().Build().EstimateTraining(includeMemory: false);
        Assert.Multiple(() =>
        {
            Assert.That(fixedStep.TimePerBatchSeconds, Is.EqualTo(10).Within(1e-12));
            Assert.That(back.Backend, Is.EqualTo("analytical"), "UseAnalytical removes the backend");
        });
    }

    [Test]
    public void AScheduleRejectsTimesThatCannotBe()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => new StepSchedule(double.NaN, [0], [1]), Throws.ArgumentException);
            Assert.That(() => new StepSchedule(1, [0, 0], [1]), Throws.ArgumentException);
            Assert.That(() => new StepSchedule(1, [1], [0.5]), Throws.ArgumentException.With.Message.Contains("finishes"));
            Assert.That(new StepSchedule(1, [double.NaN], [double.NaN]).FinishSeconds[0], Is.NaN);
        });
    }

    /// <summary>Returns the library's schedule as it is.</summary>
    private sealed class Replay : IStepBackend
    {
        public string Name => "replay";

        public StepSchedule Schedule(StepGraph graph, BackendContext context) => graph.Simulate();
    }

    /// <summary>Every compute vertex takes <c>factor</c> times its analytical duration; transfers keep theirs.</summary>
    private sealed class ScaledCompute(double factor) : IStepBackend
    {
        public string Name => "compute-x2";

        public StepSchedule Schedule(StepGraph graph, BackendContext context) =>
            graph.Simulate(v => v.IsCompute ? factor * v.DurationSeconds : v.DurationSeconds);
    }

    /// <summary>Records each graph's durations (compute and the rest, over the vertices that run) and its context.</summary>
    private sealed class ChainRecorder : IStepBackend
    {
        public List<(double ComputeSeconds, double OtherSeconds)> Steps { get; } = [];

        public List<StepGraph> Graphs { get; } = [];

        public List<BackendContext> Contexts { get; } = [];

        public string Name => "recorder";

        public StepSchedule Schedule(StepGraph graph, BackendContext context)
        {
            var schedule = graph.Simulate();
            var ran = graph.Vertices.Where(v => !double.IsNaN(schedule.FinishSeconds[v.Id])).ToList();
            lock (Graphs)
            {
                Steps.Add((ran.Where(v => v.IsCompute).Sum(v => v.DurationSeconds), ran.Where(v => !v.IsCompute).Sum(v => v.DurationSeconds)));
                Graphs.Add(graph);
                Contexts.Add(context);
            }

            context.Log($"recorder: {graph.Vertices.Count} vertices");
            return schedule;
        }
    }

    /// <summary>
    /// A list scheduler of one's own, from the view alone: a vertex is ready when its dependencies are done; ready
    /// vertices start in the order they became ready, work only when its device is free; equal finish times are taken
    /// in the order they were scheduled.
    /// </summary>
    private sealed class OwnListScheduler : IStepBackend
    {
        public string Name => "own-list-scheduler";

        public StepSchedule Schedule(StepGraph graph, BackendContext context)
        {
            var vertices = graph.Vertices;
            var start = Enumerable.Repeat(double.NaN, vertices.Count).ToArray();
            var finish = Enumerable.Repeat(double.NaN, vertices.Count).ToArray();
            var done = new bool[vertices.Count];
            var queued = new bool[vertices.Count];
            var deviceBusy = new bool[graph.DeviceCount];
            var ready = new List<int>();
            var events = new PriorityQueue<int, (double, long)>();
            long order = 0;
            var root = graph.StartVertexId;
            start[root] = 0;
            queued[root] = true;
            events.Enqueue(root, (vertices[root].DurationSeconds, order++));
            double now = 0;
            while (events.TryDequeue(out var id, out var key))
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                now = key.Item1;
                done[id] = true;
                finish[id] = now;
                if (vertices[id].Device is { } freed && id != root) deviceBusy[freed] = false;
                foreach (var child in vertices[id].Dependents)
                {
                    if (!queued[child] && vertices[child].Dependencies.All(p => done[p]))
                    {
                        queued[child] = true;
                        ready.Add(child);
                    }
                }

                for (var i = 0; i < ready.Count; i++)
                {
                    var v = vertices[ready[i]];
                    if (v.Device is { } device)
                    {
                        if (deviceBusy[device]) continue;
                        deviceBusy[device] = true;
                    }

                    start[v.Id] = now;
                    events.Enqueue(v.Id, (now + v.DurationSeconds, order++));
                    ready.RemoveAt(i--);
                }
            }

            return new StepSchedule(now, start, finish);
        }
    }

    /// <summary>Cancels the estimate's token on its n-th graph and honours it.</summary>
    private sealed class CancelAfter(CancellationTokenSource source, int runs) : IStepBackend
    {
        public int Runs { get; private set; }

        public string Name => "cancel-after";

        public StepSchedule Schedule(StepGraph graph, BackendContext context)
        {
            if (++Runs == runs) source.Cancel();
            context.CancellationToken.ThrowIfCancellationRequested();
            return graph.Simulate();
        }
    }

    private sealed class Truncating : IStepBackend
    {
        public string Name => "truncating";

        public StepSchedule Schedule(StepGraph graph, BackendContext context) => new(1, [0], [1]);
    }

    private sealed class FixedStep(double seconds) : IStepBackend
    {
        public string Name => "fixed-step";

        public StepSchedule Schedule(StepGraph graph, BackendContext context) => graph.Simulate().WithStepSeconds(seconds);
    }

    private sealed class FixedClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    }
}
