using RapidLlm.Search;
using RapidLlm.Simulation;

namespace RapidLlm.Tests.Search;

/// <summary>Shards carry a digest of their search; merging shards of two different searches is refused, not silently mixed.</summary>
public class SearchFingerprintTests
{
    private static SearchResult Shard(LlmSimulationBuilder template, int index, int count, SearchOptions? options = null) =>
        ParallelismSearch.Run(template, (options ?? SearchFixtures.Options(threads: 2)) with { Shard = new SearchShard(index, count) });

    [Test]
    public void Every_shard_of_a_search_has_the_unsharded_searchs_fingerprint_on_any_number_of_threads()
    {
        var whole = ParallelismSearch.Run(SearchFixtures.SmallTraining(), SearchFixtures.Options(threads: 1));
        Assert.That(whole.Fingerprint, Does.Match("^[0-9a-f]{32}$"));
        Assert.That(Shard(SearchFixtures.SmallTraining(), 1, 2).Fingerprint, Is.EqualTo(whole.Fingerprint));
        Assert.That(Shard(SearchFixtures.SmallTraining(), 2, 2).Fingerprint, Is.EqualTo(whole.Fingerprint));
        Assert.That(SearchResult.FromJson(whole.ToJson()).Fingerprint, Is.EqualTo(whole.Fingerprint));
        // Estimating fills the shared device caches; the digest covers settings, not caches.
        Assert.That(ParallelismSearch.Run(SearchFixtures.SmallTraining(), SearchFixtures.Options(threads: 2)).Fingerprint, Is.EqualTo(whole.Fingerprint));
    }

    [Test]
    public void Shards_of_searches_on_another_device_model_or_axis_limit_do_not_merge()
    {
        var first = Shard(SearchFixtures.SmallTraining(), 1, 2);
        var otherDevice = Shard(SearchFixtures.SmallTraining().Hardware(HardwarePresets.H100Sxm80GB), 2, 2);
        var otherModel = Shard(SearchFixtures.SmallTraining().Model((ModelPresets.Llama2_7B with { NumLayers = 8 }).Training(globalBatch: 4, sequenceLength: 256)), 2, 2);
        var otherLimit = Shard(SearchFixtures.SmallTraining(), 2, 2, SearchFixtures.Options(threads: 2) with { SequenceParallel = new[] { true, false } });
        var sameSearch = Shard(SearchFixtures.SmallTraining(), 2, 2);
        foreach (var (other, what) in new[] { (otherDevice, "device"), (otherModel, "sequence length"), (otherLimit, "axis limit") })
        {
            var error = Assert.Throws<ArgumentException>(() => SearchResult.Merge([first, other]), what);
            Assert.That(error!.Message, Does.Contain("is from a different search").And.Contain("fingerprint"), what);
        }

        Assert.That(SearchResult.Merge([first, sameSearch]), Is.EqualTo(ParallelismSearch.Run(SearchFixtures.SmallTraining(), SearchFixtures.Options(threads: 2))));
    }

    [Test]
    public void Documents_without_a_fingerprint_still_merge()
    {
        var first = Shard(SearchFixtures.SmallTraining(), 1, 2) with { Fingerprint = null };
        var second = Shard(SearchFixtures.SmallTraining(), 2, 2);
        Assert.That(SearchResult.Merge([first, second]).Candidates, Has.Count.EqualTo(first.Candidates.Count + second.Candidates.Count));
    }
}
