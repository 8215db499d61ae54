using RapidLlm.Reports;
using RapidLlm.Inference;

namespace RapidLlm.Tests.Inference;

/// <summary>End-to-end oracle rows (newest reference): decode integral, rates, throughput, counters, RESULTS lines.</summary>
[TestFixture]
public sealed class OracleRowsTests
{
    private const double Relative = 1e-9;

    private static IEnumerable<OracleInferenceRow> Rows => OracleInferenceRow.Load();

    private static IEnumerable<OracleInferenceRow> DecodingRows => Rows.Where(r => r.Integer("decode_len") > 0);

    [Test]
    public void Fixture_holds_the_replayable_rows() => Assert.That(Rows.Count(), Is.GreaterThanOrEqualTo(18));

    [TestCaseSource(nameof(DecodingRows))]
    public void Times_rates_and_throughput_match(OracleInferenceRow row)
    {
        var e = row.Replay();
        Assert.Multiple(() =>
        {
            Assert.That(e.DecodeSeconds, Is.EqualTo(row.Number("decode_s")).Within(Relative).Percent);
            Assert.That(e.TotalSeconds, Is.EqualTo(row.Number("total_s")).Within(Relative).Percent);
            Assert.That(e.TimeToFirstTokenSeconds, Is.EqualTo(row.Number("ttft_s")).Within(Relative).Percent);
            Assert.That(e.Rates!.StartTokensPerSecond, Is.EqualTo(row.Number("rate_start")).Within(Relative).Percent);
            Assert.That(e.Rates.MidpointTokensPerSecond, Is.EqualTo(row.Number("rate_mid")).Within(Relative).Percent);
            Assert.That(e.Rates.EndTokensPerSecond, Is.EqualTo(row.Number("rate_end")).Within(Relative).Percent);
            Assert.That(e.Rates.OverallTokensPerSecond, Is.EqualTo(row.Number("rate_overall")).Within(Relative).Percent);
            Assert.That(e.Throughput!.StartTokensPerSecond, Is.EqualTo(row.Number("agg_start")).Within(Relative).Percent);
            Assert.That(e.Throughput.MidpointTokensPerSecond, Is.EqualTo(row.Number("agg_mid")).Within(Relative).Percent);
            Assert.That(e.Throughput.EndTokensPerSecond, Is.EqualTo(row.Number("agg_end")).Within(Relative).Percent);
            Assert.That(e.Energy.DecodeJoules, Is.EqualTo(row.Number("energy_decode_j")).Within(Relative).Percent);
        });
    }

    [TestCaseSource(nameof(Rows))]
    public void Kv_counters_match(OracleInferenceRow row)
    {
        var kv = row.Replay().KvCache;
        Assert.Multiple(() =>
        {
            Assert.That(kv.PrefillStoreBytes, Is.EqualTo(row.Number("kv_prefill_store_bytes")).Within(Relative).Percent);
            Assert.That(kv.DecodeStoreBytes, Is.EqualTo(row.Number("kv_decode_store_bytes")).Within(Relative).Percent);
            Assert.That(kv.DecodeFetchBytes, Is.EqualTo(row.Number("kv_decode_fetch_bytes")).Within(Relative).Percent);
        });
    }

    [TestCaseSource(nameof(Rows))]
    public void Results_lines_match_the_printed_ones(OracleInferenceRow row)
    {
        Assert.That(InferenceReportText.ResultLines(row.Replay(), "analytical"), Is.EqualTo(RapidLlm.Tests.Cli.OurTextForm.Lines(row.PrintedResults)));
    }
}
