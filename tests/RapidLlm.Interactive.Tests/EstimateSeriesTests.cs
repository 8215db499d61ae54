using System.Globalization;
using RapidLlm.Common;
using RapidLlm.Results;

namespace RapidLlm.Interactive.Tests;

/// <summary>A sweep holds exactly the estimates it ran, and prints them as text, Markdown and CSV.</summary>
public class EstimateSeriesTests
{
    private const double Gib = 1024.0 * 1024.0 * 1024.0;

    [Test]
    public void AnInferenceSweepHoldsEachEstimatesTimesAndMemory()
    {
        var series = EstimateSeries.Inference("tensor parallelism", [1, 2, 4], Estimates.Inference);
        var direct = new[] { 1, 2, 4 }.Select(Estimates.Inference).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(series.Title, Is.EqualTo("Inference against tensor parallelism"));
            Assert.That(series.TimeMetrics, Is.EqualTo(new[] { "total time", "time to first token" }));
            Assert.That(series.Points.Select(p => p.Setting), Is.EqualTo(new[] { "1", "2", "4" }));
            Assert.That(series.Points.Select(p => p.Seconds[0]), Is.EqualTo(direct.Select(e => e.TotalSeconds)));
            Assert.That(series.Points.Select(p => p.Seconds[1]), Is.EqualTo(direct.Select(e => e.TimeToFirstTokenSeconds)));
            Assert.That(series.Points.Select(p => p.PeakMemoryBytes), Is.EqualTo(direct.Select(e => e.Memory!.Report.PeakGib * Gib)));
            Assert.That(series.Points.Select(p => p.CapacityBytes), Has.All.EqualTo(80 * Gib));
            Assert.That(series.Points.Select(p => p.Fits), Has.All.True);
        });
    }

    [Test]
    public void ATrainingSweepHoldsTheTimePerBatch()
    {
        var series = EstimateSeries.Training("tensor parallelism", [2, 4],
            tp => Estimates.TrainingSimulation.ToBuilder().Parallelism(p => p.Tensor(tp, sequenceParallel: true).Data(8 / tp)).Build().EstimateTraining());
        Assert.Multiple(() =>
        {
            Assert.That(series.TimeMetrics, Is.EqualTo(new[] { "time per batch" }));
            Assert.That(series.Points[0].Seconds[0], Is.EqualTo(Estimates.Training.TimePerBatchSeconds));
            Assert.That(series.Points[0].PeakMemoryBytes, Is.EqualTo(Estimates.Memory.Report.PeakGib * Gib));
            Assert.That(series.Points[1].Seconds[0], Is.GreaterThan(series.Points[0].Seconds[0]), "tp 4 × dp 2 is slower than tp 2 × dp 4 for a 7B model");
        });
    }

    [Test]
    public void TextMarkdownAndCsvCarryTheSameFigures()
    {
        var series = Sample();
        Assert.Multiple(() =>
        {
            Assert.That(series.ToString(), Is.EqualTo(
                "sweep\n" +
                "  tp  time per batch  peak memory per GPU  capacity per GPU  fits \n" +
                "  1          8.000 s            91.00 GiB         80.00 GiB    no \n" +
                "  2          11.50 s            55.00 GiB         80.00 GiB   yes "));
            Assert.That(series.ToMarkdown(), Is.EqualTo(
                "### sweep\n\n| tp | time per batch | peak memory per GPU | capacity per GPU | fits |\n|---|---:|---:|---:|---:|\n" +
                "| 1 | 8.000 s | 91.00 GiB | 80.00 GiB | no |\n| 2 | 11.50 s | 55.00 GiB | 80.00 GiB | yes |\n"));
            Assert.That(series.ToCsv(), Is.EqualTo(
                "tp,time per batch (s),peak memory per GPU (B),capacity per GPU (B)\n" +
                $"1,8,{(91 * Gib).ToString("R", CultureInfo.InvariantCulture)},{(80 * Gib).ToString("R", CultureInfo.InvariantCulture)}\n" +
                $"2,11.5,{(55 * Gib).ToString("R", CultureInfo.InvariantCulture)},{(80 * Gib).ToString("R", CultureInfo.InvariantCulture)}\n"));
        });
    }

    [Test]
    public void UnknownMemoryPrintsAsADashAndAnEmptyCsvCell()
    {
        var series = new EstimateSeries("s", "batch", ["t"], [new EstimateSeriesPoint("4", new EquatableArray<double>([0.5]), null, null)]);
        Assert.Multiple(() =>
        {
            Assert.That(series.ToMarkdown(), Does.EndWith("| 4 | 500.0 ms | – | – | – |\n"));
            Assert.That(series.ToCsv(), Does.EndWith("\n4,0.5,,\n"));
            Assert.That(series.Points[0].Fits, Is.True);
            Assert.That(series.Points[0].HeadroomBytes, Is.Null);
        });
    }

    [Test]
    public void SeriesCompareByValue()
    {
        var (first, second) = (Sample(), Sample());
        Assert.That(first, Is.Not.SameAs(second));
        Assert.That(first, Is.EqualTo(second));
        Assert.That(first.GetHashCode(), Is.EqualTo(second.GetHashCode()));
        Assert.That(new EstimateSeries("other", "tp", ["time per batch"], first.Points), Is.Not.EqualTo(first));
    }

    [Test]
    public void APointWithTheWrongNumberOfDurationsIsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new EstimateSeries("s", "tp", ["total time", "time to first token"], [new EstimateSeriesPoint("1", new EquatableArray<double>([1.0]), null, null)]));
        Assert.That(error!.Message, Does.StartWith("Point '1' holds 1 duration(s) but the series names 2 time metric(s) (total time, time to first token)."));
    }

    [Test]
    public void ACancelledSweepStopsBeforeTheNextEstimate()
    {
        using var cancel = new CancellationTokenSource();
        var run = 0;
        Assert.Throws<OperationCanceledException>(() => EstimateSeries.Inference("tp", [1, 2, 4], tp =>
        {
            run++;
            cancel.Cancel();
            return Estimates.InferenceTp1;
        }, cancellationToken: cancel.Token));
        Assert.That(run, Is.EqualTo(1));
    }

    private static EstimateSeries Sample() => new("sweep", "tp", ["time per batch"],
    [
        new EstimateSeriesPoint("1", new EquatableArray<double>([8.0]), 91 * Gib, 80 * Gib),
        new EstimateSeriesPoint("2", new EquatableArray<double>([11.5]), 55 * Gib, 80 * Gib),
    ]);
}
