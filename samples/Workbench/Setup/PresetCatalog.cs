using System.Reflection;

namespace RapidLlm.Workbench.Setup;

/// <summary>One shipped configuration file.</summary>
/// <param name="Name">Its path under <c>configs/hardware-config</c> or <c>configs/model-config</c>, e.g. <c>a100_80GB.yaml</c>.</param>
/// <param name="File">Hardware or model.</param>
/// <param name="Description">The file's first comment line, or empty.</param>
public sealed record Preset(string Name, ConfigFile File, string Description);

/// <summary>
/// The shipped <c>configs/</c> files, embedded in the workbench: the same hardware files the library's
/// <c>HardwarePresets</c> are parsed from, and every shipped model file (LLMs, MoE, ViT, GEMM).
/// </summary>
public static class PresetCatalog
{
    private const string HardwarePrefix = "presets/hardware/";
    private const string ModelPrefix = "presets/model/";
    private static readonly Assembly Assembly = typeof(PresetCatalog).Assembly;

    /// <summary>The hardware preset the workbench opens with.</summary>
    public const string DefaultHardware = "a100_80GB.yaml";

    /// <summary>The model preset the workbench opens with.</summary>
    public const string DefaultModel = "Llama2-7B.yaml";

    /// <summary>Every preset of one kind, by name.</summary>
    /// <param name="file">Hardware or model.</param>
    /// <returns>The presets.</returns>
    public static IReadOnlyList<Preset> List(ConfigFile file)
    {
        var prefix = file == ConfigFile.Hardware ? HardwarePrefix : ModelPrefix;
        return Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
            .Select(n => n[prefix.Length..].Replace('\\', '/'))
            .Order(StringComparer.OrdinalIgnoreCase)
            .Select(n => new Preset(n, file, Describe(Read(file, n))))
            .ToList();
    }

    /// <summary>The YAML text of a preset.</summary>
    /// <param name="file">Hardware or model.</param>
    /// <param name="name">The preset's name.</param>
    /// <returns>The text.</returns>
    /// <exception cref="ArgumentException">No such preset.</exception>
    public static string Read(ConfigFile file, string name)
    {
        var prefix = file == ConfigFile.Hardware ? HardwarePrefix : ModelPrefix;
        using var stream = Assembly.GetManifestResourceStream(prefix + name)
            ?? Assembly.GetManifestResourceStream(prefix + name.Replace('/', '\\'))
            ?? throw new ArgumentException($"no {file.ToString().ToLowerInvariant()} preset named '{name}'", nameof(name));
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The setup the workbench opens with.</summary>
    /// <returns>A100 and Llama-2-7B training.</returns>
    public static RunSetup DefaultSetup() => new(
        DefaultHardware, YamlDocument.Parse(Read(ConfigFile.Hardware, DefaultHardware)),
        DefaultModel, YamlDocument.Parse(Read(ConfigFile.Model, DefaultModel)));

    private static string Describe(string yaml)
    {
        var first = yaml.Split('\n').FirstOrDefault(l => l.TrimStart().StartsWith('#'));
        return first is null ? "" : first.TrimStart().TrimStart('#').Trim();
    }
}
