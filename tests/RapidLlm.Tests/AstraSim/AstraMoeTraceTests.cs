using RapidLlm.AstraSim.Chakra;
using RapidLlm.AstraSim.Execution;
using RapidLlm.AstraSim.Traces;
using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Simulation;
using RapidLlm.Inference;
using RapidLlm.Network;

namespace RapidLlm.Tests.AstraSim;

/// <summary>
/// MoE in <c>full_astrasim_flattened</c> without a binary: the per-rank traces of the small MoE case pair every send
/// with its receive, and each MoE layer's dispatch and combine become ALL_TO_ALL collectives on communicator groups of
/// the routing group (the ep ranks of one tp rank in training, tp × moe_dp ranks of a stage in inference), issued
/// equally often by every member.
/// </summary>
public sealed class AstraMoeTraceTests
{
    [TestCase("training", false)]
    [TestCase("training", true)]
    [TestCase("inference", false)]
    public void FlattenedMoeTracesPairAndExchangeOverTheRoutingGroup(string runType, bool dataParallel2)
    {
        var run = AstraMoeCase.Load(runType, "full_astrasim_flattened", dataParallel2);
        var replicas = dataParallel2 ? 2 : 1;
        var device = new DeviceModels(run.Hardware);
        var backend = new TraceCapturingAstraBackend(run.Hardware, device.Operations.Collectives);
        if (runType == "training")
        {
            new TrainingEstimator(device, backend).Estimate(run.Model.Transformer!, includeMemory: false);
        }
        else
        {
            new LlmInferenceEstimator(device, backend).Estimate(run.Model.Transformer!, includeMemory: false);
        }

        var training = runType == "training";
        var moe = backend.Steps[0].Moe ?? throw new AssertionException("The step carries no MoE layer.");
        Assert.That(moe.RoutingGroup, Is.EqualTo(training ? 2 : 4));
        var layout = AstraLayerGraphs.FlattenedLayout(run.Hardware, training ? RunType.Training : RunType.Inference);
        Assert.That(backend.Workloads, Is.Not.Empty);
        Assert.That(backend.Workloads, Has.Count.EqualTo(backend.Steps.Count));
        foreach (var (workload, step) in backend.Workloads.Zip(backend.Steps))
        {
            // Each step (training step, prefill, sampled decode step) sends its own exchange sizes.
            var expectedBytes = step.Moe!.Ops.Where(o => o.Name is "moe_dispatch" or "moe_combine")
                .SelectMany(o => training ? new[] { o.Forward.CommBytes, o.Backward.CommBytes } : [o.Forward.CommBytes]).Distinct().ToList();
            Assert.That(expectedBytes, Has.All.GreaterThan(0));
            Assert.That(ChakraPairing.Unpaired(workload.Traces), Is.Empty);
            // tp 2 × ep (moe_dp) 2 ranks on each of 2 stages, per replica.
            Assert.That(workload.Traces, Has.Count.EqualTo(8 * replicas));
            var perGroup = new Dictionary<string, Dictionary<int, int>>();
            for (var rank = 0; rank < workload.Traces.Count; rank++)
            {
                foreach (var node in workload.Traces[rank].Nodes.Where(IsAllToAll))
                {
                    var group = ChakraNodes.StringAttribute(node, "pg_name") ?? throw new AssertionException($"{node.Name} has no group");
                    if (!perGroup.TryGetValue(group, out var counts)) perGroup[group] = counts = [];
                    counts[rank] = counts.GetValueOrDefault(rank) + 1;
                    Assert.That(ChakraNodes.IntegerAttribute(node, "comm_size"), Is.AnyOf(expectedBytes.Cast<object>().ToArray()));
                }
            }

            // Both stages hold MoE layers, so every rank exchanges, over one group per tp rank and stage in training
            // and one group per stage in inference.
            Assert.That(perGroup.Values.SelectMany(c => c.Keys).Distinct().Count(), Is.EqualTo(8 * replicas));
            Assert.That(perGroup, Has.Count.EqualTo((training ? 4 : 2) * replicas));
            foreach (var (group, counts) in perGroup)
            {
                var members = workload.CommGroups[group];
                Assert.That(members, Has.Count.EqualTo(moe.RoutingGroup), group);
                Assert.That(counts.Keys.Order(), Is.EqualTo(members.Order()), group);
                Assert.That(counts.Values.Distinct().Count(), Is.EqualTo(1), $"every member of group {group} issues the same exchanges");
                // Trace ranks are replica-major over the 8 hardware ids.
                var coordinates = members.Select(r => layout.Coordinates(r % 8)).ToList();
                Assert.That(members.Select(r => r / 8).Distinct().Count(), Is.EqualTo(1), "an exchange stays in its replica");
                Assert.That(coordinates.Select(c => c[ParallelismAxis.Pp]).Distinct().Count(), Is.EqualTo(1), "an exchange stays on its stage");
                if (training)
                {
                    Assert.That(coordinates.Select(c => c[ParallelismAxis.Tp]).Distinct().Count(), Is.EqualTo(1), "training exchanges run over ep at one tp rank");
                }
            }
        }
    }

    [Test]
    public void FlattenedEpGradientSyncsAreIssuedByEveryExpertParallelRank()
    {
        var run = AstraMoeCase.Load("training", "full_astrasim_flattened", dataParallel2: true);
        var device = new DeviceModels(run.Hardware);
        var backend = new TraceCapturingAstraBackend(run.Hardware, device.Operations.Collectives);
        new TrainingEstimator(device, backend).Estimate(run.Model.Transformer!, includeMemory: false);
        var workload = backend.Workloads.Single();
        var syncs = Enumerable.Range(0, workload.Traces.Count)
            .SelectMany(rank => workload.Traces[rank].Nodes
                .Where(n => n.Type == NodeType.CommCollNode && n.Name.Contains("ep_sync", StringComparison.Ordinal))
                .Select(n => (Rank: rank, Group: ChakraNodes.StringAttribute(n, "pg_name")!)))
            .ToList();
        // Every rank of both replicas syncs its layers' gradients with its ep peer.
        Assert.That(syncs.Select(s => s.Rank).Distinct().Count(), Is.EqualTo(16));
        foreach (var group in syncs.GroupBy(s => s.Group))
        {
            Assert.That(workload.CommGroups[group.Key], Has.Count.EqualTo(2), group.Key);
            Assert.That(group.GroupBy(s => s.Rank).Select(g => g.Count()).Distinct().Count(), Is.EqualTo(1), group.Key);
        }
    }

    private static bool IsAllToAll(Node node) =>
        node.Type == NodeType.CommCollNode && ChakraNodes.IntegerAttribute(node, "comm_type") == (long)CollectiveCommType.AllToAll;
}
