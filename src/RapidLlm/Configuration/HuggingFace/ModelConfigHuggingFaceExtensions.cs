using RapidLlm.Configuration;

namespace RapidLlm.HuggingFace;

/// <summary>Adds <c>ModelConfig.FromHuggingFaceConfig(path)</c> next to <c>ModelConfig.FromYaml(path)</c>.</summary>
public static class ModelConfigHuggingFaceExtensions
{
    extension(ModelConfig)
    {
        /// <summary>Reads a local Hugging Face <c>config.json</c> into a model description (see <see cref="HuggingFaceModelImporter"/>).</summary>
        /// <param name="configJsonPath">The file, or a folder holding <c>config.json</c>.</param>
        /// <param name="options">The run to encode; default: training, batch 1, the config's maximum sequence length.</param>
        /// <returns>The model.</returns>
        /// <exception cref="ConfigurationException">Every problem found.</exception>
        public static ModelConfig FromHuggingFaceConfig(string configJsonPath, HuggingFaceImportOptions? options = null) =>
            HuggingFaceModelImporter.Import(configJsonPath, options).Model;
    }
}
