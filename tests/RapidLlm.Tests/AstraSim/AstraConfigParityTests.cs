using RapidLlm.AstraSim.Configs;
using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Network;

namespace RapidLlm.Tests.AstraSim;

/// <summary>Network YAML and system JSON equal, character for character, the files the reference passed to AstraSim.</summary>
public sealed class AstraConfigParityTests
{
    private const string Hier = "full_astrasim_hierarchical";
    private const string Flat = "full_astrasim_flattened";
    private const string TrainHead = "head_317a2cb_t_tp2_pp2_dp2";
    private const string InferHead = "head_317a2cb_i_tp2";

    public static IEnumerable<TestCaseData> Calls()
    {
        // (mode, run, call, run type, ranks, axes filter ("" = none), microbenchmark, synthetic pair)
        yield return Case(Hier, TrainHead, 1, RunType.Training, 2, "tp", true, false);
        yield return Case(Hier, TrainHead, 5, RunType.Training, 2, "tp", false, false);
        yield return Case(Hier, TrainHead, 6, RunType.Training, 2, "tp", false, false);
        yield return Case(Hier, TrainHead, 7, RunType.Training, 4, "pp,dp", false, false);
        yield return Case("hybrid", TrainHead, 7, RunType.Training, 2, "", true, false);
        yield return Case(Hier, InferHead, 1, RunType.Inference, 2, "tp", true, false);
        yield return Case(Hier, InferHead, 5, RunType.Inference, 2, "tp", false, false);
        yield return Case(Hier, InferHead, 6, RunType.Inference, 2, "", false, true);
        yield return Case(Flat, InferHead, 5, RunType.Inference, 2, "tp", false, false);
        yield return Case(Flat, "head_317a2cb_t_tp2_pp2_dp2_FAILS_deadlock", 5, RunType.Training, 8, "", false, false);
        yield return Case(Flat, "seed_7ffb3e2_t_tp2_pp2_dp2", 4, RunType.Training, 8, "", false, false);
    }

    [TestCaseSource(nameof(Calls))]
    public void GeneratedConfigsEqualTheReferences(string mode, string run, int call, RunType runType, int ranks, string filter, bool microbenchmark, bool synthetic)
    {
        var hardware = HardwareConfig.FromYaml(Path.Combine(AstraArtifacts.Artifacts, mode, run, "hw.yaml"));
        var axes = filter.Length == 0 ? (EquatableArray<ParallelismAxis>?)null
            : new EquatableArray<ParallelismAxis>(filter.Split(',').Select(a => Enum.Parse<ParallelismAxis>(a, ignoreCase: true)));
        var request = new AstraNetworkRequest(runType, ranks, axes, microbenchmark,
            synthetic ? new EquatableArray<ParallelismAxis>([ParallelismAxis.Pp]) : (EquatableArray<ParallelismAxis>?)null);

        var network = AstraNetworkPlanner.Plan(hardware, request);

        var inputs = AstraArtifacts.Call(mode, run, call) + ".inputs";
        var yaml = Directory.GetFiles(inputs, "network_analytical_*.yml").Single();
        var json = Directory.GetFiles(inputs, "system_native_collectives_*.json").Single();
        Assert.That(Path.GetFileName(yaml), Does.StartWith(Path.GetFileNameWithoutExtension(network.FileName)));
        Assert.That(network.ToYaml(), Is.EqualTo(File.ReadAllText(yaml)));
        Assert.That(AstraSystemConfig.ToJson(network, hardware.ExecutionBackend.Astra), Is.EqualTo(File.ReadAllText(json)));
    }

    [Test]
    public void TwoDimensionalAndSwitchRulesFollowTheReference()
    {
        var entry = new AstraNetworkDimension("Switch", 6, null, 1, 1, null);
        Assert.That(AstraSystemConfig.Algorithm(entry, "all-reduce", "auto"), Is.EqualTo("ring"));
        Assert.That(AstraSystemConfig.Algorithm(entry with { Npus = 8 }, "all-reduce", "auto"), Is.EqualTo("halvingDoubling"));
        Assert.That(AstraSystemConfig.Algorithm(entry with { Topology = "Mesh" }, "all-gather", "auto"), Is.EqualTo("mesh"));
        Assert.That(AstraSystemConfig.Algorithm(entry, "all-gather", "direct"), Is.EqualTo("direct"));
    }

    [Test]
    public void NumbersAreWrittenAsPythonWritesThem()
    {
        Assert.That(PythonNumberText.Float(50), Is.EqualTo("50.0"));
        Assert.That(PythonNumberText.Float(46.566129), Is.EqualTo("46.566129"));
        Assert.That(PythonNumberText.General(0.5), Is.EqualTo("0.5"));
        Assert.That(PythonNumberText.General(1e6), Is.EqualTo("1e+06"));
    }

    private static TestCaseData Case(string mode, string run, int call, RunType runType, int ranks, string filter, bool micro, bool synthetic) =>
        new TestCaseData(mode, run, call, runType, ranks, filter, micro, synthetic).SetArgDisplayNames($"{mode}/{run}/{call:00}");
}
