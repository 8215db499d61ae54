using System.Text;
using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Hardware;
using RapidLlm.Simulation;
using RapidLlm.Tests.Configuration;

namespace RapidLlm.Tests.Robustness;

/// <summary>
/// Hostile and careless input is rejected with a sentence naming the file, the YAML path, the value and the limit:
/// documents too deep, too large or exploding through aliases, malformed text YamlDotNet's scanner chokes on, a second
/// document, values no real system has, ambiguous size units, and hardware built in code with the same mistakes.
/// </summary>
public sealed class HostileInputTests
{
    private static readonly string Model = BadInputTests.Model;
    private static readonly string Hardware = BadInputTests.Hardware;

    private static string Replace(string text, string find, string replacement)
    {
        Assert.That(text, Does.Contain(find), "test setup: pattern not found");
        return text.Replace(find, replacement, StringComparison.Ordinal);
    }

    private static string Nest(int depth) => new string('[', depth) + new string(']', depth);

    private static IEnumerable<TestCaseData> HostileDocuments()
    {
        yield return new TestCaseData(Replace(Model, "hidden_dim: 4096", "hidden_dim: " + Nest(100_000)), "nested more than 64 levels")
            .SetName("Hostile: 100 000 levels of [ ]");
        yield return new TestCaseData(Replace(Model, "hidden_dim: 4096", "hidden_dim: " + string.Concat(Enumerable.Repeat("{a: ", 100_000)) + "1" + new string('}', 100_000)), "nested more than 64 levels")
            .SetName("Hostile: 100 000 levels of { }");
        yield return new TestCaseData(Replace(Model, "hidden_dim: 4096", "hidden_dim: " + new string('[', 100_000)), "nested more than 64 levels")
            .SetName("Hostile: 100 000 unclosed [");
        yield return new TestCaseData(string.Concat(Enumerable.Range(0, 700).Select(i => new string(' ', 2 * i) + "a:\n")), "nested more than 64 levels")
            .SetName("Hostile: 700 levels of block mappings");
        var bomb = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i < 10; i++) bomb.Append($"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 9))}]\n");
        yield return new TestCaseData(bomb + Replace(Model, "hidden_dim: 4096", "hidden_dim: *a9"), "expands to more than 100,000 values")
            .SetName("Hostile: alias bomb of 9 levels of 9");
        yield return new TestCaseData("x: {a: b\u0085c}", "not valid YAML").SetName("Hostile: U+0085 inside a flow mapping (scanner exception)");
        yield return new TestCaseData(Model + "\n---\nmodel_param: [\n", "second YAML document").SetName("Hostile: a second document");
        yield return new TestCaseData(Replace(Model, "hidden_dim: 4096", "hidden_dim: *nowhere"), "alias names no anchor").SetName("Hostile: unknown alias");
        yield return new TestCaseData(Model + "#" + new string('x', 2 << 20) + "\n", "limited to 1024 KiB").SetName("Hostile: a 2 MiB file");
        yield return new TestCaseData("", "holds no settings").SetName("Hostile: an empty file");
    }

    [TestCaseSource(nameof(HostileDocuments))]
    public void Hostile_document_is_rejected_cheaply_naming_the_limit(string yaml, string limit)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<ConfigurationException>(() => ModelConfig.FromYamlText(yaml, "hostile.yaml"));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Does.Contain("hostile.yaml").And.Contain(limit));
            Assert.That(ex.Message.Split('\n').Max(l => l.Length), Is.LessThan(1500), "no line echoes the hostile text");
            Assert.That(allocated, Is.LessThan(100L << 20), "bytes allocated while rejecting it");
        });
    }

    [Test]
    public void A_hostile_file_on_disk_is_rejected_by_path_and_limit()
    {
        var folder = Directory.CreateTempSubdirectory("hostile-").FullName;
        try
        {
            var path = Path.Combine(folder, "deep.yaml");
            File.WriteAllText(path, Replace(Model, "hidden_dim: 4096", "hidden_dim: " + Nest(100_000)));
            var ex = Assert.Throws<ConfigurationException>(() => ModelConfig.FromYaml(path));
            Assert.That(ex!.Errors.Single().ToString(), Does.Match("^" + System.Text.RegularExpressions.Regex.Escape(path) + @":\d+:\d+: error").And.Contain("64 levels"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void A_folder_given_as_a_config_file_says_it_is_a_folder()
    {
        var ex = Assert.Throws<ConfigurationException>(() => HardwareConfig.FromYaml(TestData.Configs));
        Assert.That(ex!.Message, Does.Contain(TestData.Configs).And.Contain("is a folder, not a file"));
    }

    [Test]
    public void A_named_pipe_without_a_writer_is_reported_instead_of_blocking()
    {
        if (OperatingSystem.IsWindows()) SkipReason.Skip("Named pipes in the file system (mkfifo) are a POSIX feature.");
        var folder = Directory.CreateTempSubdirectory("fifo-").FullName;
        try
        {
            var fifo = Path.Combine(folder, "model.yaml");
            using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo])) mkfifo.WaitForExit();
            var ex = Assert.Throws<ConfigurationException>(() => ModelConfig.FromYaml(fifo));
            Assert.That(ex!.Message, Does.Contain(fifo).And.Contain("named pipe"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestCase("  tp: 2\n", "  tp: 65536\n", "parallelism.tp", "between 1 and 1,024", TestName = "Range: tp 65536")]
    [TestCase("  cp: 1\n", "  cp: 65536\n", "parallelism.cp", "between 1 and 1,024", TestName = "Range: cp 65536")]
    [TestCase("  mb: 2\n", "  mb: 2147483647\n", "parallelism.mb", "between 1 and 65,536", TestName = "Range: 2^31 micro-batches")]
    [TestCase("  pp: 2\n", "  pp: 1048576\n", "parallelism.pp", "between 1 and 1,024", TestName = "Range: 2^20 stages")]
    [TestCase("train: {dp: 2,", "train: {dp: 1048576,", "parallelism", "at most 1,048,576", TestName = "Range: more than 2^20 devices")]
    [TestCase("nominal_flop_rate_per_mcu: 512", "nominal_flop_rate_per_mcu: 2147483648", "tech_param.core.nominal_flop_rate_per_mcu", "at most 65,536", TestName = "Range: 2^31 FLOP per cycle")]
    [TestCase("num_mcu_per_bundle: 4", "num_mcu_per_bundle: 2147483647", "tech_param.core.num_mcu_per_bundle", "between 1 and 1,024", TestName = "Range: 2^31 MCUs per bundle")]
    [TestCase("DRAM: {size: 80 GB, bandwidth: 1986 GB", "DRAM: {size: 80 GB, bandwidth: 0", "tech_param.DRAM.bandwidth", "between 1e6 and 1e18", TestName = "Range: DRAM bandwidth 0")]
    [TestCase("DRAM: {size: 80 GB, bandwidth: 1986 GB", "DRAM: {size: 80 GB, bandwidth: 1e-320", "tech_param.DRAM.bandwidth", "between 1e6 and 1e18", TestName = "Range: denormal DRAM bandwidth")]
    [TestCase("DRAM: {size: 80 GB", "DRAM: {size: 1e400", "tech_param.DRAM.size", "finite", TestName = "Range: DRAM size 1e400")]
    [TestCase("DRAM: {size: 80 GB", "DRAM: {size: .nan", "tech_param.DRAM.size", "finite", TestName = "Range: DRAM size NaN")]
    [TestCase("dp_zero_stage: 1", "dp_zero_stage: 1\n  const_mem_offset: .inf", "sw_param.const_mem_offset", "finite", TestName = "Range: const_mem_offset infinite")]
    [TestCase("operating_frequency: 1.41e9", "operating_frequency: 1e300", "tech_param.core.operating_frequency", "between 1e6 and 1e11", TestName = "Range: 1e300 Hz")]
    [TestCase("bandwidth: 400 Gb", "bandwidth: 99999999999999999999999 GB", "network.dimensions[1].topology.bandwidth", "1e18", TestName = "Range: 23-digit size")]
    public void Value_no_real_system_has_is_rejected_with_the_allowed_range(string find, string replacement, string path, string range)
    {
        var ex = Assert.Throws<ConfigurationException>(() => HardwareConfig.FromYamlText(Replace(Hardware, find, replacement), "hw.yaml"));
        var problem = ex!.Errors.FirstOrDefault(p => p.YamlPath == path);
        Assert.That(problem, Is.Not.Null, ex.Message);
        Assert.That(problem!.ToString(), Does.StartWith("hw.yaml:").And.Contain(range));
    }

    [TestCase("num_layers: 32", "num_layers: 16777216", "model_param.num_layers", "between 1 and 4,096", TestName = "Range: 2^24 layers")]
    [TestCase("hidden_dim: 4096", "hidden_dim: 1073741824", "model_param.hidden_dim", "between 1 and 1,048,576", TestName = "Range: 2^30 hidden")]
    [TestCase("seq_len: 2048", "seq_len: 2147483647", "model_param.seq_len", "between 1 and 16,777,216", TestName = "Range: 2^31 tokens of context")]
    [TestCase("global_batch_size: 32", "global_batch_size: 16777216", "model_param.global_batch_size", "2^34", TestName = "Range: more than 2^34 tokens per batch")]
    public void Model_size_no_real_model_has_is_rejected_with_the_allowed_range(string find, string replacement, string path, string range)
    {
        var ex = Assert.Throws<ConfigurationException>(() => ModelConfig.FromYamlText(Replace(Model, find, replacement), "model.yaml"));
        var problem = ex!.Errors.FirstOrDefault(p => p.YamlPath == path);
        Assert.That(problem, Is.Not.Null, ex.Message);
        Assert.That(problem!.ToString(), Does.StartWith("model.yaml:").And.Contain(range));
    }

    [TestCase("50 GBs", "not a size this tool reads unambiguously", TestName = "Unit: 50 GBs is refused")]
    [TestCase("50 Gbps", "not a size this tool reads unambiguously", TestName = "Unit: 50 Gbps is refused")]
    [TestCase("50GB/s", "put a space between the number and the unit ('50 GB/s')", TestName = "Unit: 50GB/s asks for a space")]
    [TestCase("GB 50", "not a size this tool reads unambiguously", TestName = "Unit: unit before the number is refused")]
    [TestCase("1.5 GB", "write sizes and rates as '<integer> <unit>'", TestName = "Unit: a fraction with a unit is refused")]
    public void Ambiguous_size_unit_is_refused_with_the_accepted_forms(string bandwidth, string message)
    {
        var ex = Assert.Throws<ConfigurationException>(() => HardwareConfig.FromYamlText(Replace(Hardware, "bandwidth: 400 Gb", "bandwidth: " + bandwidth), "hw.yaml"));
        var problem = ex!.Errors.Single(p => p.YamlPath == "network.dimensions[1].topology.bandwidth");
        Assert.That(problem.Message, Does.Contain(message));
    }

    [TestCase("50 GB/s", 50.0 * (1L << 30), TestName = "Unit: 50 GB/s is 50 GiB per second")]
    [TestCase("400 Gb/s", 400.0 * (1L << 30) / 8, TestName = "Unit: 400 Gb/s is 400 Gibit per second")]
    [TestCase("50 GB", 50.0 * (1L << 30), TestName = "Unit: 50 GB is 50 GiB")]
    public void Documented_size_forms_are_read(string bandwidth, double bytesPerSecond)
    {
        var hardware = HardwareConfig.FromYamlText(Replace(Hardware, "bandwidth: 400 Gb", "bandwidth: " + bandwidth));
        Assert.That(hardware.Network.Dimensions[1].Topology.BandwidthBytesPerSecond, Is.EqualTo(bytesPerSecond));
    }

    [Test]
    public void A_misspelt_required_key_is_one_error_without_knock_on_errors()
    {
        var ex = Assert.Throws<ConfigurationException>(() => ModelConfig.FromYamlText(Replace(Model, "hidden_dim: 4096", "hiden_dim: 4096"), "model.yaml"));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Errors.Count(), Is.EqualTo(1), ex.Message);
            Assert.That(ex.Errors.Single().YamlPath, Is.EqualTo("model_param.hiden_dim"));
            Assert.That(ex.Message, Does.Contain("did you mean 'hidden_dim'").And.Not.Contain("divisible"));
        });
    }

    [Test]
    public void A_ten_kilobyte_value_is_quoted_short()
    {
        var huge = new string('x', 10_000);
        var ex = Assert.Throws<ConfigurationException>(() => HardwareConfig.FromYamlText(Replace(Hardware, "dataflow: best", "dataflow: " + huge), "hw.yaml"));
        var line = ex!.Errors.Single(p => p.YamlPath == "tech_param.core.dataflow").ToString();
        Assert.That(line, Does.Contain("(10000 characters)"));
        Assert.That(line.Length, Is.LessThan(600));
    }

    [Test]
    public void Hardware_built_in_code_is_held_to_the_rules_of_a_file()
    {
        var preset = HardwarePresets.A100Sxm80GB;
        var negative = preset with { Technology = preset.Technology with { Dram = preset.Technology.Dram with { BandwidthBytesPerSecond = -1 } } };
        var twoLevels = preset with { MemoryHierarchy = new EquatableArray<MemoryLevelConfig>(preset.MemoryHierarchy.Take(2)) };
        var model = ModelPresets.Llama2_7B.Training(globalBatch: 64, sequenceLength: 2048);
        var first = Assert.Throws<ConfigurationException>(() => LlmSimulation.Create().Hardware(negative).Model(model).Build());
        var second = Assert.Throws<ConfigurationException>(() => LlmSimulation.Create().Hardware(twoLevels).Model(model).Build());
        Assert.Multiple(() =>
        {
            Assert.That(first!.Errors.Single().YamlPath, Is.EqualTo("tech_param.DRAM.bandwidth"));
            Assert.That(first.Errors.Single().Value, Is.EqualTo("-1"));
            Assert.That(first.Message, Does.Contain("between 1e6 and 1e18 bytes per second"));
            Assert.That(second!.Errors.Single().YamlPath, Is.EqualTo("memory_hierarchy"));
            Assert.That(second.Message, Does.Contain("exactly four levels"));
        });
    }

    [Test]
    public void A_model_built_in_code_is_held_to_the_rules_of_a_file()
    {
        var model = ModelPresets.Llama2_7B.Training(globalBatch: 64, sequenceLength: 2048);
        var broken = model with { Transformer = model.Transformer! with { NumLayers = 1 << 24, HiddenDim = 0 } };
        var ex = Assert.Throws<ConfigurationException>(() => LlmSimulation.Create().Hardware(HardwarePresets.A100Sxm80GB).Model(broken).Build());
        Assert.That(ex!.Errors.Select(e => e.YamlPath), Is.EquivalentTo(new[] { "model_param.num_layers", "model_param.hidden_dim" }));
    }
}
