using System.Text.Json;
using RapidLlm.Cli;
using RapidLlm.Tests.Simulation;

namespace RapidLlm.Tests.Cli;

/// <summary>The command refuses wrong flags and files before doing any work, naming the flag or file.</summary>
[NonParallelizable]
public sealed class RunPerfInputTests
{
    private string _work = "";

    [SetUp]
    public void CreateWorkFolder() => _work = Directory.CreateTempSubdirectory("rapidllm-input-").FullName;

    [TearDown]
    public void RemoveWorkFolder()
    {
        if (Directory.Exists(_work)) Directory.Delete(_work, recursive: true);
    }

    private static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = RunPerfCli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private string[] Args(params string[] extra) =>
    [
        "--hardware_config", ConfigFiles.Hardware("a100_80GB.yaml"), "--model_config", ConfigFiles.Model("Llama2-7B.yaml"), .. extra,
    ];

    [Test]
    public void Json_naming_a_folder_is_refused_before_the_estimate()
    {
        var (code, stdout, stderr) = Run(Args("--output_dir", Path.Combine(_work, "out"), "--json", _work));
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(RunPerfCommand.InvalidInput));
            Assert.That(stderr, Does.Contain("--json").And.Contain("is a folder"));
            Assert.That(stdout, Does.Not.Contain("Training time"), "no estimate ran");
        });
    }

    [Test]
    public void Json_below_a_file_is_refused_before_the_estimate()
    {
        var file = Path.Combine(_work, "plain.txt");
        File.WriteAllText(file, "x");
        var (code, stdout, stderr) = Run(Args("--output_dir", Path.Combine(_work, "out"), "--json", Path.Combine(file, "result.json")));
        Assert.That(code, Is.EqualTo(RunPerfCommand.InvalidInput));
        Assert.That(stderr, Does.Contain("--json").And.Contain("is a file, not a folder"));
        Assert.That(stdout, Is.Empty);
    }

    [Test]
    public void Json_where_nothing_can_be_written_is_refused_before_the_estimate()
    {
        if (!OperatingSystem.IsLinux()) SkipReason.Skip("Uses /proc, where nobody (not even root) can create files; Linux only.");
        var (code, stdout, stderr) = Run(Args("--output_dir", Path.Combine(_work, "out"), "--json", "/proc/rapidllm-no-such-folder/result.json"));
        Assert.That(code, Is.EqualTo(RunPerfCommand.InvalidInput));
        Assert.That(stderr, Does.Contain("--json '/proc/rapidllm-no-such-folder/result.json' cannot be written"));
        Assert.That(stdout, Is.Empty);
    }

    [Test]
    public void Output_dir_naming_a_file_is_refused_before_the_estimate()
    {
        var file = Path.Combine(_work, "plain.txt");
        File.WriteAllText(file, "x");
        var (code, stdout, stderr) = Run(Args("--output_dir", file));
        Assert.That(code, Is.EqualTo(RunPerfCommand.InvalidInput));
        Assert.That(stderr, Does.Contain("--output_dir").And.Contain("is a file"));
        Assert.That(stdout, Is.Empty);
    }

    [Test]
    public void No_memory_times_without_the_memory_simulation()
    {
        var json = Path.Combine(_work, "result.json");
        var (code, stdout, stderr) = Run(Args("--output_dir", Path.Combine(_work, "out"), "--json", json, "--no-memory"));
        Assert.That(code, Is.Zero, stderr);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Multiple(() =>
        {
            Assert.That(stdout, Does.Contain("Training time for batch:"));
            Assert.That(doc.RootElement.TryGetProperty("memory", out _), Is.False);
            Assert.That(doc.RootElement.GetProperty("training").GetProperty("time_per_batch_s").GetDouble(), Is.GreaterThan(0));
        });
    }

    [TestCase("--memory-only", "--no-memory")]
    [TestCase("--memory-breakdown", "--no-memory")]
    public void Flags_that_exclude_each_other_are_refused(string first, string second)
    {
        var (code, _, stderr) = Run(Args(first, second));
        Assert.That(code, Is.EqualTo(RunPerfCommand.InvalidInput));
        Assert.That(stderr, Does.Contain(first).And.Contain(second));
    }

    [Test]
    public void A_second_yaml_document_is_refused_naming_the_file()
    {
        var model = Path.Combine(_work, "two-documents.yaml");
        File.WriteAllText(model, File.ReadAllText(ConfigFiles.Model("Llama2-7B.yaml")) + "---\nmodel_param: {mode: GEMM}\n");
        var (code, _, stderr) = Run("--hardware_config", ConfigFiles.Hardware("a100_80GB.yaml"), "--model_config", model, "--output_dir", Path.Combine(_work, "out"));
        Assert.That(code, Is.EqualTo(RunPerfCommand.InvalidInput));
        Assert.That(stderr, Does.Contain(model + ":").And.Contain("second YAML document"));
    }

    [Test]
    public void A_folder_given_as_the_model_is_refused_naming_it()
    {
        var (code, _, stderr) = Run("--hardware_config", ConfigFiles.Hardware("a100_80GB.yaml"), "--model_config", _work, "--output_dir", Path.Combine(_work, "out"));
        Assert.That(code, Is.EqualTo(RunPerfCommand.InvalidInput));
        Assert.That(stderr, Does.Contain(_work).And.Contain("is a folder, not a file").And.Not.Contain("denied"));
    }
}
