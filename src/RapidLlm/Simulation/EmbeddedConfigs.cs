using System.Reflection;
using RapidLlm.Configuration;

namespace RapidLlm.Simulation;

/// <summary>
/// Reads the shipped <c>configs/</c> YAML files that are compiled into the assembly, so presets and the files users
/// see on disk are one source of truth.
/// </summary>
internal static class EmbeddedConfigs
{
    private const string HardwarePrefix = "RapidLlm.configs.hardware_config.";

    /// <summary>Parses the embedded hardware file <paramref name="fileName"/> (e.g. <c>a100_80GB.yaml</c>, <c>reference/a100_80GB.yaml</c>).</summary>
    public static HardwareConfig Hardware(string fileName) =>
        HardwareConfig.FromYamlText(ReadText(HardwarePrefix + fileName.Replace('/', '.')), "configs/hardware-config/" + fileName);

    private static string ReadText(string resourceName)
    {
        using var stream = typeof(EmbeddedConfigs).Assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"The embedded config '{resourceName}' is missing from {typeof(EmbeddedConfigs).Assembly.GetName().Name}; the package was built without configs/.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
