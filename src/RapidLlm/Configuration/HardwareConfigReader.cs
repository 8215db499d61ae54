namespace RapidLlm.Configuration;

/// <summary>Turns hardware YAML into a <see cref="HardwareConfig"/>.</summary>
internal static class HardwareConfigReader
{
    public static ConfigLoadResult<HardwareConfig> Read(string yaml, string source) => throw new NotImplementedException();
}
