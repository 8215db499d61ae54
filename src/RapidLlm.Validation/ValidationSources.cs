namespace RapidLlm.Validation;

/// <summary>Where the validation data and the base configuration files live.</summary>
/// <param name="DataDirectory">
/// Folder with <c>koyeb_a100_llama31_8b.csv</c>, <c>imec_data/</c> and <c>nvidia_data/</c> (the layout of the
/// reference's validation data).
/// </param>
/// <param name="ConfigDirectory">Folder with the reference's validation <c>hardware-config/</c> and <c>model-config/</c>.</param>
/// <param name="PresetDirectory">
/// Folder with our shipped hardware presets (<c>configs/hardware-config</c>); suites that validate a preset (the Megatron
/// suite runs on the A100 preset) need it. Null leaves those suites out of <see cref="ValidationCatalog.All"/>.
/// </param>
public sealed record ValidationSources(string DataDirectory, string ConfigDirectory, string? PresetDirectory = null)
{
    /// <summary>Path of one of our hardware presets.</summary>
    /// <param name="fileName">File name, for example <c>a100_80GB.yaml</c>.</param>
    /// <exception cref="ArgumentException">No <see cref="PresetDirectory"/> is set.</exception>
    public string Preset(string fileName) => PresetDirectory is { } folder
        ? Path.Combine(folder, fileName)
        : throw new ArgumentException($"The suite runs on the preset {fileName}: set ValidationSources.PresetDirectory to the configs/hardware-config folder.");

    /// <summary>Path of a data file, relative to <see cref="DataDirectory"/>.</summary>
    /// <param name="relativePath">For example <c>imec_data/A100_inf.csv</c>.</param>
    public string Data(string relativePath) => Path.Combine(DataDirectory, relativePath);

    /// <summary>
    /// Path of a serving-engine overlay (a hardware-file <c>serving</c> block) under <see cref="DataDirectory"/><c>/engines</c>:
    /// the engine a suite's measurements were taken with, merged into a calibrated preset.
    /// </summary>
    /// <param name="fileName">File name, for example <c>vllm_koyeb.yaml</c>.</param>
    public string Engine(string fileName) => Path.Combine(DataDirectory, "engines", fileName);

    /// <summary>Path of a hardware YAML in the validation configs.</summary>
    /// <param name="fileName">File name.</param>
    public string Hardware(string fileName) => Path.Combine(ConfigDirectory, "hardware-config", fileName);

    /// <summary>Path of a model YAML in the validation configs.</summary>
    /// <param name="fileName">File name.</param>
    public string Model(string fileName) => Path.Combine(ConfigDirectory, "model-config", fileName);
}
