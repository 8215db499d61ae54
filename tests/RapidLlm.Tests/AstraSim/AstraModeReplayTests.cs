using System.Globalization;
using RapidLlm.AstraSim.Execution;
using RapidLlm.Configuration;
using RapidLlm.Simulation;
using RapidLlm.Graphs;
using RapidLlm.Inference;

namespace RapidLlm.Tests.AstraSim;

/// <summary>
/// Each AstraSim mode end to end on the reference's persisted runs, with AstraSim replaced by a stand-in that answers
/// only byte-identical traces with the reference's captured output: the estimate must equal astra_results.csv.
/// </summary>
public sealed class AstraModeReplayTests
{
    private const double Tolerance = 0.005;

    private static IEnumerable<TestCaseData> Cases()
    {
        foreach (var mode in new[] { "hybrid", "full_astrasim_hierarchical" })
        {
            foreach (var run in new[] { "t_tp2_pp2_dp2", "i_tp2" })
            {
                yield return new TestCaseData(mode, run).SetName($"{mode}_{run}");
            }
        }

        yield return new TestCaseData("full_astrasim_flattened", "i_tp2").SetName("full_astrasim_flattened_i_tp2");
    }

    [TestCaseSource(nameof(Cases))]
    public void ReplayedRunReproducesTheReferenceResult(string mode, string caseName)
    {
        var folder = Path.Combine(AstraArtifacts.Artifacts, mode, $"head_317a2cb_{caseName}");
        using var replay = new ReplayAstraSim(folder);
        var output = Path.Combine(replay.Folder, "output");
        var run = ConfigValidator.Validate(HardwareConfig.LoadYaml(Path.Combine(folder, "hw.yaml")), ModelConfig.LoadYaml(Path.Combine(folder, "model.yaml")));
        var device = new DeviceModels(run.Hardware);
        var backend = ExecutionBackendFactory.Create(run.Hardware, device.Collectives, new AstraSimOptions(output, replay.BinaryPath, PersistArtifacts: Environment.GetEnvironmentVariable("ASTRA_TEST_KEEP") is not null));
        Assert.That(backend.Name, Is.EqualTo(mode));
        var row = Row("head", caseName, mode);
        double total;
        try
        {
            total = run.Model.RunType == RunType.Training
                ? new TrainingEstimator(device, backend, SingleStageMicroBatchPolicy.ReproduceReference).Estimate(run.Model.Transformer!, includeMemory: false).TimePerBatchSeconds
                : new LlmInferenceEstimator(device, backend, EnergyAccounting.ReferenceSingleLayer, SingleStageMicroBatchPolicy.ReproduceReference).Estimate(run.Model.Transformer!, includeMemory: false).TotalSeconds;
        }
        finally
        {
            TestContext.Out.WriteLine(string.Join("\n", replay.Calls));
        }

        var expected = double.Parse(row["total_time_s"], CultureInfo.InvariantCulture);
        Assert.That(total, Is.EqualTo(expected).Within(Tolerance * expected));
        Assert.That(replay.Calls, Has.All.StartsWith("hit"));
    }

    internal static Dictionary<string, string> Row(string version, string caseName, string mode)
    {
        var lines = File.ReadAllLines(Path.Combine(AstraArtifacts.Root, "astra_results.csv"));
        var header = lines[0].Split(',');
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(',');
            var row = header.Zip(cells).ToDictionary(p => p.First, p => p.Second);
            if (row["version"] == version && row["case"] == caseName && row["mode"] == mode) return row;
        }

        throw new InvalidOperationException($"No astra_results.csv row for {version} {caseName} {mode}.");
    }
}
