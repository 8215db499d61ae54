using RapidLlm.AstraSim.Chakra;
using RapidLlm.AstraSim.Execution;
using RapidLlm.AstraSim.Traces;
using RapidLlm.Configuration;
using RapidLlm.Simulation;
using RapidLlm.Graphs;
using RapidLlm.Inference;

namespace RapidLlm.Tests.AstraSim;

/// <summary>
/// The traces each mode writes for the reference's persisted cases, compared with the reference's captured inputs:
/// microbenchmarks byte for byte, the hierarchical pipeline graph order-independently (the reference orders ready
/// tasks by Python set iteration), and the flattened tp &gt; 1 graph for send/receive pairing.
/// </summary>
public sealed class AstraTraceEquivalenceTests
{
    private static string Run(string mode, string caseName) => Path.Combine(AstraArtifacts.Artifacts, mode, $"head_317a2cb_{caseName}");

    /// <summary>Runs the case with persisted artifacts against the replaying stand-in; returns the output folder.</summary>
    private static string Persisted(ReplayAstraSim replay, string mode, string caseName, string? hardwareMode = null)
    {
        var folder = Run(mode, caseName);
        var output = Path.Combine(replay.Folder, "output");
        var hardware = HardwareConfig.LoadYaml(Path.Combine(folder, "hw.yaml"));
        if (hardwareMode is not null)
        {
            var value = hardware.Value;
            hardware = hardware with
            {
                Value = value with
                {
                    ExecutionBackend = value.ExecutionBackend with { Astra = value.ExecutionBackend.Astra! with { Mode = AstraSimMode.FullFlattened } },
                },
            };
        }

        var run = ConfigValidator.Validate(hardware, ModelConfig.LoadYaml(Path.Combine(folder, "model.yaml")));
        var device = new DeviceModels(run.Hardware);
        var backend = ExecutionBackendFactory.Create(run.Hardware, device.Collectives, new AstraSimOptions(output, replay.BinaryPath, PersistArtifacts: true));
        try
        {
            if (run.Model.RunType == RunType.Training)
            {
                new TrainingEstimator(device, backend, SingleStageMicroBatchPolicy.ReproduceReference).Estimate(run.Model.Transformer!, includeMemory: false);
            }
            else
            {
                new LlmInferenceEstimator(device, backend, EnergyAccounting.ReferenceSingleLayer, SingleStageMicroBatchPolicy.ReproduceReference)
                    .Estimate(run.Model.Transformer!, includeMemory: false);
            }
        }
        catch (RapidLlm.AstraSim.Running.AstraSimRunException) when (hardwareMode is not null)
        {
            // The stand-in has no output for our flattened traces; the traces are what is checked.
        }

        return output;
    }

    [Test]
    public void HierarchicalPipelineTracesEqualTheReferencesOrderIndependently()
    {
        var folder = Run("full_astrasim_hierarchical", "t_tp2_pp2_dp2");
        using var replay = new ReplayAstraSim(folder);
        var output = Persisted(replay, "full_astrasim_hierarchical", "t_tp2_pp2_dp2");
        var reference = AstraArtifacts.Call("full_astrasim_hierarchical", "head_317a2cb_t_tp2_pp2_dp2", 7) + ".inputs";
        for (var rank = 0; rank < 4; rank++)
        {
            var ours = ChakraTraceFile.Read(Path.Combine(output, "astra_hier", $"llm_graph.{rank}.et"));
            var theirs = ChakraTraceFile.Read(Path.Combine(reference, $"llm_graph.{rank}.et"));
            Assert.That(Canonical(ours), Is.EqualTo(Canonical(theirs)), $"rank {rank}");
        }

        foreach (var name in new[] { "comm_groups.json", "manifest.json", "network_analytical_4.yml", "system_native_collectives_4.json" })
        {
            Assert.That(File.ReadAllText(Path.Combine(output, "astra_hier", name)), Is.EqualTo(File.ReadAllText(Path.Combine(reference, name))), name);
        }
    }

    [TestCase("hybrid", "t_tp2_pp2_dp2")]
    [TestCase("hybrid", "i_tp2")]
    [TestCase("full_astrasim_hierarchical", "i_tp2")]
    public void MicrobenchmarkTracesEqualTheReferencesByteForByte(string mode, string caseName)
    {
        var folder = Run(mode, caseName);
        using var replay = new ReplayAstraSim(folder);
        var output = Persisted(replay, mode, caseName);
        var compared = 0;
        foreach (var inputs in Directory.EnumerateDirectories(Path.Combine(folder, "astra_calls"), "*.inputs"))
        {
            var argv = File.ReadAllText(inputs[..^".inputs".Length] + ".argv.txt");
            var start = argv.IndexOf("./astra_cache/", StringComparison.Ordinal);
            if (start < 0) continue;
            var prefix = argv[(start + "./".Length)..].Split(' ', '\n')[0];
            foreach (var trace in Directory.EnumerateFiles(inputs, "*.et"))
            {
                var ours = Path.Combine(output, Path.GetDirectoryName(prefix)!, Path.GetFileName(trace));
                Assert.That(File.ReadAllBytes(ours), Is.EqualTo(File.ReadAllBytes(trace)), ours);
                compared++;
            }
        }

        Assert.That(compared, Is.GreaterThan(0));
    }

    [Test]
    public void FlattenedTrainingWithTensorParallelPairsEverySendAndReceive()
    {
        // HEAD's flattened t_tp2_pp2_dp2 deadlocks on unpaired control transfers; ours must pair them.
        using var replay = new ReplayAstraSim(Run("full_astrasim_hierarchical", "t_tp2_pp2_dp2"));
        var output = Persisted(replay, "full_astrasim_hierarchical", "t_tp2_pp2_dp2", hardwareMode: "flattened");
        var traces = Enumerable.Range(0, 8).Select(r => ChakraTraceFile.Read(Path.Combine(output, "astra_flat", $"llm_graph.{r}.et"))).ToList();
        Assert.That(File.Exists(Path.Combine(output, "astra_flat", "llm_graph.8.et")), Is.False);
        Assert.That(ChakraPairing.Unpaired(traces), Is.Empty);
        Assert.That(traces.SelectMany(t => t.Nodes).Count(n => n.Type == NodeType.CommSendNode), Is.GreaterThan(0));
        Assert.That(File.ReadAllText(Path.Combine(output, "astra_flat", "network_analytical_2_4.yml")), Does.Contain("npus_count: [ 2, 4 ]"));
    }

    [Test]
    public void FlattenedDataParallelTracesEqualHeadsCapturedTracesApartFromTags()
    {
        // HEAD wrote these traces before AstraSim deadlocked on them; only the tags (which HEAD mis-pairs) may differ.
        var ours = FlattenedDataParallelTraces(out var files);
        var reference = AstraArtifacts.Call("full_astrasim_flattened", "head_317a2cb_t_tp2_pp2_dp2_FAILS_deadlock", 5) + ".inputs";
        for (var rank = 0; rank < ours.Count; rank++)
        {
            var theirs = ChakraTraceFile.Read(Path.Combine(reference, $"llm_graph.{rank}.et"));
            Assert.That(Canonical(ours[rank]), Is.EqualTo(Canonical(theirs)), $"rank {rank}");
        }

        foreach (var name in new[] { "comm_groups.json", "manifest.json", "network_analytical_2_4.yml", "system_native_collectives_2_4.json" })
        {
            Assert.That(files[name], Is.EqualTo(File.ReadAllText(Path.Combine(reference, name))), name);
        }
    }

    [Test]
    public void FlattenedDataParallelTracesHaveTheSeedsStructure()
    {
        // The seed ran its own layer model (other durations and sizes), so only the graph is compared: the same nodes,
        // collectives in the same groups, the same cross-stage send/receive pairs per dp replica, and the same
        // dependencies apart from HEAD's one addition, a same-stage consumer waiting for the pipeline send of its
        // producer (executor.py ensure_local_pipeline_sends), which costs 10 us of the 47 ms here.
        var ours = FlattenedDataParallelTraces(out var files);
        var reference = AstraArtifacts.Call("full_astrasim_flattened", "seed_7ffb3e2_t_tp2_pp2_dp2", 4) + ".inputs";
        var localSendDependencies = new int[ours.Count];
        for (var rank = 0; rank < ours.Count; rank++)
        {
            var seed = ChakraTraceFile.Read(Path.Combine(reference, $"llm_graph.{rank}.et"));
            Assert.That(Structure(ours[rank], out localSendDependencies[rank]), Is.EqualTo(Structure(seed, out var seedLocal)), $"rank {rank}");
            Assert.That(seedLocal, Is.Zero);
        }

        Assert.That(localSendDependencies, Is.EqualTo(new[] { 2, 0, 2, 0, 2, 0, 2, 0 }));
        Assert.That(files["comm_groups.json"], Is.EqualTo(File.ReadAllText(Path.Combine(reference, "comm_groups.json"))));

        // Both versions attach the gradient all-reduces to tensor rank 0 of each stage only (the flattener's
        // "only attach to the first tail for DP collectives"): ranks 0/4 in group 1 and 2/6 in group 3, three each.
        var dataParallel = ours.Select(t => t.Nodes.Count(n => n.Type == NodeType.CommCollNode && ChakraNodes.StringAttribute(n, "pg_name") is "1" or "2" or "3" or "4")).ToArray();
        Assert.That(dataParallel, Is.EqualTo(new[] { 3, 0, 3, 0, 3, 0, 3, 0 }));
    }

    [Test]
    [Category("AstraSimBinary")]
    public void SeedValuesInOurFlattenedDataParallelGraphGiveTheSeedsTime()
    {
        // Flattened/hierarchical ratios differ from the seed's for dp = 2 because the layer models (and the HEAD case's
        // fp32 gradient communication) differ, not the graph: with the seed's durations and sizes put into our
        // graph, AstraSim gives the seed's 46,990,986 cycles plus HEAD's 10 us of same-stage send waits.
        if (!RapidLlm.AstraSim.Running.AstraSimBinaryLocator.TryLocate(null, out var binary, Environment.GetEnvironmentVariable))
        {
            SkipReason.Skip($"No AstraSim binary: set {RapidLlm.AstraSim.Running.AstraSimBinaryLocator.EnvironmentVariable} to run this test.");
        }

        var ours = FlattenedDataParallelTraces(out _);
        var reference = AstraArtifacts.Call("full_astrasim_flattened", "seed_7ffb3e2_t_tp2_pp2_dp2", 4) + ".inputs";
        var work = Directory.CreateTempSubdirectory("astra-seed-values-").FullName;
        try
        {
            for (var rank = 0; rank < ours.Count; rank++)
            {
                var seed = ChakraTraceFile.Read(Path.Combine(reference, $"llm_graph.{rank}.et"));
                var seedByKey = new Dictionary<string, Node>(StringComparer.Ordinal);
                foreach (var node in seed.Nodes) seedByKey[StructureKey(node, seed)] = node;
                foreach (var node in ours[rank].Nodes)
                {
                    var source = seedByKey[StructureKey(node, ours[rank])];
                    node.DurationMicros = source.DurationMicros;
                    foreach (var attribute in node.Attr.Where(a => a.Name == "comm_size"))
                    {
                        attribute.Int64Val = ChakraNodes.IntegerAttribute(source, "comm_size")!.Value;
                    }
                }

                ChakraTraceFile.Write(Path.Combine(work, $"llm_graph.{rank}.et"), ours[rank]);
            }

            var invocation = new RapidLlm.AstraSim.Running.AstraSimInvocation(
                "seed values in our flattened graph", Path.Combine(work, "llm_graph"), ours.Count,
                Path.Combine(reference, "system_native_collectives_2_4.json"), Path.Combine(reference, "network_analytical_2_4.yml"),
                Path.Combine(reference, "no_memory_expansion.json"), Path.Combine(reference, "comm_groups.json"), work);
            var seconds = new RapidLlm.AstraSim.Running.AstraSimRunner(binary!, TimeSpan.FromMinutes(2)).Run(invocation).MaxSeconds;
            TestContext.Out.WriteLine(FormattableString.Invariant($"seed values in our graph: {seconds:R} s, seed 0.046990986 s"));
            Assert.That(seconds, Is.EqualTo(0.046990986 + 10e-6).Within(1e-9));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Our flattened t_tp2_pp2_dp2 traces for HEAD's inputs (the hierarchical case switched to flattened),
    /// with the text of the configuration files written beside them, read before the stand-in's folder is deleted.</summary>
    private static List<ChakraTrace> FlattenedDataParallelTraces(out Dictionary<string, string> files)
    {
        using var replay = new ReplayAstraSim(Run("full_astrasim_hierarchical", "t_tp2_pp2_dp2"));
        var folder = Path.Combine(Persisted(replay, "full_astrasim_hierarchical", "t_tp2_pp2_dp2", hardwareMode: "flattened"), "astra_flat");
        files = Directory.EnumerateFiles(folder).Where(f => !f.EndsWith(".et", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetFileName(f), File.ReadAllText, StringComparer.Ordinal);
        return [.. Enumerable.Range(0, 8).Select(r => ChakraTraceFile.Read(Path.Combine(folder, $"llm_graph.{r}.et")))];
    }

    /// <summary>A node's graph identity: kind, name, group and peers, and its dependencies by name, leaving out
    /// durations, sizes, tags and HEAD's same-stage waits on pipeline sends.</summary>
    private static string StructureKey(Node node, ChakraTrace trace)
    {
        var byId = trace.Nodes.ToDictionary(n => n.Id);
        var attributes = node.Attr.Where(a => a.Name is not ("comm_tag" or "comm_size")).Select(a => $"{a.Name}={a}");
        var dependencies = LocalSendFree(node, byId).Select(d => byId[d].Name).Order(StringComparer.Ordinal);
        return $"{node.Type}|{node.Name}|{string.Join(",", attributes)}|{string.Join(",", dependencies)}";
    }

    /// <summary>Every node's <see cref="StructureKey"/>, sorted; <paramref name="localSendDependencies"/> counts the
    /// same-stage waits on pipeline sends left out.</summary>
    private static IReadOnlyList<string> Structure(ChakraTrace trace, out int localSendDependencies)
    {
        var byId = trace.Nodes.ToDictionary(n => n.Id);
        localSendDependencies = trace.Nodes.Sum(n => n.CtrlDeps.Count - LocalSendFree(n, byId).Count());
        return [.. trace.Nodes.Select(n => StructureKey(n, trace)).Order(StringComparer.Ordinal)];
    }

    private static IEnumerable<ulong> LocalSendFree(Node node, Dictionary<ulong, Node> byId) =>
        node.Type == NodeType.CommSendNode
            ? node.CtrlDeps
            : node.CtrlDeps.Where(d => byId[d].Type != NodeType.CommSendNode);

    /// <summary>Each node as text without its id or tag, its dependencies by name, sorted: equal for any valid node order.</summary>
    internal static IReadOnlyList<string> Canonical(ChakraTrace trace)
    {
        var names = trace.Nodes.ToDictionary(n => n.Id, n => n.Name);
        return [.. trace.Nodes.Select(n =>
            $"{n.Type}|{n.Name}|{n.DurationMicros}|{string.Join(",", n.Attr.Where(a => a.Name != "comm_tag").Select(a => $"{a.Name}={a}"))}|" +
            string.Join(",", n.CtrlDeps.Select(d => names[d]).Order(StringComparer.Ordinal)))
            .Order(StringComparer.Ordinal)];
    }
}
