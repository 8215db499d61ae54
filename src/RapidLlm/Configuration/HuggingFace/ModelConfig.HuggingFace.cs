using RapidLlm.HuggingFace;

namespace RapidLlm.Configuration;

public sealed partial record ModelConfig
{
    /// <summary>Reads a local Hugging Face <c>config.json</c> into a model description (next to <see cref="FromYaml(string)"/>).</summary>
    /// <param name="configJsonPath">The file, or a folder holding <c>config.json</c>.</param>
    /// <param name="options">The run to encode; default: training, batch 1, the config's maximum sequence length.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ConfigurationException">The file cannot be read, is not JSON, or lacks or contradicts a needed field; every problem is listed.</exception>
    public static ModelConfig FromHuggingFaceConfig(string configJsonPath, HuggingFaceImportOptions? options = null) =>
        HuggingFaceModelImporter.Import(configJsonPath, options).Model;

    /// <summary>
    /// Imports a local Hugging Face <c>config.json</c>: the model, the model YAML file it amounts to (newest schema) and
    /// notes on how its family was mapped.
    /// </summary>
    /// <param name="configJsonPath">The file, or a folder holding <c>config.json</c>.</param>
    /// <param name="options">The run to encode; default: training, batch 1, the config's maximum sequence length.</param>
    /// <returns>The import.</returns>
    /// <exception cref="ConfigurationException">The file cannot be read, is not JSON, or lacks or contradicts a needed field; every problem is listed.</exception>
    public static HuggingFaceImport ImportHuggingFaceConfig(string configJsonPath, HuggingFaceImportOptions? options = null) =>
        HuggingFaceModelImporter.Import(configJsonPath, options);

    /// <summary>Imports Hugging Face <c>config.json</c> text (an upload, a download): the model, its YAML file and notes.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="options">The run to encode; default: training, batch 1.</param>
    /// <param name="sourceName">Name used in messages; default <c>config.json</c>.</param>
    /// <returns>The import.</returns>
    /// <exception cref="ConfigurationException">The text is not JSON, or lacks or contradicts a needed field; every problem is listed.</exception>
    public static HuggingFaceImport ImportHuggingFaceJson(string json, HuggingFaceImportOptions? options = null, string sourceName = "config.json") =>
        HuggingFaceModelImporter.ImportJson(json, options, sourceName);
}
