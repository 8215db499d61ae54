using RapidLlm.AstraSim;
using RapidLlm.Configuration;
using RapidLlm.Execution;
using RapidLlm.Graphs;
using RapidLlm.Simulation;

namespace RapidLlm.Tests.Simulation;

/// <summary>
/// Backends plug into the builder (a user's own via UseBackend, AstraSim via UseAstraSim) and estimates are cancellable:
/// the estimators see only <see cref="IExecutionBackend"/>.
/// </summary>
public class BackendPluggingTests
{
    private static LlmSimulationBuilder Training(int accumulation = 1) => LlmSimulation.Create()
        .Hardware(HardwarePresets.H100Sxm80GB)
        .Model(ModelPresets.Llama2_7B.Training(globalBatch: 8 * accumulation, sequenceLength: 2048, gradientAccumulationSteps: accumulation))
        .Parallelism(p => p.Tensor(2).Pipeline(2, microBatches: 4));

    private static LlmSimulationBuilder Inference() => LlmSimulation.Create()
        .Hardware(HardwarePresets.H100Sxm80GB)
        .Model(ModelPresets.Llama2_7B.Inference(batch: 4, promptLength: 1024, decodeLength: 256))
        .Parallelism(p => p.Tensor(2));

    [TestCase(1)]
    [TestCase(4)]
    public void AUsersBackendTimesTheGraphsAndNamesTheEstimate(int accumulation)
    {
        var analytical = Training(accumulation).Build().EstimateTraining(includeMemory: false);
        var slowed = Training(accumulation).UseBackend(new SlowedBackend(factor: 3)).Build().EstimateTraining(includeMemory: false);
        Assert.Multiple(() =>
        {
            Assert.That(slowed.Backend, Is.EqualTo("slowed"));
            Assert.That(analytical.Backend, Is.EqualTo("analytical"));
            Assert.That(slowed.TimePerBatchSeconds, Is.EqualTo(3 * analytical.TimePerBatchSeconds).Within(1e-9).Percent);
        });
    }

    [Test]
    public void AUsersLayerTimesReplaceTheAnalyticalOnes()
    {
        // Every transformer layer takes exactly 1 ms forward and 2 ms backward, whatever the analytical costs say.
        var plain = Training().Build().EstimateTraining(includeMemory: false);
        var fixedLayers = Training().UseBackend(new FixedLayerBackend(0.001, 0.002)).Build().EstimateTraining(includeMemory: false);
        Assert.Multiple(() =>
        {
            Assert.That(fixedLayers.Backend, Is.EqualTo("fixed-layers"));
            Assert.That(fixedLayers.TimePerBatchSeconds, Is.Not.EqualTo(plain.TimePerBatchSeconds).Within(1).Percent);
            // 16 layers per stage, 4 micro-batches through 2 stages: at least the busiest stage's layer work.
            Assert.That(fixedLayers.TimePerBatchSeconds, Is.GreaterThan(4 * 16 * 0.003));
        });
    }

    [Test]
    public void TheFactoryIsGivenTheHardwareAndTheSharedServicesAndRunsOncePerSimulation()
    {
        var calls = 0;
        BackendBuildContext? seen = null;
        var simulation = Training()
            .OutputDirectory("relative-output")
            .UseBackend(context =>
            {
                Interlocked.Increment(ref calls);
                seen = context;
                return AnalyticalBackend.Instance;
            })
            .Build();
        simulation.EstimateTraining(includeMemory: false);
        simulation.EstimateTraining(includeMemory: false);
        Assert.Multiple(() =>
        {
            Assert.That(calls, Is.EqualTo(1));
            Assert.That(seen!.Hardware, Is.EqualTo(simulation.Hardware));
            Assert.That(seen.Services.OutputDirectory, Is.EqualTo(Path.GetFullPath("relative-output")));
            Assert.That(simulation.ToBuilder().Build().BackendFactory, Is.Not.Null, "derived simulations keep the factory");
        });
    }

    [Test]
    public void AnAstraSimHardwareWithoutTheAstraSimBackendSaysWhatToReference()
    {
        var simulation = Training().ExecutionBackend(new AstraSimBuilder().Hierarchical().ToConfig()).Build();
        var e = Assert.Throws<BackendUnavailableException>(() => simulation.EstimateTraining())!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Message, Does.Contain("RapidLlm.AstraSim").And.Contain("UseAstraSim(...)").And.Contain("full_astrasim_hierarchical"));
            // Memory needs no backend.
            Assert.That(simulation.EstimateMemory().Report.PeakGib, Is.GreaterThan(0));
        });
    }

    [Test]
    public void UseAstraSimWithOptionsKeepsAnAnalyticalHardwareAnalytical()
    {
        var astra = Training().UseAstraSim(new RapidLlm.AstraSim.Execution.AstraSimOptions(BinaryPath: "/nonexistent/astra")).Build().EstimateTraining(includeMemory: false);
        var plain = Training().Build().EstimateTraining(includeMemory: false);
        Assert.That(astra, Is.EqualTo(plain));
    }

    [Test]
    public void ACancelledTokenStopsEveryEstimate()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var training = Training().Build();
        var inference = Inference().Build();
        var gemm = LlmSimulation.Create().Hardware(HardwarePresets.H100Sxm80GB).Model(ModelPresets.Gemm(4096, 4096, 4096)).Build();
        Assert.Multiple(() =>
        {
            Assert.That(() => training.EstimateTraining(cancellationToken: cancelled.Token), Throws.InstanceOf<OperationCanceledException>());
            Assert.That(() => training.EstimateMemory(cancelled.Token), Throws.InstanceOf<OperationCanceledException>());
            Assert.That(() => inference.EstimateInference(cancellationToken: cancelled.Token), Throws.InstanceOf<OperationCanceledException>());
            Assert.That(() => inference.EstimateMemory(cancelled.Token), Throws.InstanceOf<OperationCanceledException>());
            Assert.That(() => gemm.EstimateGemm(cancelled.Token), Throws.InstanceOf<OperationCanceledException>());
        });
    }

    [Test]
    public void CancellingDuringAnInferenceStopsBeforeTheNextDecodeSample()
    {
        using var cancel = new CancellationTokenSource();
        var backend = new CancellingBackend(cancel, afterRuns: 2);
        var simulation = Inference().UseBackend(backend).Build();
        Assert.Multiple(() =>
        {
            Assert.That(() => simulation.EstimateInference(includeMemory: false, cancel.Token), Throws.InstanceOf<OperationCanceledException>());
            // The prefill and one decode sample ran; the many decode samples after the cancellation did not.
            Assert.That(backend.Runs, Is.EqualTo(2));
        });
    }

    /// <summary>A user's backend: the analytical schedule, every time multiplied by a factor.</summary>
    private sealed class SlowedBackend(double factor) : IExecutionBackend
    {
        public string Name => "slowed";

        public SimulationResult Execute(ExecutionGraph graph, ICommunicationTimer communication, CancellationToken cancellationToken = default)
        {
            var r = AnalyticalBackend.Instance.Execute(graph, communication, cancellationToken);
            return new SimulationResult(r.MakespanSeconds * factor, r.FinishTimesSeconds.Select(t => t * factor).ToList(),
                r.DeviceBusySeconds.Select(t => t * factor).ToList(), r.CompletedVertexCount, r.Durations);
        }
    }

    /// <summary>A user's backend that times the transformer layer itself (as AstraSim's hybrid mode does).</summary>
    private sealed class FixedLayerBackend(double forwardSeconds, double backwardSeconds) : IExecutionBackend
    {
        public string Name => "fixed-layers";

        public StepPlan Plan(LayerStep step, CancellationToken cancellationToken = default) =>
            new(new LayerTimes(forwardSeconds, step.RunType == RunType.Training ? backwardSeconds : 0, [], []), this);

        public SimulationResult Execute(ExecutionGraph graph, ICommunicationTimer communication, CancellationToken cancellationToken = default) =>
            AnalyticalBackend.Instance.Execute(graph, communication, cancellationToken);
    }

    /// <summary>Cancels the token after a number of pipeline runs (a user pressing stop mid-estimate).</summary>
    private sealed class CancellingBackend(CancellationTokenSource cancel, int afterRuns) : IExecutionBackend
    {
        private int _runs;

        public int Runs => _runs;

        public string Name => "cancelling";

        public SimulationResult Execute(ExecutionGraph graph, ICommunicationTimer communication, CancellationToken cancellationToken = default)
        {
            var result = AnalyticalBackend.Instance.Execute(graph, communication, cancellationToken);
            if (Interlocked.Increment(ref _runs) == afterRuns) cancel.Cancel();
            return result;
        }
    }
}
