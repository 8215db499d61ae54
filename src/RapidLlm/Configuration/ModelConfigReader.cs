namespace RapidLlm.Configuration;

/// <summary>Turns model YAML into a <see cref="ModelConfig"/>.</summary>
internal static class ModelConfigReader
{
    public static ConfigLoadResult<ModelConfig> Read(string yaml, string source) => throw new NotImplementedException();
}
