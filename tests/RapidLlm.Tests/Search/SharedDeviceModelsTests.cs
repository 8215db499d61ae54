using RapidLlm.Simulation;

namespace RapidLlm.Tests.Search;

/// <summary>Variations of one simulation share its device's cost models and GEMM memo, and estimate exactly as a fresh one.</summary>
public class SharedDeviceModelsTests
{
    [Test]
    public void A_variation_on_the_same_device_reuses_the_gemm_memo_and_gives_the_same_numbers()
    {
        var first = SearchFixtures.SmallTraining().Parallelism(p => p.Tensor(2, sequenceParallel: true).Data(2)).Build();
        first.EstimateTraining(includeMemory: false);
        var variation = first.ToBuilder().Parallelism(p => p.Tensor(2, sequenceParallel: true).Pipeline(2, 2)).Software(s => s.ZeroStage(0)).Build();
        var fresh = SearchFixtures.SmallTraining().Parallelism(p => p.Tensor(2, sequenceParallel: true).Pipeline(2, 2)).Software(s => s.ZeroStage(0)).Build();

        Assert.That(variation.Device().Gemm, Is.SameAs(first.Device().Gemm));
        Assert.That(variation.Device().Config, Is.EqualTo(variation.Hardware));
        Assert.That(variation.EstimateTraining(), Is.EqualTo(fresh.EstimateTraining()).Using<RapidLlm.Results.TrainingEstimate>((a, b) =>
            a.TimePerBatchSeconds == b.TimePerBatchSeconds && a.Memory!.Report.PeakGib == b.Memory!.Report.PeakGib));
    }

    [Test]
    public void Another_device_gets_its_own_models()
    {
        var a100 = SearchFixtures.SmallTraining().Build();
        var h100 = a100.ToBuilder().Hardware(HardwarePresets.H100Sxm80GB).Build();
        Assert.That(h100.Device().Gemm, Is.Not.SameAs(a100.Device().Gemm));
        Assert.That(h100.Device().Hardware, Is.Not.EqualTo(a100.Device().Hardware));
    }
}
