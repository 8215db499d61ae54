namespace RapidLlm.Configuration;

/// <summary>Reads configuration files, turning I/O failures into configuration errors.</summary>
internal static class YamlDocumentReader
{
    public static string ReadFile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ConfigurationException([new ConfigDiagnostic(DiagnosticSeverity.Error, path, "", 0, 0, null, "cannot read the file: " + ex.Message)]);
        }
    }
}
