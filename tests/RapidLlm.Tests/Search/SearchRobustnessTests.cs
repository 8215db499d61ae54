using System.Text.Json.Nodes;
using RapidLlm.Search;

namespace RapidLlm.Tests.Search;

/// <summary>
/// Hostile search input is bounded and answered fast with a sentence: GPU counts near int.MaxValue, shard files that
/// claim billions of slices, and shard documents with wrong, negative or impossible values.
/// </summary>
public class SearchRobustnessTests
{
    [TestCase(1, 1)]
    [TestCase(12, 6)]
    [TestCase(1 << 20, 21)]
    [TestCase(int.MaxValue, 2)]
    [TestCase(int.MaxValue - 1, 192)]
    public void Divisors_are_listed_in_ascending_order_up_to_the_largest_int(int n, int count)
    {
        var divisors = SearchSpace.Divisors(n);
        Assert.That(divisors, Is.Ordered.Ascending.And.Unique);
        Assert.That(divisors.All(d => n % d == 0), Is.True);
        Assert.That((divisors.Length, divisors[0], divisors[^1]), Is.EqualTo((count, 1, n)));
    }

    [Test]
    public void Divisors_of_every_number_up_to_2000_match_counting_them_one_by_one()
    {
        for (var n = 1; n <= 2000; n++)
            Assert.That(SearchSpace.Divisors(n), Is.EqualTo(Enumerable.Range(1, n).Where(d => n % d == 0).ToArray()), $"n = {n}");
    }

    [TestCase(1, 0)]
    [TestCase(5, 3)]
    [TestCase(1 << 30, 30)]
    [TestCase((1 << 30) + 1, 31)]
    [TestCase(int.MaxValue, 31)]
    public void Powers_of_two_below_a_limit_stop_before_it_without_wrapping(int limit, int count)
    {
        var powers = SearchSpace.PowersOfTwoBelow(limit).ToList();
        Assert.That(powers, Has.Count.EqualTo(count));
        Assert.That(powers, Is.EqualTo(Enumerable.Range(0, count).Select(i => 1 << i)));
    }

    [TestCase(int.MaxValue)]
    [TestCase((1 << 20) + 1)]
    [TestCase(0)]
    [TestCase(-4)]
    public void A_gpu_count_outside_1_to_2_to_the_20_is_refused_before_any_work(int gpus)
    {
        var options = SearchFixtures.Options() with { Gpus = gpus };
        var run = Assert.Throws<ArgumentException>(() => ParallelismSearch.Run(SearchFixtures.SmallTraining(), options));
        var list = Assert.Throws<ArgumentException>(() => ParallelismSearch.Candidates(SearchFixtures.SmallTraining(), options));
        Assert.That(run!.Message, Is.EqualTo($"gpus must be between 1 and 1,048,576, the most devices one run may model (got {gpus})."));
        Assert.That((run.ParamName, list!.Message), Is.EqualTo(((string?)null, run.Message)));
    }

    [Test]
    public void The_largest_gpu_count_is_searched()
    {
        var candidates = ParallelismSearch.Candidates(SearchFixtures.SmallInference(), SearchFixtures.Options(gpus: 1 << 20));
        Assert.That(candidates, Is.Not.Empty);
        Assert.That(candidates.All(p => p.Gpus == 1 << 20));
    }

    [Test]
    public void Ttft_on_a_training_run_is_named_as_typed_without_a_parameter_tail()
    {
        var options = SearchFixtures.Options() with { Objective = SearchObjective.TimeToFirstToken };
        var error = Assert.Throws<ArgumentException>(() => ParallelismSearch.Run(SearchFixtures.SmallTraining(), options));
        Assert.That(error!.Message, Is.EqualTo("The objective ttft (time to first token) ranks inference runs; this model is a training run (rank by time or throughput)."));
    }

    [Test]
    public void A_shard_claiming_billions_of_slices_lists_ten_missing_ones_and_counts_the_rest()
    {
        var shard = Shard() with { Shard = new SearchShard(1, int.MaxValue) };
        var error = Assert.Throws<ArgumentException>(() => SearchResult.Merge([shard]));
        Assert.That(error!.Message, Is.EqualTo("The shards do not make up the whole search: missing "
            + string.Join(", ", Enumerable.Range(2, 10).Select(i => $"{i}/2147483647")) + " and 2147483636 more."));
        Assert.That(error.ParamName, Is.Null);
    }

    [Test]
    public void A_few_missing_shards_are_all_listed()
    {
        var shard = Shard() with { Shard = new SearchShard(3, 4) };
        var error = Assert.Throws<ArgumentException>(() => SearchResult.Merge([shard, shard]));
        Assert.That(error!.Message, Is.EqualTo("The shards do not make up the whole search: missing 1/4, 2/4, 4/4; repeated 3/4."));
    }

    [TestCase("time_per_batch_s", "\"fast\"", "candidates[0].time_per_batch_s: expected a number, got a string")]
    [TestCase("time_per_batch_s", "-1.5", "candidates[0].time_per_batch_s: expected a number ≥ 0, got -1.5")]
    [TestCase("peak_gib", "1e999", "candidates[0].peak_gib: expected a finite number, got 1e999")]
    [TestCase("energy_j", "[]", "candidates[0].energy_j: expected a number, got an array")]
    [TestCase("tp", "0", "candidates[0].tp: expected a whole number from 1 to 2147483647, got 0")]
    [TestCase("dp", "2.5", "candidates[0].dp: expected a whole number, got 2.5")]
    [TestCase("micro_batches", "-3", "candidates[0].micro_batches: expected a whole number from 1 to 2147483647, got -3")]
    [TestCase("zero_stage", "7", "candidates[0].zero_stage: expected 0 to 3, got 7")]
    [TestCase("fits", "\"yes\"", "candidates[0].fits: expected true or false, got a string")]
    [TestCase("recompute", "\"some\"", "candidates[0].recompute: expected \"full\" or \"selective\", got 'some'")]
    public void A_wrong_candidate_value_is_named_by_its_key_path_with_what_was_expected(string key, string json, string expected)
    {
        var error = Assert.Throws<FormatException>(() => SearchResult.FromJson(WithCandidateValue(Shard().ToJson(), 0, key, json)));
        Assert.That(error!.Message, Is.EqualTo(expected + "."));
    }

    [Test]
    public void Every_problem_of_a_document_is_reported_at_once()
    {
        var node = JsonNode.Parse(Shard().ToJson())!;
        node["gpus"] = "eight";
        node["evaluated"] = -1;
        node["memory_headroom"] = 1.5;
        node["candidates"]![1]!["pp"] = 0;
        node["candidates"]![1]!.AsObject().Remove("mfu");
        var error = Assert.Throws<FormatException>(() => SearchResult.FromJson(node.ToJsonString()));
        Assert.That(error!.Message, Is.EqualTo("candidates[1].pp: expected a whole number from 1 to 2147483647, got 0; candidates[1].mfu: missing; "
            + "memory_headroom: expected a fraction below 1, got 1.5; gpus: expected a whole number, got a string; "
            + "evaluated: expected a whole number from 0 to 2147483647, got -1."));
    }

    [Test]
    public void A_document_that_is_not_a_search_result_says_so()
    {
        Assert.That(Assert.Throws<FormatException>(() => SearchResult.FromJson("[1, 2]"))!.Message, Is.EqualTo("a search result is a JSON object, not an array."));
        Assert.That(Assert.Throws<FormatException>(() => SearchResult.FromJson("{\"schema\": \"other/2\"}"))!.Message,
            Is.EqualTo("schema: expected \"rapid-llm-search/1\", got 'other/2'."));
        Assert.That(Assert.Throws<FormatException>(() => SearchResult.FromJson("{\"schema\": "))!.Message, Does.StartWith("not valid JSON: "));
    }

    private static SearchResult Shard() => ParallelismSearch.Run(SearchFixtures.SmallTraining(), SearchFixtures.Options());

    private static string WithCandidateValue(string json, int index, string key, string value)
    {
        var node = JsonNode.Parse(json)!;
        node["candidates"]![index]![key] = "__VALUE__";
        return node.ToJsonString().Replace("\"__VALUE__\"", value, StringComparison.Ordinal);
    }
}
