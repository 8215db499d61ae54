using RapidLlm.Configuration;

namespace RapidLlm.Tests.AstraSim;

/// <summary>
/// The small MoE case of the AstraSim MoE tests (data/astra/moe): 4 layers (the first dense), 8 experts, top 2; tp 2,
/// pp 2, two micro-batches, ep 2 in training and moe_dp 2 in inference; tp/cp/ep on dim0, pp/dp on dim1.
/// </summary>
internal static class AstraMoeCase
{
    /// <summary>Loads the case for a run type and AstraSim mode; <paramref name="dataParallel2"/> adds a second
    /// data-parallel replica (training), which brings the ep gradient syncs in.</summary>
    public static ValidatedRun Load(string runType, string mode, bool dataParallel2 = false)
    {
        var folder = Path.Combine(AstraArtifacts.Root, "moe");
        var hardwareYaml = File.ReadAllText(Path.Combine(folder, "hw.yaml")).Replace("mode: full_astrasim_flattened", "mode: " + mode, StringComparison.Ordinal);
        var modelYaml = File.ReadAllText(Path.Combine(folder, $"model_{runType}.yaml"));
        if (dataParallel2)
        {
            hardwareYaml = hardwareYaml.Replace("    dp: 1", "    dp: 2", StringComparison.Ordinal);
            modelYaml = modelYaml.Replace("global_batch_size: 8", "global_batch_size: 16", StringComparison.Ordinal);
        }

        var hardwarePath = Path.Combine(Path.GetTempPath(), $"moe-hw-{Guid.NewGuid():N}.yaml");
        var modelPath = Path.Combine(Path.GetTempPath(), $"moe-model-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(hardwarePath, hardwareYaml);
        File.WriteAllText(modelPath, modelYaml);
        try
        {
            return ConfigValidator.Validate(HardwareConfig.LoadYaml(hardwarePath), ModelConfig.LoadYaml(modelPath));
        }
        finally
        {
            File.Delete(hardwarePath);
            File.Delete(modelPath);
        }
    }
}
