using RapidLlm.Operations;

namespace RapidLlm.Tests.Operations;

/// <summary>Every sampled decode step of the golden decode cases against <see cref="DecodeStepEstimator"/>.</summary>
[TestFixture]
public sealed class DecodeStepParityTests
{
    private const string Kind = "decode_steps";

    private static IEnumerable<string> Cases() => GoldenCase.Names(Kind);

    [TestCaseSource(nameof(Cases))]
    public void EveryStepMatchesTheReference(string name)
    {
        var golden = GoldenCase.Load(Kind, name);
        var batch = golden.Inputs.GetProperty("effective_batch").GetInt64();
        var workload = golden.Workload(batch, golden.Inputs.GetProperty("model_seq_len").GetInt64(), RunPhase.Decode);
        var models = golden.Models();
        var failures = new List<string>();
        foreach (var step in golden.Result.GetProperty("steps").EnumerateArray())
        {
            var kv = step.GetProperty("current_seq_len").GetInt64();
            var costs = DecodeStepEstimator.Estimate(workload, models, kv);
            var ops = step.GetProperty("transformer_results");
            Assert.That(costs.Operations.Select(o => o.Name).Order(), Is.EqualTo(ops.EnumerateObject().Select(p => p.Name).Order()));
            foreach (var op in ops.EnumerateObject())
            {
                var e = op.Value.GetProperty("forward");
                var a = costs.Find(op.Name)!.Forward;
                void Check(string field, double expected, double actual)
                {
                    if (!Parity.Close(expected, actual)) failures.Add($"kv={kv} {op.Name}.{field}: {expected} vs {actual}");
                }
                Check("compute_time", e.GetProperty("compute_time").GetDouble(), a.ComputeTimeSeconds);
                Check("comm_time", e.GetProperty("comm_time").GetDouble(), a.CommTimeSeconds);
                Check("comm_bytes", e.GetProperty("comm_bytes").GetDouble(), a.CommBytes);
                Check("flops", e.GetProperty("flops").GetDouble(), a.Flops);
                var memory = e.GetProperty("memory_accesses").EnumerateObject().ToList();
                if (memory.Count != a.MemoryAccesses.PerLevel.Count) failures.Add($"kv={kv} {op.Name}.memory levels");
                else
                    for (var level = 0; level < memory.Count; level++)
                        Check($"L{level}", memory[level].Value.GetDouble(), a.MemoryAccesses.At(level));
            }
            var nb = step.GetProperty("node_breakdown");
            if (!Parity.Close(nb.GetProperty("transformer_time_f").GetDouble(), costs.Nodes.TransformerForwardSeconds)) failures.Add($"kv={kv} transformer_time_f");
            if (!Parity.Close(nb.GetProperty("linear_softmax_f").GetDouble(), costs.Nodes.LinearSoftmaxForwardSeconds)) failures.Add($"kv={kv} linear_softmax_f");
            if (nb.GetProperty("embedding_f").GetDouble() != costs.Nodes.EmbeddingForwardSeconds) failures.Add($"kv={kv} embedding_f");
            var cross = step.GetProperty("calc_energy_call").GetProperty("cross_layer_comm_bytes").GetDouble();
            if (cross != costs.CrossStageBytes) failures.Add($"kv={kv} cross-stage bytes");
        }
        Assert.That(failures, Is.Empty);
    }
}
