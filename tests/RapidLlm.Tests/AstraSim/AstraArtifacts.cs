namespace RapidLlm.Tests.AstraSim;

/// <summary>The reference's persisted AstraSim runs, copied under data/astra (see /work/shared/astra/README.md).</summary>
internal static class AstraArtifacts
{
    public static string Root => Path.Combine(TestContext.CurrentContext.TestDirectory, "data", "astra");

    public static string Artifacts => Path.Combine(Root, "artifacts");

    /// <summary>Every persisted AstraSim call's input folder.</summary>
    public static IEnumerable<string> CallInputFolders() =>
        Directory.EnumerateDirectories(Artifacts, "*.inputs", SearchOption.AllDirectories).Order(StringComparer.Ordinal);

    /// <summary>Every .et file written by the reference.</summary>
    public static IEnumerable<string> TraceFiles() =>
        Directory.EnumerateFiles(Artifacts, "*.et", SearchOption.AllDirectories).Order(StringComparer.Ordinal);

    public static string Call(string mode, string run, int call) =>
        Path.Combine(Artifacts, mode, run, "astra_calls", $"{call:00}");
}
