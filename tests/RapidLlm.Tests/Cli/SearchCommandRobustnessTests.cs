using System.Diagnostics;
using System.Text.Json.Nodes;
using RapidLlm.Cli;
using RapidLlm.Search;
using RapidLlm.Tests.Search;
using RapidLlm.Tests.Simulation;

namespace RapidLlm.Tests.Cli;

/// <summary>
/// <c>RunPerf search</c> and <c>merge</c> on hostile paths and values: every problem is a sentence and exit code 2,
/// found before any work, and a failed command writes nothing.
/// </summary>
[NonParallelizable]
public class SearchCommandRobustnessTests
{
    private string _work = "";
    private string _hardware = "";
    private string _model = "";

    [SetUp]
    public void CreateWorkDirectory()
    {
        Directory.CreateDirectory(_work = Path.Combine(Path.GetTempPath(), "rapidllm-search-robust-" + Guid.NewGuid().ToString("N")));
        File.Copy(ConfigFiles.Hardware("a100_80GB.yaml"), _hardware = Path.Combine(_work, "hw.yaml"));
        File.WriteAllText(_model = Path.Combine(_work, "model.yaml"), File.ReadAllText(ConfigFiles.Model("Llama2-7B.yaml"))
            .Replace("  num_layers: 32\n", "  num_layers: 4\n", StringComparison.Ordinal));
    }

    [TearDown]
    public void RemoveWorkDirectory()
    {
        if (Directory.Exists(_work)) Directory.Delete(_work, recursive: true);
    }

    [TestCase("2147483647", "error: gpus must be between 1 and 1,048,576, the most devices one run may model (got 2147483647).")]
    [TestCase("1048577", "error: gpus must be between 1 and 1,048,576, the most devices one run may model (got 1048577).")]
    [TestCase("0", "error: Option '--gpus' needs a whole number ≥ 1 (got '0').")]
    [TestCase("99999999999999999999", "error: Option '--gpus' needs a whole number ≥ 1 (got '99999999999999999999').")]
    public void A_gpu_count_out_of_range_is_refused_while_reading_the_command_line(string gpus, string expected)
    {
        // Files that do not exist: the command line is refused before anything is read.
        var (code, _, stderr) = Run("search", "--hardware_config", "absent.yaml", "--model_config", "absent.yaml", "--gpus", gpus);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr.Split('\n')[0], Is.EqualTo(expected));
    }

    [Test]
    public void Ttft_on_a_training_model_is_named_as_typed_without_a_parameter_tail()
    {
        var (code, _, stderr) = Run("search", "--hardware_config", _hardware, "--model_config", _model, "--gpus", "4", "--objective", "ttft", "--no-progress");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr.Trim(), Is.EqualTo("error: The objective ttft (time to first token) ranks inference runs; this model is a training run (rank by time or throughput)."));
    }

    [Test]
    public void Argument_sentences_lose_the_parameter_tail()
    {
        Assert.That(SearchCommand.Sentence(new ArgumentException("Shards differ.", "shards")), Is.EqualTo("Shards differ."));
        Assert.That(SearchCommand.Sentence(new ArgumentException("Keep (these) words.")), Is.EqualTo("Keep (these) words."));
    }

    [TestCase("--json", "JSON")]
    [TestCase("--csv", "CSV")]
    [TestCase("--png", "PNG")]
    public void An_output_that_is_a_folder_is_refused_before_the_search_and_nothing_is_written(string option, string kind)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_work, "adir")).FullName;
        var good = Path.Combine(_work, "good.json");
        string[] outputs = option == "--json" ? ["--json", folder, "--csv", Path.Combine(_work, "good.csv")] : ["--json", good, option, folder];
        var (code, stdout, stderr) = Run(["search", "--hardware_config", _hardware, "--model_config", _model, "--gpus", "4", "--no-progress", .. outputs]);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr.Trim(), Is.EqualTo($"error: {option} '{folder}' is a folder; give the name of the {kind} file to write."));
        Assert.That(stdout, Is.Empty, "no search ran");
        Assert.That(Directory.EnumerateFileSystemEntries(_work).Select(Path.GetFileName), Is.EquivalentTo(new[] { "hw.yaml", "model.yaml", "adir" }));
    }

    [Test]
    public void Every_bad_output_is_reported_at_once()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_work, "adir")).FullName;
        var (code, _, stderr) = Run("search", "--hardware_config", _hardware, "--model_config", _model, "--gpus", "4", "--json", folder, "--csv", folder, "--png", folder);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr.Trim().Split('\n'), Has.Length.EqualTo(3).And.All.Contain("is a folder"));
    }

    [TestCase("--json")]
    [TestCase("--csv")]
    public void An_output_that_is_a_named_pipe_is_refused_instead_of_hanging(string option)
    {
        var fifo = Fifo("out.fifo");
        var (code, stdout, stderr) = Run("search", "--hardware_config", _hardware, "--model_config", _model, "--gpus", "4", option, fifo);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr.Trim(), Is.EqualTo($"error: {option} '{fifo}' is a named pipe; give the name of the {option[2..].ToUpperInvariant()} file to write."));
        Assert.That(stdout, Is.Empty);
    }

    [Test]
    public void A_device_such_as_dev_null_is_still_a_valid_output()
    {
        if (OperatingSystem.IsWindows()) Assert.Ignore("no /dev/null");
        var (code, _, stderr) = Run("--hardware_config", _hardware, "--model_config", _model, "--output_dir", Path.Combine(_work, "out"), "--json", "/dev/null");
        Assert.That(code, Is.Zero, stderr);
    }

    [Test]
    public void The_estimate_refuses_a_named_pipe_for_json_too()
    {
        var fifo = Fifo("estimate.fifo");
        var (code, _, stderr) = Run("--hardware_config", _hardware, "--model_config", _model, "--output_dir", Path.Combine(_work, "out"), "--json", fifo);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain($"--json '{fifo}' is a named pipe"));
    }

    [Test]
    public void Merge_refuses_folder_missing_and_pipe_inputs_with_a_sentence_each()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_work, "adir")).FullName;
        var missing = Path.Combine(_work, "missing.json");
        var fifo = Fifo("shard.fifo");
        var output = Path.Combine(_work, "merged.json");
        var (code, _, stderr) = Run("merge", "--json", output, folder, missing, fifo);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr.Trim().Split('\n'), Is.EqualTo(new[]
        {
            $"error: {folder}: this is a folder, not a file.",
            $"error: {missing}: no such file (looked at {missing}).",
            $"error: {fifo}: not a regular file (a named pipe or a device); give the file itself.",
        }));
        Assert.That(File.Exists(output), Is.False);
    }

    [Test]
    public void Merge_refuses_an_input_over_256_MiB_without_reading_it()
    {
        var big = Path.Combine(_work, "big.json");
        using (var stream = new FileStream(big, FileMode.CreateNew)) stream.SetLength(256L * 1024 * 1024 + 1);
        var (code, _, stderr) = Run("merge", "--json", Path.Combine(_work, "merged.json"), big);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr.Trim(), Is.EqualTo($"error: {big}: the file has 268,435,457 bytes, more than the 256 MiB a search result may have."));
    }

    [Test]
    public void Merge_names_the_file_and_key_of_a_wrong_value()
    {
        var node = JsonNode.Parse(Shard(new SearchShard(1, 1)).ToJson())!;
        node["candidates"]![0]!["time_per_batch_s"] = "slow";
        var s1 = Path.Combine(_work, "s1.json");
        File.WriteAllText(s1, node.ToJsonString());
        var (code, _, stderr) = Run("merge", "--json", Path.Combine(_work, "merged.json"), s1);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr.Trim(), Is.EqualTo($"error: {s1}: candidates[0].time_per_batch_s: expected a number, got a string."));
    }

    [Test]
    public void Merge_of_a_shard_claiming_billions_of_slices_answers_at_once()
    {
        var s1 = Path.Combine(_work, "s1.json");
        File.WriteAllText(s1, Shard(new SearchShard(1, 2)).ToJson().Replace("\"shard\": \"1/2\"", "\"shard\": \"1/2147483647\"", StringComparison.Ordinal));
        var (code, _, stderr) = Run("merge", "--json", Path.Combine(_work, "merged.json"), s1);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr.Trim(), Is.EqualTo("error: The shards do not make up the whole search: missing "
            + string.Join(", ", Enumerable.Range(2, 10).Select(i => $"{i}/2147483647")) + " and 2147483636 more."));
    }

    [Test]
    public void A_search_whose_outputs_are_fine_writes_all_three()
    {
        string[] files = [Path.Combine(_work, "r", "s.json"), Path.Combine(_work, "r", "s.csv"), Path.Combine(_work, "r", "s.png")];
        var (code, _, stderr) = Run("search", "--hardware_config", _hardware, "--model_config", _model, "--gpus", "2", "--no-progress",
            "--json", files[0], "--csv", files[1], "--png", files[2]);
        Assert.That(code, Is.Zero, stderr);
        Assert.That(files.Select(f => new FileInfo(f).Length), Has.All.GreaterThan(100));
        Assert.That(File.ReadAllBytes(files[2]).Take(4), Is.EqualTo(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }));
        Assert.That(SearchResult.FromJson(File.ReadAllText(files[0])).Gpus, Is.EqualTo(2));
    }

    private static SearchResult Shard(SearchShard shard) =>
        ParallelismSearch.Run(SearchFixtures.SmallTraining(), SearchFixtures.Options() with { Shard = shard });

    private string Fifo(string name)
    {
        if (OperatingSystem.IsWindows()) SkipReason.Skip("Named pipes in the file system (mkfifo) are a POSIX feature.");
        var fifo = Path.Combine(_work, name);
        using (var mkfifo = Process.Start("mkfifo", [fifo])) mkfifo.WaitForExit();
        return fifo;
    }

    private static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        // On a task with a deadline: a command that blocks on a pipe fails the test instead of hanging the run.
        var run = Task.Run(() => CommandLine.Run(args, stdout, stderr));
        Assert.That(run.Wait(TimeSpan.FromSeconds(60)), Is.True, "the command did not finish within 60 s");
        return (run.Result, stdout.ToString(), stderr.ToString().Replace("\r\n", "\n", StringComparison.Ordinal));
    }
}
