using RapidLlm.Configuration;
using RapidLlm.Simulation;
using RapidLlm.Inference;

namespace RapidLlm.Tests.Moe;

/// <summary>
/// Counting every layer, MoE inference energy includes the router: its logits GEMM (2·T·D·E FLOPs and the GEMM model's
/// DRAM traffic) and its softmax (7 FLOPs and 4 accesses per logit), on the T tokens this rank owns, once per MoE
/// layer. DeepSeek-V3 shape of data/differential/moe_mla_deepseekv3_infer (2 MoE layers of 3, 256 experts, D = 7168,
/// batch 4, prompt 512, tp 2). The reference's single-layer energy, which leaves the router out, is unchanged.
/// </summary>
public sealed class MoeRouterEnergyTests
{
    // All-layers energy of this case before the router was counted (dense and expert operators, dispatch and combine).
    private const double PrefillJoulesWithoutRouter = 1.6276996803788801;
    private const double DecodeJoulesWithoutRouter = 62.491294461317125;

    private static ValidatedRun Run()
    {
        var folder = Path.Combine(TestContext.CurrentContext.TestDirectory, "data", "differential", "moe_mla_deepseekv3_infer");
        return ConfigValidator.Validate(HardwareConfig.LoadYaml(Path.Combine(folder, "hw.yaml")), ModelConfig.LoadYaml(Path.Combine(folder, "model.yaml")));
    }

    /// <summary>Energy of the routers of one pass over <paramref name="tokensPerSequence"/> new tokens.</summary>
    private static double RouterJoules(ValidatedRun run, DeviceModels device, long tokensPerSequence)
    {
        var t = run.Model.Transformer!;
        long tokens = t.GlobalBatchSize * tokensPerSequence, hidden = t.HiddenDim, experts = t.Moe.NumExperts;
        var logits = (double)tokens * experts;
        var gemm = device.Operations.Gemm.Estimate(tokens, hidden, experts, includeKernelOverhead: true);
        var flops = 2.0 * tokens * hidden * experts + 7 * logits;
        var dramBytes = gemm.AccessBytes[device.Operations.DramLevel] + run.Hardware.Software.Precision.ActivationsBytes * logits * 4;
        var perFlop = run.Hardware.Technology.Core.NominalEnergyPerFlopJoules;
        var perByte = run.Hardware.Technology.Dram.DynamicEnergyPerBitJoules * 8;
        return t.NumMoeLayers * (flops * perFlop + dramBytes * perByte);
    }

    [Test]
    public void AllLayersEnergyAddsTheRouterOfEveryMoeLayer()
    {
        var run = Run();
        var device = new DeviceModels(run.Hardware);
        var e = new LlmInferenceEstimator(device).Estimate(run.Model.Transformer!, includeMemory: false);
        var prompt = run.Model.Transformer!.SeqLen - run.Model.Transformer.DecodeLen!.Value;
        var prefill = PrefillJoulesWithoutRouter + RouterJoules(run, device, prompt);
        Assert.Multiple(() =>
        {
            Assert.That(run.Model.Transformer.NumMoeLayers, Is.EqualTo(2));
            Assert.That(e.Energy.PrefillJoules, Is.EqualTo(prefill).Within(1e-9 * prefill));
            // Each sampled decode step routes one token per sequence; the integral adds them over the decode.
            Assert.That(e.Energy.DecodeJoules, Is.GreaterThan(DecodeJoulesWithoutRouter));
            Assert.That(e.Energy.DecodeJoules - DecodeJoulesWithoutRouter,
                Is.EqualTo(RouterJoules(run, device, 1) * run.Model.Transformer.DecodeLen!.Value).Within(1e-6 * DecodeJoulesWithoutRouter));
        });
    }

    [Test]
    public void TheReferencesSingleLayerEnergyStillLeavesTheRouterOut()
    {
        var run = Run();
        var e = new LlmInferenceEstimator(new DeviceModels(run.Hardware), energyAccounting: EnergyAccounting.ReferenceSingleLayer)
            .Estimate(run.Model.Transformer!, includeMemory: false);
        // The reference's prefill energy for this file (differential expected.json: "[prefill] energy: 624.93mJ").
        Assert.That(e.Energy.PrefillJoules, Is.EqualTo(0.624931897344).Within(1e-9 * 0.624931897344));
    }
}
