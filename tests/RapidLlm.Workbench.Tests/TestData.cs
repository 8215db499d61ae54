namespace RapidLlm.Workbench.Tests;

/// <summary>Where the tests' files and the repository are.</summary>
internal static class TestData
{
    /// <summary>A file under the tests' <c>data/</c> folder.</summary>
    public static string Path(string name) => System.IO.Path.Combine(TestContext.CurrentContext.TestDirectory, "data", name);

    /// <summary>The repository root (the folder holding RapidLlm.sln).</summary>
    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
            while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "RapidLlm.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("RapidLlm.sln not found above " + TestContext.CurrentContext.TestDirectory);
        }
    }

    /// <summary>The build configuration the tests run in (Debug or Release), read from their output folder.</summary>
    public static string Configuration =>
        new DirectoryInfo(TestContext.CurrentContext.TestDirectory).Parent?.Name ?? "Debug";
}
