namespace RapidLlm.Configuration;

public sealed partial record HardwareConfig
{
    /// <summary>Loads and validates a hardware YAML file (either schema).</summary>
    /// <param name="path">The file.</param>
    /// <returns>The normalised configuration; warnings are dropped (use <see cref="LoadYaml(string)"/> to see them).</returns>
    /// <exception cref="ConfigurationException">The file has errors; all of them are listed.</exception>
    public static HardwareConfig FromYaml(string path) => LoadYaml(path).Value;

    /// <summary>Loads and validates hardware YAML text (either schema).</summary>
    /// <param name="yaml">The YAML text.</param>
    /// <param name="sourceName">Name used in messages.</param>
    /// <exception cref="ConfigurationException">The text has errors; all of them are listed.</exception>
    public static HardwareConfig FromYamlText(string yaml, string sourceName = "<hardware>") => LoadYamlText(yaml, sourceName).Value;

    /// <summary>Loads and validates a hardware YAML file, returning warnings and the schema used.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="ConfigurationException">The file has errors; all of them are listed.</exception>
    public static ConfigLoadResult<HardwareConfig> LoadYaml(string path) =>
        LoadYamlText(YamlDocumentReader.ReadFile(path), path);

    /// <summary>Loads and validates hardware YAML text, returning warnings and the schema used.</summary>
    /// <param name="yaml">The YAML text.</param>
    /// <param name="sourceName">Name used in messages.</param>
    /// <exception cref="ConfigurationException">The text has errors; all of them are listed.</exception>
    public static ConfigLoadResult<HardwareConfig> LoadYamlText(string yaml, string sourceName = "<hardware>") =>
        HardwareConfigReader.Read(yaml, sourceName);
}
