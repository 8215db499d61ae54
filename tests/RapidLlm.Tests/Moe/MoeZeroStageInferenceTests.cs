using RapidLlm.Configuration;
using RapidLlm.Simulation;
using RapidLlm.Inference;

namespace RapidLlm.Tests.Moe;

/// <summary>
/// MoE inference with a ZeRO stage of 2 or 3 in the hardware file. The reference stops with "MoE memory estimation with
/// ZeRO-2/3 is not supported yet"; RapidLlm models it instead. Inference keeps one full replica per device group, so
/// nothing is ZeRO-sharded and the estimate is the ZeRO-0/1 one, which the reference gives (DeepSeek-V3 shape of
/// data/differential/moe_mla_deepseekv3_infer, reference run with dp_zero_stage 1). MoE training with ZeRO-2/3 stays
/// rejected, as in the reference (see MoeValidationTests).
/// </summary>
public sealed class MoeZeroStageInferenceTests
{
    private const double ReferenceTotalSeconds = 1.3766217405822188;
    private const double ReferencePrefillPeakGib = 14.7037353515625;
    private const double ReferenceDecodePeakGib = 14.461067199707031;

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void EveryStageGivesTheUnshardedInferenceEstimate(int stage)
    {
        var folder = Path.Combine(TestContext.CurrentContext.TestDirectory, "data", "differential", "moe_mla_deepseekv3_infer");
        var hardwareText = File.ReadAllText(Path.Combine(folder, "hw.yaml"));
        Assert.That(hardwareText, Does.Contain("dp_zero_stage: 0"));
        var hardwarePath = Path.Combine(Path.GetTempPath(), $"moe-zero{stage}-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(hardwarePath, hardwareText.Replace("dp_zero_stage: 0", $"dp_zero_stage: {stage}", StringComparison.Ordinal));
        try
        {
            var run = ConfigValidator.Validate(HardwareConfig.LoadYaml(hardwarePath), ModelConfig.LoadYaml(Path.Combine(folder, "model.yaml")));
            Assert.That(run.Hardware.Software.DpZeroStage, Is.EqualTo(stage));
            var e = new LlmInferenceEstimator(new DeviceModels(run.Hardware), energyAccounting: EnergyAccounting.ReferenceSingleLayer).Estimate(run.Model.Transformer!);
            Assert.Multiple(() =>
            {
                Assert.That(e.TotalSeconds, Is.EqualTo(ReferenceTotalSeconds).Within(1e-9 * ReferenceTotalSeconds));
                Assert.That(e.Memory!.Report.PrefillPeakGib, Is.EqualTo(ReferencePrefillPeakGib).Within(1e-9 * ReferencePrefillPeakGib));
                Assert.That(e.Memory!.Report.DecodePeakGib, Is.EqualTo(ReferenceDecodePeakGib).Within(1e-9 * ReferenceDecodePeakGib));
            });
        }
        finally
        {
            File.Delete(hardwarePath);
        }
    }
}
