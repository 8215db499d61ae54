using RapidLlm.Simulation;
using RapidLlm.Workbench.Running;
using RapidLlm.Workbench.Setup;

namespace RapidLlm.Workbench.Tests;

public class SweepTests
{
    [TestCase("1, 2, 4, 8", new[] { "1", "2", "4", "8" })]
    [TestCase("1..4", new[] { "1", "2", "3", "4" })]
    [TestCase("1..64*2", new[] { "1", "2", "4", "8", "16", "32", "64" })]
    [TestCase("2, 2, 4", new[] { "2", "4" })]
    public void Integer_values_and_ranges_expand(string text, string[] expected)
    {
        var values = SweepValues.Parse(text, FormFields.Find("tp")!, 400, out var error);
        Assert.Multiple(() =>
        {
            Assert.That(error, Is.Null);
            Assert.That(values, Is.EqualTo(expected));
        });
    }

    [TestCase("", "give at least one value")]
    [TestCase("8..1", "is not a range")]
    [TestCase("1..1000", "more than 400 values")]
    public void Bad_values_say_why(string text, string message)
    {
        SweepValues.Parse(text, FormFields.Find("tp")!, 400, out var error);
        Assert.That(error, Does.Contain(message));
    }

    [Test]
    public void Sizes_are_kept_as_written() =>
        Assert.That(SweepValues.Parse("40 GB, 80 GB", FormFields.Find("hbm")!, 400, out _), Is.EqualTo(new[] { "40 GB", "80 GB" }));

    [Test]
    public async Task A_two_axis_sweep_gives_every_point_in_grid_order_with_the_librarys_numbers()
    {
        var setup = PresetCatalog.DefaultSetup();
        var axes = new[]
        {
            new SweepAxis("tp", "Tensor parallel", "parallelism.tp", ["1", "2", "3"]),
            new SweepAxis("mb", "Micro-batches", "parallelism.mb", ["1", "2"]),
        };
        var seen = new List<RunProgress>();
        var outcome = await new GridSweepEngine().RunAsync(new SweepRequest(setup, axes, null), new SyncProgress(seen.Add), CancellationToken.None);

        Assert.That(outcome.Points.Select(p => string.Join("/", p.Values)), Is.EqualTo(new[] { "1/1", "1/2", "2/1", "2/2", "3/1", "3/2" }));
        var hardware = HardwarePresets.A100Sxm80GB;
        foreach (var point in outcome.Points)
        {
            var tp = int.Parse(point.Values[0]);
            var mb = int.Parse(point.Values[1]);
            var expected = LlmSimulation.Create().Hardware(System.IO.Path.Combine(TestData.RepoRoot, "configs/hardware-config/a100_80GB.yaml"))
                .Model(System.IO.Path.Combine(TestData.RepoRoot, "configs/model-config/Llama2-7B.yaml"))
                .Parallelism(p => p.Tensor(tp, sequenceParallel: true).Pipeline(1, microBatches: mb).Data(1))
                .Build().EstimateTraining();
            Assert.That(point.TimeSeconds, Is.EqualTo(expected.TimePerBatchSeconds).Within(1e-9).Percent, string.Join("/", point.Values));
            Assert.That(point.PeakMemoryBytes, Is.EqualTo(expected.Memory!.Report.PeakGib * 1024 * 1024 * 1024).Within(1e-9).Percent);
        }

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Points.Where(p => p.Values[0] == "3").All(p => p.Warnings.Any(w => w.Contains("does not divide attention.num_heads", StringComparison.Ordinal))), Is.True);
            Assert.That(seen[^1], Is.EqualTo(new RunProgress(6, 6)));
            Assert.That(seen.Select(p => p.Completed), Is.Ordered);
            Assert.That(outcome.Csv.Split('\n')[0], Is.EqualTo("parallelism.tp,parallelism.mb,time_s,tokens_per_s,peak_memory_bytes,capacity_bytes,fits,error"));
            Assert.That(outcome.Json, Does.Contain("\"parallelism.tp\": \"3\""));
        });
    }

    [Test]
    public async Task An_invalid_point_is_reported_not_thrown()
    {
        var axes = new[] { new SweepAxis("dp", "Data parallel", "parallelism.train.dp", ["1", "3"]) };
        var outcome = await new GridSweepEngine().RunAsync(new SweepRequest(PresetCatalog.DefaultSetup(), axes, null), new SyncProgress(_ => { }), CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Points[0].Error, Is.Null);
            Assert.That(outcome.Points[1].Error, Does.Contain("must be divisible by parallelism.train.dp (3)"));
            Assert.That(outcome.Points[1].TimeSeconds, Is.Null);
        });
    }

    [Test]
    public void A_cancelled_sweep_stops()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var axes = new[] { new SweepAxis("tp", "Tensor parallel", "parallelism.tp", ["1", "2", "4", "8"]) };
        Assert.That(async () => await new GridSweepEngine().RunAsync(new SweepRequest(PresetCatalog.DefaultSetup(), axes, null), new SyncProgress(_ => { }), cancel.Token),
            Throws.InstanceOf<OperationCanceledException>());
    }

    private sealed class SyncProgress(Action<RunProgress> report) : IProgress<RunProgress>
    {
        private readonly Lock _gate = new();

        public void Report(RunProgress value)
        {
            lock (_gate) report(value);
        }
    }
}
