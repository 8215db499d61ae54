using System.Text.Json;

namespace RapidLlm.Tests.Configuration;

/// <summary>Paths of the copied reference configs and golden files in the test output folder.</summary>
internal static class TestData
{
    public static string Root => Path.Combine(TestContext.CurrentContext.TestDirectory, "data");

    public static string Configs => Path.Combine(Root, "configs");

    public static string Golden => Path.Combine(Root, "golden");

    public static string Oracle(string caseId, string file) => Path.Combine(Root, "oracle", "cases", caseId, file);

    public static JsonElement Json(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement;

    /// <summary>Every shipped reference YAML (relative to data/configs), except the harness file that is not a config.</summary>
    public static IEnumerable<string> ReferenceYamls() =>
        Directory.EnumerateFiles(Configs, "*.yaml", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(Configs, p).Replace('\\', '/'))
            .Where(p => (p.StartsWith("seed/", StringComparison.Ordinal) || p.StartsWith("head/", StringComparison.Ordinal)) && !p.EndsWith("harness_derates.yaml", StringComparison.Ordinal))
            .OrderBy(p => p, StringComparer.Ordinal);
}
