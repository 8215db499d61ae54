using RapidLlm.Simulation;

namespace RapidLlm.Tests.Simulation;

/// <summary>
/// One <see cref="LlmSimulation"/> shared by many threads gives the same results as one thread. Each simulation memoises
/// the device's GEMM tilings and collectives on first use, so the threads here start together on fresh simulations and
/// race to fill those memos; any unsafe sharing shows up as an exception or a result that differs in any bit.
/// </summary>
[NonParallelizable]
public sealed class ConcurrencyTests
{
    private const int Estimates = 200;
    private const int Threads = 8;

    // Four layers keep the 400 estimates quick; every code path of a full model still runs.
    private static LlmSimulation Training() => LlmSimulation.Create()
        .Hardware(HardwarePresets.H100Sxm80GB).Model(FourLayers(ModelPresets.Llama2_7B.Training(256, 2048)))
        .Parallelism(p => p.Tensor(4, sequenceParallel: true).Pipeline(2, microBatches: 4).Data(2)).Build();

    private static LlmSimulation Inference() => LlmSimulation.Create()
        .Hardware(HardwarePresets.H100Sxm80GB).Model(FourLayers(ModelPresets.Llama3_1_8B.Inference(8, 1024, 256, sampleEvery: 64)))
        .Parallelism(p => p.Tensor(2)).Build();

    private static RapidLlm.Configuration.ModelConfig FourLayers(RapidLlm.Configuration.ModelConfig model) =>
        model with { Transformer = model.Transformer! with { NumLayers = 4 } };

    // Estimate i: training with and without memory, memory alone, and inference, in a fixed rotation.
    private static object Estimate(LlmSimulation training, LlmSimulation inference, int i) => (i % 4) switch
    {
        0 => training.EstimateTraining(),
        1 => training.EstimateTraining(includeMemory: false),
        2 => inference.EstimateInference(),
        _ => inference.EstimateMemory(),
    };

    [Test]
    public void Two_hundred_estimates_on_eight_threads_equal_the_sequential_ones_bit_for_bit()
    {
        var (sequentialTraining, sequentialInference) = (Training(), Inference());
        var expected = Enumerable.Range(0, Estimates).Select(i => Estimate(sequentialTraining, sequentialInference, i)).ToArray();

        var (sharedTraining, sharedInference) = (Training(), Inference());
        var actual = new object?[Estimates];
        var next = -1;
        using var start = new Barrier(Threads);
        var workers = Enumerable.Range(0, Threads).Select(_ => new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = Interlocked.Increment(ref next); i < Estimates; i = Interlocked.Increment(ref next))
                actual[i] = Estimate(sharedTraining, sharedInference, i);
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());

        Assert.Multiple(() =>
        {
            for (var i = 0; i < Estimates; i++) Assert.That(actual[i], Is.EqualTo(expected[i]), $"estimate {i}");
        });
    }
}
