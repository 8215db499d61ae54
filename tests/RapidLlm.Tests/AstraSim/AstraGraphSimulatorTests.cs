using RapidLlm.AstraSim.Execution;
using RapidLlm.AstraSim.Running;
using RapidLlm.AstraSim.Traces;
using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Graphs;
using RapidLlm.Network;

namespace RapidLlm.Tests.AstraSim;

public sealed class AstraGraphSimulatorTests
{
    private const string Hier = "full_astrasim_hierarchical";
    private const string TrainHead = "head_317a2cb_t_tp2_pp2_dp2";

    private static HardwareConfig Hardware => HardwareConfig.FromYaml(Path.Combine(AstraArtifacts.Artifacts, Hier, TrainHead, "hw.yaml"));

    private static ExecutionGraph ForwardLayer() => TransformerGraphBuilder.Build(ChakraGraphConverterTests.ReferenceLayer(), PassDirection.Forward);

    private static readonly AstraRankLayout TensorLayout = new(new EquatableArray<AxisSize>([new AxisSize(ParallelismAxis.Tp, 2)]));

    [Test]
    public void PersistedRunWritesTheReferencesInputsAndReadsTheWallTime()
    {
        using var fake = new FakeAstraSim(File.ReadAllText(AstraArtifacts.Call(Hier, TrainHead, 5) + ".stdout.txt"));
        var output = Path.Combine(fake.Folder, "output");
        var simulator = new AstraGraphSimulator(Hardware, new AstraSimOptions(output, fake.BinaryPath, PersistArtifacts: true));

        var result = simulator.Simulate(ForwardLayer(), RunType.Training, 1, TensorLayout, "astra_hier/fwd");

        Assert.That(result.MaxSeconds, Is.EqualTo(882338e-9).Within(1e-15));
        var folder = Path.Combine(output, "astra_hier", "fwd");
        var reference = AstraArtifacts.Call(Hier, TrainHead, 5) + ".inputs";
        foreach (var name in new[] { "llm_graph.0.et", "llm_graph.1.et", "comm_groups.json", "manifest.json", "network_analytical_2.yml", "system_native_collectives_2.json" })
        {
            Assert.That(File.ReadAllBytes(Path.Combine(folder, name)), Is.EqualTo(File.ReadAllBytes(Path.Combine(reference, name))), name);
        }

        Assert.That(File.Exists(Path.Combine(folder, "llm_graph.0.et.txt")), Is.True);
    }

    [Test]
    public void TemporaryRunLeavesNothingBehind()
    {
        using var fake = new FakeAstraSim(File.ReadAllText(AstraArtifacts.Call(Hier, TrainHead, 5) + ".stdout.txt"));
        var output = Path.Combine(fake.Folder, "output");
        var simulator = new AstraGraphSimulator(Hardware, new AstraSimOptions(output, fake.BinaryPath));
        simulator.Simulate(ForwardLayer(), RunType.Training, 1, TensorLayout, "astra_hier/fwd");
        Assert.That(Directory.EnumerateFileSystemEntries(output), Is.Empty);
    }

    [Test]
    public void MissingBinaryFailsBeforeAnyWork()
    {
        var error = Assert.Throws<AstraSimBinaryNotFoundException>(() =>
            new AstraGraphSimulator(Hardware, new AstraSimOptions(Path.GetTempPath(), "/nonexistent/AstraSim_Analytical_Congestion_Aware")));
        Assert.That(error!.Message, Does.Contain("/nonexistent/AstraSim_Analytical_Congestion_Aware"));
    }

    [Test]
    public void RealBinaryReproducesTheReferencesTransformerForwardTime()
    {
        if (!AstraSimBinaryLocator.TryLocate(null, out var binary, Environment.GetEnvironmentVariable))
        {
            SkipReason.Skip($"No AstraSim binary: set {AstraSimBinaryLocator.EnvironmentVariable} or build {AstraSimBinaryLocator.DefaultRelativePath} to run this test.");
        }

        var output = Path.Combine(Path.GetTempPath(), "astra-real-" + Guid.NewGuid().ToString("N"));
        try
        {
            var result = new AstraGraphSimulator(Hardware, new AstraSimOptions(output, binary))
                .Simulate(ForwardLayer(), RunType.Training, 1, TensorLayout, "astra_hier/fwd");
            Assert.That(result.MaxSeconds, Is.EqualTo(882338e-9).Within(0.005 * 882338e-9));
        }
        finally
        {
            if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        }
    }
}
