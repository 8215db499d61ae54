using RapidLlm.Operations;

namespace RapidLlm.Tests.Operations;

/// <summary>
/// Every operator row of the golden <c>ops.csv</c> (26 training and 8 prefill cases) against
/// <see cref="LayerCostEstimator"/>, with the GEMM, roofline and collective results replayed from the reference.
/// </summary>
[TestFixture]
public sealed class LayerCostParityTests
{
    private const string Kind = "op_timings";

    private static IEnumerable<string> Cases() => GoldenCase.Names(Kind);

    private static IReadOnlyList<OpsCsvRow> Rows() => OpsCsvRow.Load(Path.Combine(GoldenCase.DataDirectory(Kind), "ops.csv"));

    private static (LayerOperationCosts Costs, GoldenCase Golden) Run(string name)
    {
        var golden = GoldenCase.Load(Kind, name);
        return (LayerCostEstimator.Estimate(golden.LayerWorkload(), golden.Models()), golden);
    }

    /// <summary>Compares one row; returns the names of the fields that differ.</summary>
    private static List<string> Mismatches(OpsCsvRow row, DirectionCost? actual)
    {
        var bad = new List<string>();
        if (actual is null) { bad.Add("missing"); return bad; }
        if (!Parity.Close(row.ComputeTime, actual.ComputeTimeSeconds)) bad.Add("compute_time");
        if (!Parity.Close(row.CommTime, actual.CommTimeSeconds)) bad.Add("comm_time");
        if (!Parity.Close(row.CommBytes, actual.CommBytes)) bad.Add("comm_bytes");
        if (!Parity.Close(row.Flops, actual.Flops)) bad.Add("flops");
        for (var level = 0; level < 4; level++)
        {
            var expected = row.Memory[level];
            var reported = actual.MemoryAccesses.IsReported;
            if (expected is null ? reported : !reported || !Parity.Close(expected.Value, actual.MemoryAccesses.At(level)))
                bad.Add($"mem_L{level}");
        }
        return bad;
    }

    private static DirectionCost? Direction(OperationCost? op, string direction) =>
        direction == "forward" ? op?.Forward : op?.Backward;

    [TestCaseSource(nameof(Cases))]
    public void EveryOperatorMatchesTheReference(string name)
    {
        var (costs, _) = Run(name);
        var rows = Rows().Where(r => r.Case == name).ToList();
        Assert.That(rows, Is.Not.Empty);
        var failures = rows
            .Select(r => (r, bad: Mismatches(r, Direction(costs.Find(r.Op), r.Direction))))
            .Where(x => x.bad.Count > 0)
            .Select(x => $"{x.r.Op}/{x.r.Direction}: {string.Join(",", x.bad)}")
            .ToList();
        Assert.That(failures, Is.Empty);
    }

    [TestCaseSource(nameof(Cases))]
    public void NodeBreakdownAndOptimizerMatchTheReference(string name)
    {
        var (costs, golden) = Run(name);
        var nb = golden.Result.GetProperty("compute_all_gemm_and_node_times")[0].GetProperty("node_breakdown");
        var n = costs.Nodes;
        var optimizer = OptimizerCost.Seconds(golden.LayerWorkload(), golden.Models());
        var expectedOptimizer = golden.Result.GetProperty("pipeline_graph_tables").GetProperty("comp_times").GetProperty("optimizer").GetDouble();
        Assert.Multiple(() =>
        {
            Assert.That(Parity.Close(nb.GetProperty("transformer_time_f").GetDouble(), n.TransformerForwardSeconds), "transformer_time_f");
            Assert.That(Parity.Close(nb.GetProperty("transformer_time_b").GetDouble(), n.TransformerBackwardSeconds), "transformer_time_b");
            Assert.That(Parity.Close(nb.GetProperty("embedding_f").GetDouble(), n.EmbeddingForwardSeconds), "embedding_f");
            Assert.That(Parity.Close(nb.GetProperty("embedding_b").GetDouble(), n.EmbeddingBackwardSeconds), "embedding_b");
            Assert.That(Parity.Close(nb.GetProperty("linear_softmax_f").GetDouble(), n.LinearSoftmaxForwardSeconds), "linear_softmax_f");
            Assert.That(Parity.Close(nb.GetProperty("linear_softmax_b").GetDouble(), n.LinearSoftmaxBackwardSeconds), "linear_softmax_b");
            Assert.That(Parity.Close(expectedOptimizer, optimizer), $"optimizer {expectedOptimizer} vs {optimizer}");
        });
    }

    /// <summary>Counts matches per field over all rows and prints them (the parity report).</summary>
    [Test]
    public void ParitySummary()
    {
        var fields = new[] { "compute_time", "comm_time", "comm_bytes", "flops", "mem_L0", "mem_L1", "mem_L2", "mem_L3" };
        var misses = fields.ToDictionary(f => f, _ => 0);
        var rows = Rows();
        foreach (var group in rows.GroupBy(r => r.Case))
        {
            var (costs, _) = Run(group.Key);
            foreach (var row in group)
                foreach (var bad in Mismatches(row, Direction(costs.Find(row.Op), row.Direction)))
                    if (misses.ContainsKey(bad)) misses[bad]++;
        }
        foreach (var f in fields) TestContext.Out.WriteLine($"{f}: {rows.Count - misses[f]}/{rows.Count}");
        Assert.That(misses.Values.Sum(), Is.Zero);
    }
}
