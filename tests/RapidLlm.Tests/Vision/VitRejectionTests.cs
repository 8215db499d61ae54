using System.Text.Json;
using RapidLlm.Cli;

namespace RapidLlm.Tests.Vision;

/// <summary>
/// ViT files the reference rejects (decode, disabled patch embedding, MoE, expert parallelism, vision on a language
/// model, bad patching, short sequence, missing or negative classifier size, unknown vision keys) and the two mode/type
/// mismatches RapidLlm rejects on purpose: RunPerf exits 2 with a sentence naming the YAML path and value, writes no
/// JSON and prints no stack trace (data/vit/errors, with the reference's own error for each).
/// </summary>
public sealed class VitRejectionTests
{
    private static string Root => Path.Combine(TestContext.CurrentContext.TestDirectory, "data", "vit", "errors");

    public static IEnumerable<TestCaseData> Cases()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "data", "vit", "errors", "expected.json")));
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            var value = c.GetProperty("value");
            yield return new TestCaseData(c.GetProperty("id").GetString()!, c.GetProperty("yaml_path").GetString()!,
                value.ValueKind == JsonValueKind.Null ? null : value.GetString()).SetName(c.GetProperty("id").GetString()!);
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void RunPerfRejectsWithThePathAndValue(string id, string yamlPath, string? value)
    {
        var work = Directory.CreateTempSubdirectory("vit-reject-").FullName;
        try
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var json = Path.Combine(work, "result.json");
            var code = RunPerfCli.Run(["--hardware_config", Path.Combine(Root, id, "hw.yaml"), "--model_config", Path.Combine(Root, id, "model.yaml"),
                "--output_dir", work, "--json", json], stdout, stderr);
            var message = stderr.ToString();
            Assert.Multiple(() =>
            {
                Assert.That(code, Is.EqualTo(RunPerfCommand.InvalidInput), message);
                Assert.That(message, Does.Contain($"error at {yamlPath}"));
                if (value is not null) Assert.That(message, Does.Contain($"{yamlPath} (value '{value}')"));
                Assert.That(message, Does.Not.Contain("   at "), "no stack trace");
                Assert.That(File.Exists(json), Is.False, "a failed run writes no JSON");
            });
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
