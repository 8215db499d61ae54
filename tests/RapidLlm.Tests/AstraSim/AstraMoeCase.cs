using RapidLlm.Configuration;

namespace RapidLlm.Tests.AstraSim;

/// <summary>
/// The small MoE case of the AstraSim MoE tests (data/astra/moe): 4 layers (the first dense), 8 experts, top 2; tp 2,
/// pp 2, two micro-batches, ep 2 in training and moe_dp 2 in inference; tp/cp/ep on dim0, pp/dp on dim1.
/// </summary>
internal static class AstraMoeCase
{
    public static ValidatedRun Load(string runType, string mode)
    {
        var folder = Path.Combine(AstraArtifacts.Root, "moe");
        var hardwareYaml = File.ReadAllText(Path.Combine(folder, "hw.yaml")).Replace("mode: full_astrasim_flattened", "mode: " + mode, StringComparison.Ordinal);
        var hardwarePath = Path.Combine(Path.GetTempPath(), $"moe-hw-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(hardwarePath, hardwareYaml);
        try
        {
            return ConfigValidator.Validate(HardwareConfig.LoadYaml(hardwarePath), ModelConfig.LoadYaml(Path.Combine(folder, $"model_{runType}.yaml")));
        }
        finally
        {
            File.Delete(hardwarePath);
        }
    }
}
