using RapidLlm.Configuration;
using RapidLlm.Operations.Moe;
using RapidLlm.Tests.EndToEnd;

namespace RapidLlm.Tests.Moe;

/// <summary>Invalid MoE combinations fail with a sentence that names the setting.</summary>
public sealed class MoeValidationTests
{
    private const string Case = "t_moe8k2_a100_ep4_headonly";

    private static string Hw(string from, string to) =>
        from.Length == 0 ? File.ReadAllText(OracleCases.CaseFile(Case, "hw.head.yaml")) : File.ReadAllText(OracleCases.CaseFile(Case, "hw.head.yaml")).Replace(from, to, StringComparison.Ordinal);

    private static string Model(string from, string to) =>
        from.Length == 0 ? File.ReadAllText(OracleCases.CaseFile(Case, "model.head.yaml")) : File.ReadAllText(OracleCases.CaseFile(Case, "model.head.yaml")).Replace(from, to, StringComparison.Ordinal);

    private static string Errors(Action action)
    {
        try
        {
            action();
        }
        catch (ConfigurationException e)
        {
            return string.Join("\n", e.Errors.Select(d => d.ToString()));
        }
        return "";
    }

    private static void Validate(string hw, string model) =>
        ConfigValidator.Validate(HardwareConfig.FromYamlText(hw), ModelConfig.FromYamlText(model));

    [Test]
    public void TopKAboveExpertsIsRejected() =>
        Assert.That(Errors(() => Validate(Hw("", ""), Model("top_k: 2", "top_k: 9"))), Does.Contain("top_k"));

    [Test]
    public void ExpertsMustDivideOverEp() =>
        Assert.That(Errors(() => Validate(Hw("ep: 4", "ep: 3"), Model("global_batch_size: 8", "global_batch_size: 6"))),
            Does.Contain("divide by ep"));

    [Test]
    public void ExpertParallelismRejectsZero2() =>
        Assert.That(Errors(() => Validate(Hw("dp_zero_stage: 0", "dp_zero_stage: 2"), Model("", ""))), Does.Contain("ZeRO-2/3"));

    [Test]
    public void SpecRejectsUnevenExpertsAndImpossibleImbalance()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => new MoeLayerSpec(8, 2, 1024, 0, 1.0, 3, true, false).Validate(), Throws.ArgumentException);
            Assert.That(() => new MoeLayerSpec(8, 9, 1024, 0, 1.0, 1, true, false).Validate(), Throws.ArgumentException);
            Assert.That(() => MoeImbalanceProfile.For(9.0, 8, 1), Throws.ArgumentException);
            Assert.That(() => MoeImbalanceProfile.For(0.5, 8, 1), Throws.ArgumentException);
        });
    }

    [Test]
    public void OneHotProfileKeepsTheTotalLoad()
    {
        var p = MoeImbalanceProfile.For(2.0, 8, 2);
        Assert.Multiple(() =>
        {
            Assert.That(p.ColdExpertFactor, Is.EqualTo(6.0 / 7.0).Within(1e-15));
            Assert.That(p.HotExpertFactor + 7 * p.ColdExpertFactor, Is.EqualTo(8.0).Within(1e-12));
            Assert.That(p.HotRankFactor, Is.EqualTo((2.0 + 6.0 / 7.0) / 2).Within(1e-15));
            var split = MoeCommDecomposition.Of(1000, 4, p);
            Assert.That(split.AllToAllBytes + split.ResidualTotalBytes, Is.EqualTo(1000));
            Assert.That(split.ResidualSenders, Is.EqualTo(3));
        });
    }
}
