using System.Xml.Linq;
using RapidLlm.Tests.Samples;

namespace RapidLlm.Tests.Architecture;

/// <summary>Build switches of the apps that change what users see.</summary>
public class AppProjectSettingsTests
{
    /// <summary>
    /// UseSystemResourceKeys trims .NET's message texts down to their resource keys, so users would read
    /// "IO_FileNotFound_FileName" instead of a sentence; no app or library project may set it.
    /// </summary>
    [Test]
    public void No_project_replaces_dotnet_messages_by_resource_keys()
    {
        var root = ReadmeExampleTests.RepositoryRoot();
        var projects = new[] { "src", "samples" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(root, folder), "*.csproj", SearchOption.AllDirectories))
            .Append(Path.Combine(root, "Directory.Build.props"))
            .Where(File.Exists)
            .ToList();
        Assert.That(projects.Select(Path.GetFileName), Does.Contain("RunPerf.csproj"));
        var setting = projects.Where(p => XDocument.Load(p).Descendants().Any(e => e.Name.LocalName == "UseSystemResourceKeys"
            && e.Value.Trim().Equals("true", StringComparison.OrdinalIgnoreCase)));
        Assert.That(setting, Is.Empty);
    }

}
