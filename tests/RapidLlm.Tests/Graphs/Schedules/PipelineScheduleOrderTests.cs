using RapidLlm.Configuration;
using RapidLlm.Graphs;

namespace RapidLlm.Tests.Graphs.Schedules;

/// <summary>
/// The per-stage orders of the three schedules, written out by hand from Megatron-LM's rules (warm-up forwards, then one
/// forward and one backward, then the remaining backwards; interleaved chunks in groups of p micro-batches), and the
/// micro-batches each order keeps in flight.
/// </summary>
public class PipelineScheduleOrderTests
{
    private static string Text(IEnumerable<PipelineWorkItem> order, bool chunks = false) => string.Join(" ", order.Select(i =>
        (i.Direction == PassDirection.Forward ? "F" : "B") + i.MicroBatch + (chunks ? "." + i.Chunk : "")));

    // 1F1B, p = 4, m = 8: stage s warms up with p − s − 1 forwards.
    [TestCase(0, "F0 F1 F2 F3 B0 F4 B1 F5 B2 F6 B3 F7 B4 B5 B6 B7")]
    [TestCase(1, "F0 F1 F2 B0 F3 B1 F4 B2 F5 B3 F6 B4 F7 B5 B6 B7")]
    [TestCase(2, "F0 F1 B0 F2 B1 F3 B2 F4 B3 F5 B4 F6 B5 F7 B6 B7")]
    [TestCase(3, "F0 B0 F1 B1 F2 B2 F3 B3 F4 B4 F5 B5 F6 B6 F7 B7")]
    public void OneFOneBAlternatesAfterTheWarmUp(int stage, string expected)
    {
        Assert.That(Text(PipelineScheduleOrder.ForStage(PipelineSchedule.OneFOneB, 4, stage, 8)), Is.EqualTo(expected));
    }

    [Test]
    public void OneFOneBWithFewerMicroBatchesThanStagesRunsAllForwardsFirst()
    {
        // p = 4, m = 2: stage 0 would warm up with 3 forwards but has only 2.
        Assert.That(Text(PipelineScheduleOrder.ForStage(PipelineSchedule.OneFOneB, 4, 0, 2)), Is.EqualTo("F0 F1 B0 B1"));
    }

    [Test]
    public void GPipeRunsEveryForwardThenTheBackwardsInReverse()
    {
        Assert.That(Text(PipelineScheduleOrder.ForStage(PipelineSchedule.GPipe, 2, 1, 4)), Is.EqualTo("F0 F1 F2 F3 B3 B2 B1 B0"));
    }

    // Interleaved, p = 2, m = 4, v = 2. Forward k visits (micro-batch.chunk) 0.0 1.0 0.1 1.1 2.0 3.0 2.1 3.1; backward k
    // the same micro-batches through the chunks in reverse: 0.1 1.1 0.0 1.0 2.1 3.1 2.0 3.0. Warm-up: 2(p − s − 1) + (v − 1)p,
    // 4 forwards on stage 0 and 2 on stage 1.
    [TestCase(0, "F0.0 F1.0 F0.1 F1.1 F2.0 B0.1 F3.0 B1.1 F2.1 B0.0 F3.1 B1.0 B2.1 B3.1 B2.0 B3.0")]
    [TestCase(1, "F0.0 F1.0 F0.1 B0.1 F1.1 B1.1 F2.0 B0.0 F3.0 B1.0 F2.1 B2.1 F3.1 B3.1 B2.0 B3.0")]
    public void InterleavedFollowsMegatronsChunkOrder(int stage, string expected)
    {
        Assert.That(Text(PipelineScheduleOrder.ForStage(PipelineSchedule.Interleaved(2), 2, stage, 4), chunks: true), Is.EqualTo(expected));
    }

    // Peak (micro-batch, chunk) forwards whose backward is still to come.
    // GPipe: all m. 1F1B: p − s once m ≥ p, else m. Interleaved: warm-up + 1 = 2(p − s − 1) + (v − 1)p + 1 chunk-passes,
    // capped at m·v.
    [TestCase("gpipe", 1, 4, 8, 0, 8)]
    [TestCase("gpipe", 1, 4, 16, 3, 16)]
    [TestCase("1f1b", 1, 4, 8, 0, 4)]
    [TestCase("1f1b", 1, 4, 8, 1, 3)]
    [TestCase("1f1b", 1, 4, 8, 3, 1)]
    [TestCase("1f1b", 1, 4, 32, 0, 4)]
    [TestCase("1f1b", 1, 2, 4, 0, 2)]
    [TestCase("1f1b", 1, 4, 2, 0, 2)]
    [TestCase("interleaved_1f1b", 2, 2, 4, 0, 5)]
    [TestCase("interleaved_1f1b", 2, 2, 4, 1, 3)]
    [TestCase("interleaved_1f1b", 2, 4, 8, 0, 11)]
    [TestCase("interleaved_1f1b", 2, 4, 8, 3, 5)]
    [TestCase("interleaved_1f1b", 2, 4, 32, 0, 11)]
    [TestCase("interleaved_1f1b", 2, 2, 2, 0, 4)]
    public void InFlightMicroBatches(string schedule, int v, int p, int m, int stage, int expected)
    {
        var kind = PipelineSchedule.KindFromYamlName(schedule)!.Value;
        var order = PipelineScheduleOrder.ForStage(new PipelineSchedule(kind, v), p, stage, m);
        Assert.Multiple(() =>
        {
            Assert.That(order, Has.Count.EqualTo(2 * m * v));
            Assert.That(order.Distinct().Count(), Is.EqualTo(2 * m * v), "every pass once");
            Assert.That(PipelineScheduleOrder.PeakInFlight(order), Is.EqualTo(expected));
        });
    }

    [Test]
    public void EveryBackwardFollowsItsForwardOnTheSameStage()
    {
        foreach (var (p, m, v) in new[] { (2, 4, 2), (4, 8, 2), (4, 12, 3), (8, 16, 4), (3, 6, 2) })
        {
            for (var s = 0; s < p; s++)
            {
                var order = PipelineScheduleOrder.ForStage(PipelineSchedule.Interleaved(v), p, s, m).ToList();
                foreach (var item in order.Where(i => i.Direction == PassDirection.Backward))
                {
                    Assert.That(order.IndexOf(item with { Direction = PassDirection.Forward }), Is.LessThan(order.IndexOf(item)), $"p{p} m{m} v{v} stage {s} {item}");
                }
            }
        }
    }

    [Test]
    public void YamlNamesRoundTrip()
    {
        Assert.Multiple(() =>
        {
            Assert.That(PipelineSchedule.GPipe.YamlName, Is.EqualTo("gpipe"));
            Assert.That(PipelineSchedule.OneFOneB.YamlName, Is.EqualTo("1f1b"));
            Assert.That(PipelineSchedule.Interleaved(3).ToString(), Is.EqualTo("interleaved_1f1b (v=3)"));
            Assert.That(PipelineSchedule.KindFromYamlName("1F1B"), Is.EqualTo(PipelineScheduleKind.OneFOneB));
            Assert.That(PipelineSchedule.KindFromYamlName("pipedream"), Is.Null);
            Assert.That(PipelineSchedule.Interleaved(2), Is.EqualTo(new PipelineSchedule(PipelineScheduleKind.Interleaved1F1B, 2)));
        });
    }
}
