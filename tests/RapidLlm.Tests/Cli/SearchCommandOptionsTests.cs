using RapidLlm.Cli;
using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Search;

namespace RapidLlm.Tests.Cli;

/// <summary>The command line of <c>RunPerf search</c> and <c>merge</c>: every option, both spellings, every problem at once.</summary>
public class SearchCommandOptionsTests
{
    [Test]
    public void EverySearchOptionIsRead()
    {
        var options = SearchCommandOptions.Parse("search",
        [
            "--hardware_config", "hw.yaml", "--model-config=m.yaml", "--gpus", "64", "--objective", "throughput",
            "--top", "5", "--json", "r.json", "--csv=r.csv", "--png", "r.png", "--shard", "2/4", "--no-progress",
            "--headroom", "0.1", "--max-tp", "4", "--threads=3", "--schedules", "gpipe, interleaved_1f1b:2",
        ], out var problems);
        Assert.Multiple(() =>
        {
            Assert.That(problems, Is.Empty);
            Assert.That(options.HardwarePath, Is.EqualTo("hw.yaml"));
            Assert.That(options.ModelPath, Is.EqualTo("m.yaml"));
            Assert.That(options.Gpus, Is.EqualTo(64));
            Assert.That(options.Objective, Is.EqualTo(SearchObjective.Throughput));
            Assert.That(options.Top, Is.EqualTo(5));
            Assert.That((options.JsonPath, options.CsvPath, options.PngPath), Is.EqualTo(("r.json", "r.csv", "r.png")));
            Assert.That(options.Shard, Is.EqualTo(SearchShardOf("2/4")));
            Assert.That(options.NoProgress, Is.True);
            Assert.That(options.Headroom, Is.EqualTo(0.1));
            Assert.That(options.MaxTensorParallel, Is.EqualTo(4));
            Assert.That(options.Threads, Is.EqualTo(3));
            Assert.That(options.SearchSchedules, Is.False);
            Assert.That(options.Schedules, Is.EqualTo(new EquatableArray<PipelineSchedule>(
                [PipelineSchedule.GPipe, PipelineSchedule.Interleaved(2)])));
        });
    }

    [TestCase("time", SearchObjective.TimePerBatch)]
    [TestCase("ttft", SearchObjective.TimeToFirstToken)]
    public void TheObjectiveIsNamed(string text, SearchObjective expected)
    {
        var options = SearchCommandOptions.Parse("search", ["--hardware_config", "h", "--model_config", "m", "--gpus", "8", "--objective", text], out var problems);
        Assert.That((options.Objective, problems.Count), Is.EqualTo(((SearchObjective?)expected, 0)));
    }

    [Test]
    public void DefaultsAndAllSchedules()
    {
        var options = SearchCommandOptions.Parse("search", ["--hardware_config", "h", "--model_config", "m", "--gpus", "8", "--schedules=all"], out var problems);
        Assert.Multiple(() =>
        {
            Assert.That(problems, Is.Empty);
            Assert.That(options.SearchSchedules, Is.True);
            Assert.That(options.MaxTensorParallel, Is.EqualTo(8));
            Assert.That((options.Objective, options.Top, options.Threads, options.Headroom), Is.EqualTo(((SearchObjective?)null, (int?)null, (int?)null, 0.0)));
        });
    }

    [Test]
    public void EveryProblemIsReportedInOrder()
    {
        SearchCommandOptions.Parse("search",
        [
            "stray", "--gpus", "0", "--objective", "speed", "--top", "--shard", "5/4", "--headroom", "1.5",
            "--schedules", "gpipe,zigzag", "--bogus", "--max_tp", "x",
        ], out var problems);
        Assert.That(problems, Is.EqualTo(new[]
        {
            "Unexpected argument 'stray'.",
            "Option '--gpus' needs a whole number ≥ 1 (got '0').",
            "--objective must be time, throughput or ttft (got 'speed').",
            "Option '--top' needs a value.",
            "--shard: " + ShardProblem("5/4") + ".",
            "--headroom needs a fraction in [0, 1) of each GPU's memory to keep free (got '1.5').",
            "--schedules: 'zigzag' is not gpipe, 1f1b or interleaved_1f1b:V (V ≥ 2 virtual stages), nor 'all'.",
            "Unknown option '--bogus' for RunPerf search.",
            "Option '--max_tp' needs a whole number ≥ 1 (got 'x').",
            "Missing required option --hardware_config (the hardware YAML file).",
            "Missing required option --model_config (the model YAML file).",
        }));
    }

    [Test]
    public void MergeTakesFilesAndRefusesSearchOptions()
    {
        var options = SearchCommandOptions.Parse("merge", ["a.json", "--json", "out.json", "b.json", "--top", "3", "--gpus=8"], out var problems);
        Assert.Multiple(() =>
        {
            Assert.That(options.Inputs, Is.EqualTo(new[] { "a.json", "b.json" }));
            Assert.That((options.JsonPath, options.Top), Is.EqualTo(("out.json", (int?)3)));
            Assert.That(problems, Is.EqualTo(new[] { "Unknown option '--gpus=8' for RunPerf merge." }));
        });
    }

    [Test]
    public void MergeNeedsItsOutputAndInputs()
    {
        SearchCommandOptions.Parse("merge", [], out var problems);
        Assert.That(problems, Is.EqualTo(new[]
        {
            "Missing required option --json (the merged result file).",
            "Name the shard files to merge (the JSON files of RunPerf search --shard I/N).",
        }));
    }

    private static SearchShard SearchShardOf(string text) =>
        SearchShard.TryParse(text, out var shard, out _) ? shard : throw new ArgumentException(text);

    private static string ShardProblem(string text) =>
        SearchShard.TryParse(text, out _, out var problem) ? throw new ArgumentException(text) : problem!;
}
