using RapidLlm.Configuration;

namespace RapidLlm.HuggingFace;

/// <summary>The outcome of importing a Hugging Face <c>config.json</c>.</summary>
/// <param name="Model">The model description (parsed back from <paramref name="Yaml"/>, so both always agree).</param>
/// <param name="Yaml">A model YAML file in the current schema.</param>
/// <param name="HuggingFaceModelType">The <c>model_type</c> the config declares, e.g. <c>qwen2</c>.</param>
/// <param name="Notes">Informational sentences, e.g. which RapidLlm model type a family was mapped to.</param>
public sealed record HuggingFaceImport(ModelConfig Model, string Yaml, string HuggingFaceModelType, IReadOnlyList<string> Notes);
