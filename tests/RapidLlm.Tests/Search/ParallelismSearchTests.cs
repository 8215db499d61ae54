using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Search;
using RapidLlm.Simulation;

namespace RapidLlm.Tests.Search;

public class ParallelismSearchTests
{
    [Test]
    public void A_training_search_equals_brute_force_over_every_layout()
    {
        var result = ParallelismSearch.Run(SearchFixtures.SmallTraining(), SearchFixtures.Options());

        // Brute force, written independently: every degree, micro-batch count, ZeRO stage and recompute choice on 4 GPUs.
        var expected = new List<(string Key, double Time, double PeakGib, bool Fits)>();
        foreach (var tp in new[] { 1, 2, 4 })
        foreach (var cp in new[] { 1, 2, 4 })
        foreach (var pp in new[] { 1, 2, 4 })
        {
            if (4 % (tp * cp * pp) != 0) continue;
            var dp = 4 / (tp * cp * pp);
            foreach (var mb in new[] { 1, 2, 4 }.Where(m => 4 / dp % m == 0))
            foreach (var zero in dp > 1 ? new[] { 0, 1, 2, 3 } : [0])
            foreach (var full in new[] { false, true })
            {
                var simulation = SearchFixtures.SmallTraining()
                    .Parallelism(p => p.Tensor(tp, sequenceParallel: true).Context(cp).Pipeline(pp, mb).Data(dp))
                    .Software(s => s.ZeroStage(zero).FullRecomputation(full))
                    .Build();
                var estimate = simulation.EstimateTraining();
                expected.Add(($"tp{tp} cp{cp} pp{pp} dp{dp} mb{mb} z{zero} {(full ? "full" : "selective")}", estimate.TimePerBatchSeconds,
                    estimate.Memory!.Report.PeakGib, estimate.Memory.Report.Fits));
            }
        }

        Assert.That(result.Evaluated, Is.EqualTo(expected.Count));
        Assert.That(result.Feasible, Is.EqualTo(expected.Count(e => e.Fits)));
        var byKey = result.Candidates.ToDictionary(c => Key(c.Point));
        Assert.That(byKey.Keys, Is.EquivalentTo(expected.Select(e => e.Key)));
        foreach (var e in expected)
        {
            var c = byKey[e.Key];
            Assert.That(c.TimePerBatchSeconds, Is.EqualTo(e.Time), e.Key);
            Assert.That(c.PeakGib, Is.EqualTo(e.PeakGib), e.Key);
            Assert.That(c.Fits, Is.EqualTo(e.Fits), e.Key);
        }

        var fastest = expected.Where(e => e.Fits).MinBy(e => e.Time);
        Assert.That(Key(result.Best!.Point), Is.EqualTo(fastest.Key));
    }

    [Test]
    public void Candidates_that_fit_come_first_by_the_objective_then_the_others_by_peak_memory()
    {
        var tight = SearchFixtures.SmallTraining().Model((ModelPresets.Llama2_7B with { NumLayers = 32 }).Training(globalBatch: 4, sequenceLength: 4096));
        var result = ParallelismSearch.Run(tight, SearchFixtures.Options(threads: 2));
        var list = result.Candidates.ToList();
        var fitting = list.TakeWhile(c => c.Fits).ToList();
        var rest = list.Skip(fitting.Count).ToList();

        Assert.That(fitting, Is.Not.Empty);
        Assert.That(rest, Is.Not.Empty, "the case needs candidates that do not fit");
        Assert.That(rest.All(c => !c.Fits));
        Assert.That(fitting.Select(c => c.TimePerBatchSeconds), Is.Ordered);
        Assert.That(rest.Select(c => c.PeakMemoryBytes), Is.Ordered);
    }

    [Test]
    public void Every_candidate_estimated_alone_gives_the_same_figures()
    {
        var template = SearchFixtures.SmallTraining();
        var result = ParallelismSearch.Run(template, SearchFixtures.Options(threads: 2));
        foreach (var candidate in result.Candidates)
        {
            Assert.That(ParallelismSearch.Estimate(template, candidate.Point), Is.EqualTo(candidate), candidate.Point.ToString());
        }
    }

    [Test]
    public void The_result_is_the_same_on_one_thread_and_on_many()
    {
        var one = ParallelismSearch.Run(SearchFixtures.SmallTraining(), SearchFixtures.Options(threads: 1));
        var many = ParallelismSearch.Run(SearchFixtures.SmallTraining(), SearchFixtures.Options(threads: 4));
        Assert.That(many, Is.EqualTo(one));
        Assert.That(many.ToJson(), Is.EqualTo(one.ToJson()));
    }

    [TestCase(2)]
    [TestCase(3)]
    [TestCase(7)]
    public void Shards_merged_equal_the_unsharded_search_to_the_byte(int count)
    {
        var whole = ParallelismSearch.Run(SearchFixtures.SmallTraining(), SearchFixtures.Options(threads: 2));
        var shards = Enumerable.Range(1, count)
            .Select(i => ParallelismSearch.Run(SearchFixtures.SmallTraining(), SearchFixtures.Options(threads: 2) with { Shard = new SearchShard(i, count) }))
            .ToList();

        Assert.That(shards.Sum(s => s.Evaluated), Is.EqualTo(whole.Evaluated));
        // Through the files, as `RunPerf merge` does it.
        var merged = SearchResult.Merge(shards.Select(s => SearchResult.FromJson(s.ToJson())).Reverse());
        Assert.That(merged, Is.EqualTo(whole));
        Assert.That(merged.ToJson(), Is.EqualTo(whole.ToJson()));
    }

    [Test]
    public void Shards_of_a_top_k_search_merge_into_the_top_k_of_the_whole()
    {
        var whole = ParallelismSearch.Run(SearchFixtures.SmallTraining(), SearchFixtures.Options()).Take(5);
        var shards = Enumerable.Range(1, 3)
            .Select(i => ParallelismSearch.Run(SearchFixtures.SmallTraining(), SearchFixtures.Options() with { Shard = new SearchShard(i, 3) }).Take(5));
        Assert.That(SearchResult.Merge(shards).ToJson(), Is.EqualTo(whole.ToJson()));
    }

    [Test]
    public void Merging_an_incomplete_set_of_shards_names_what_is_missing()
    {
        var first = ParallelismSearch.Run(SearchFixtures.SmallTraining(), SearchFixtures.Options() with { Shard = new SearchShard(1, 3) });
        var error = Assert.Throws<ArgumentException>(() => SearchResult.Merge([first, first]));
        Assert.That(error!.Message, Does.Contain("missing 2/3, 3/3").And.Contain("repeated 1/3"));
    }

    [Test]
    public void The_json_document_reads_back_to_the_same_result()
    {
        var result = ParallelismSearch.Run(SearchFixtures.SmallTraining(), SearchFixtures.Options(threads: 2) with { SearchSchedules = true });
        var json = result.ToJson();
        Assert.That(SearchResult.FromJson(json), Is.EqualTo(result));
        Assert.That(json, Does.Contain("\"schema\": \"rapid-llm-search/1\"").And.Contain("\"objective\": \"time\"").And.Contain("\"shard\": \"1/1\""));
        Assert.That(json, Does.Contain("\"micro_batches\"").And.Contain("\"zero_stage\"").And.Contain("\"recompute\": \"selective\"").And.Contain("\"time_per_batch_s\""));
    }

    [Test]
    public void Progress_is_reported_once_per_candidate_in_order_and_ends_at_the_total()
    {
        var reports = new List<SearchProgress>();
        var result = ParallelismSearch.Run(SearchFixtures.SmallTraining(), SearchFixtures.Options(threads: 4), new Collect(reports.Add));

        Assert.That(reports.Select(r => r.Completed), Is.EqualTo(Enumerable.Range(1, reports.Count)));
        Assert.That(reports.Select(r => r.Feasible), Is.Ordered);
        Assert.That(reports[^1].Completed, Is.EqualTo(reports[^1].Total));
        Assert.That(reports[^1].Fraction, Is.EqualTo(1.0));
        Assert.That(reports[^1].Feasible, Is.EqualTo(result.Feasible));
    }

    [Test]
    public void Cancelling_stops_the_search_before_any_further_candidate()
    {
        using var cancel = new CancellationTokenSource();
        var reports = 0;
        var progress = new Collect(p =>
        {
            reports++;
            if (p.Completed == 3) cancel.Cancel();
        });

        Assert.That(() => ParallelismSearch.Run(SearchFixtures.SmallTraining(), SearchFixtures.Options(threads: 1), progress, cancel.Token),
            Throws.InstanceOf<OperationCanceledException>());
        Assert.That(reports, Is.EqualTo(3));
    }

    [TestCase("tp", 3)]
    [TestCase("cp", 3)]
    [TestCase("pp", 3)]
    public void An_impossible_axis_is_an_error_that_names_it(string axis, int value)
    {
        var options = axis switch
        {
            "tp" => SearchFixtures.Options() with { TensorParallel = new[] { value } },
            "cp" => SearchFixtures.Options() with { ContextParallel = new[] { value } },
            _ => SearchFixtures.Options() with { PipelineStages = new[] { value } },
        };
        var error = Assert.Throws<SearchSpaceException>(() => ParallelismSearch.Run(SearchFixtures.SmallTraining(), options));
        Assert.That(error!.Axis, Is.EqualTo(axis));
        Assert.That(error.Message, Does.StartWith(axis + ":").And.Contain("3"));
    }

    [Test]
    public void A_batch_no_data_parallel_degree_divides_is_an_error_naming_dp()
    {
        var oddBatch = SearchFixtures.SmallTraining().Model((ModelPresets.Llama2_7B with { NumLayers = 8 }).Training(globalBatch: 3, sequenceLength: 512));
        var error = Assert.Throws<SearchSpaceException>(() => ParallelismSearch.Run(oddBatch, SearchFixtures.Options() with { TensorParallel = new[] { 1 }, ContextParallel = new[] { 1 }, PipelineStages = new[] { 1 } }));
        Assert.That(error!.Axis, Is.EqualTo("dp"));
        Assert.That(error.Message, Does.StartWith("dp: ").And.Contain("batch per step (3)"));
    }

    [Test]
    public void The_time_to_first_token_objective_is_refused_for_training()
    {
        Assert.That(() => ParallelismSearch.Run(SearchFixtures.SmallTraining(), SearchFixtures.Options() with { Objective = SearchObjective.TimeToFirstToken }),
            Throws.ArgumentException.With.Message.Contains("inference"));
    }

    [Test]
    public void Searching_schedules_tries_1f1b_and_every_interleaving_that_fits()
    {
        var result = ParallelismSearch.Run(SearchFixtures.SmallTraining(), SearchFixtures.Options(threads: 2) with
        {
            SearchSchedules = true, TensorParallel = new[] { 1 }, ContextParallel = new[] { 1 }, PipelineStages = new[] { 4 }, FullRecompute = new[] { false },
        });
        // pp 4 of 8 layers: 2 layers per stage, so interleaving takes v = 2, and only with 4 micro-batches (a multiple of pp).
        var schedules = result.Candidates.Select(c => (c.Point.MicroBatches, c.Point.Schedule.ToString())).Order().ToList();
        Assert.That(schedules, Is.EqualTo(new[]
        {
            (1, "1f1b"), (1, "gpipe"), (2, "1f1b"), (2, "gpipe"), (4, "1f1b"), (4, "gpipe"), (4, "interleaved_1f1b (v=2)"),
        }));
    }

    [Test]
    public void Without_asking_every_candidate_runs_the_hardware_schedule()
    {
        var result = ParallelismSearch.Run(SearchFixtures.SmallTraining(), SearchFixtures.Options(threads: 2));
        Assert.That(result.Candidates.Select(c => c.Point.Schedule).Distinct(), Is.EqualTo(new[] { PipelineSchedule.GPipe }));
    }

    [Test]
    public void An_inference_search_ranks_by_throughput_and_matches_the_estimate()
    {
        var template = SearchFixtures.SmallInference();
        var result = ParallelismSearch.Run(template, SearchFixtures.Options(threads: 2));
        Assert.That(result.Objective, Is.EqualTo(SearchObjective.Throughput));
        Assert.That(result.Candidates.TakeWhile(c => c.Fits).Select(c => -c.TokensPerSecond), Is.Ordered);
        // Replicas fill the GPUs; batches are the model's 4 and the powers of two below it.
        Assert.That(result.Candidates.All(c => c.Point.Gpus == 4));
        Assert.That(result.Candidates.Select(c => c.Point.Batch).Distinct().Order(), Is.EqualTo(new[] { 1, 2, 4 }));

        var best = result.Best!;
        var p = best.Point;
        var estimate = template.Parallelism(b => b.Tensor(p.TensorParallel, sequenceParallel: true).Context(p.ContextParallel).Pipeline(p.PipelineStages).Replicas(p.Replicas))
            .Model((ModelPresets.Llama2_7B with { NumLayers = 8 }).Inference(batch: p.Batch, promptLength: 128, decodeLength: 32))
            .Build().EstimateInference();
        Assert.That(best.TotalSeconds, Is.EqualTo(estimate.TotalSeconds));
        Assert.That(best.TimeToFirstTokenSeconds, Is.EqualTo(estimate.TimeToFirstTokenSeconds));
        Assert.That(best.TokensPerSecond, Is.EqualTo(estimate.Throughput!.OverallTokensPerSecond));
        Assert.That(best.PeakGib, Is.EqualTo(estimate.Memory!.Report.PeakGib));
        Assert.That(best.EnergyJoules, Is.EqualTo(estimate.Energy.TotalJoules * p.Replicas));
    }

    [Test]
    public void Time_to_first_token_ranks_the_smallest_first_token_time_first()
    {
        var result = ParallelismSearch.Run(SearchFixtures.SmallInference(), SearchFixtures.Options(threads: 2) with { Objective = SearchObjective.TimeToFirstToken });
        Assert.That(result.Candidates.TakeWhile(c => c.Fits).Select(c => c.TimeToFirstTokenSeconds), Is.Ordered);
    }

    [Test]
    public void The_pareto_front_holds_exactly_the_fitting_candidates_nothing_beats_on_time_and_memory()
    {
        var result = ParallelismSearch.Run(SearchFixtures.SmallTraining(), SearchFixtures.Options(threads: 2));
        var front = result.ParetoFront.ToList();
        static bool Beats(SearchCandidate a, SearchCandidate b) =>
            a.TimePerBatchSeconds <= b.TimePerBatchSeconds && a.PeakMemoryBytes <= b.PeakMemoryBytes
            && (a.TimePerBatchSeconds < b.TimePerBatchSeconds || a.PeakMemoryBytes < b.PeakMemoryBytes);
        var fitting = result.Candidates.Where(c => c.Fits).ToList();
        foreach (var c in fitting)
        {
            var beaten = fitting.Any(o => Beats(o, c));
            Assert.That(front.Contains(c), Is.EqualTo(!beaten), c.Point.ToString());
        }

        Assert.That(front[0], Is.EqualTo(result.Best));
        Assert.That(front.Select(c => c.TimePerBatchSeconds), Is.Ordered);
        Assert.That(front.Select(c => c.PeakMemoryBytes), Is.Ordered.Descending);
    }

    [Test]
    public void A_headroom_keeps_that_fraction_of_memory_free()
    {
        var result = ParallelismSearch.Run(SearchFixtures.SmallTraining(), SearchFixtures.Options(threads: 2) with { MemoryHeadroom = 0.9 });
        Assert.That(result.Candidates, Is.Not.Empty);
        foreach (var c in result.Candidates) Assert.That(c.Fits, Is.EqualTo(c.PeakMemoryBytes <= c.CapacityBytes * 0.1), c.Point.ToString());
    }

    [Test]
    public void The_largest_tensor_parallel_degree_bounds_tp()
    {
        var result = ParallelismSearch.Run(SearchFixtures.SmallTraining(), SearchFixtures.Options(threads: 2) with { MaxTensorParallel = 2 });
        Assert.That(result.Candidates.Max(c => c.Point.TensorParallel), Is.EqualTo(2));
    }

    [Test]
    public void Tensor_parallel_candidates_run_sequence_parallel_unless_plain_tp_is_asked_for()
    {
        var template = SearchFixtures.SmallTraining();
        var sequenceOnly = ParallelismSearch.Run(template, SearchFixtures.Options(threads: 2));
        var both = ParallelismSearch.Run(template, SearchFixtures.Options(threads: 2) with { SequenceParallel = new[] { true, false } });
        Assert.That(sequenceOnly.Candidates.All(c => c.Point.SequenceParallel), "the default is Megatron's TP with SP");

        // Every tp > 1 layout appears once more, without SP; tp 1 has nothing to shard and appears once.
        var tensorParallel = sequenceOnly.Candidates.Count(c => c.Point.TensorParallel > 1);
        Assert.That(tensorParallel, Is.Positive);
        Assert.That(both.Evaluated, Is.EqualTo(sequenceOnly.Evaluated + tensorParallel));
        var plain = both.Candidates.Where(c => !c.Point.SequenceParallel).ToList();
        Assert.That(plain, Has.Count.EqualTo(tensorParallel));
        Assert.That(plain.All(c => c.Point.TensorParallel > 1 && c.Point.ToString().Contains(" no-sp", StringComparison.Ordinal)));

        // A plain-TP candidate is the builder's Tensor(tp) without SP, which keeps whole activations on every rank.
        foreach (var c in plain.Where(c => c.Point.DataParallel == 1))
        {
            var p = c.Point;
            var estimate = SearchFixtures.SmallTraining()
                .Parallelism(b => b.Tensor(p.TensorParallel).Context(p.ContextParallel).Pipeline(p.PipelineStages, p.MicroBatches))
                .Software(s => s.FullRecomputation(p.FullRecompute))
                .Build().EstimateTraining();
            Assert.That(c.TimePerBatchSeconds, Is.EqualTo(estimate.TimePerBatchSeconds), p.ToString());
            Assert.That(c.PeakGib, Is.EqualTo(estimate.Memory!.Report.PeakGib), p.ToString());
            var withSp = sequenceOnly.Candidates.Single(s => s.Point == p with { SequenceParallel = true });
            if (p.ContextParallel == 1) // with cp > 1 the sequence is already split over the cp ranks
                Assert.That(c.PeakMemoryBytes, Is.GreaterThan(withSp.PeakMemoryBytes), p + ": SP shards the activations TP keeps whole");
        }
    }

    [Test]
    public void Sequence_parallelism_survives_json_and_a_lone_re_estimate()
    {
        var template = SearchFixtures.SmallInference();
        var result = ParallelismSearch.Run(template, SearchFixtures.Options(threads: 2) with { SequenceParallel = new[] { false } });
        Assert.That(result.Candidates.Where(c => c.Point.TensorParallel > 1).All(c => !c.Point.SequenceParallel));
        Assert.That(result.ToJson(), Does.Contain("\"sequence_parallel\": false"));
        Assert.That(SearchResult.FromJson(result.ToJson()), Is.EqualTo(result));
        var plain = result.Candidates.First(c => c.Point.TensorParallel > 1);
        Assert.That(ParallelismSearch.Estimate(template, plain.Point), Is.EqualTo(plain));
        Assert.That(SearchPoint.Of(ParallelismSearch.Simulation(template, plain.Point)), Is.EqualTo(plain.Point));
    }

    [Test]
    public void Asking_for_both_lists_sequence_parallelism_first_so_it_wins_ties()
    {
        var points = ParallelismSearch.Candidates(SearchFixtures.SmallTraining(), SearchFixtures.Options() with { SequenceParallel = new[] { false, true } });
        var tensorParallel = points.Where(p => p.TensorParallel > 1).ToList();
        for (var i = 0; i < tensorParallel.Count; i++)
        {
            if (!tensorParallel[i].SequenceParallel)
                Assert.That(tensorParallel.Take(i), Has.Member(tensorParallel[i] with { SequenceParallel = true }), tensorParallel[i].ToString());
        }

        var sp = new SearchCandidate(tensorParallel[0] with { SequenceParallel = true }, 1, null, null, 1, 0.5, 1, 1, 2, true, 1);
        var plain = sp with { Point = sp.Point with { SequenceParallel = false } };
        Assert.That(SearchRanking.Compare(plain, sp, SearchObjective.TimePerBatch), Is.Positive, "an exact tie ranks SP first");
    }

    [Test]
    public void Moe_layouts_that_shard_experts_over_tp_and_ep_are_not_listed_without_sequence_parallelism()
    {
        var moe = (ModelPresets.Llama2_7B with { NumLayers = 4, Moe = new MoeConfig(4, 2, 2048, 0, 1.0, 1, 0) }).Training(globalBatch: 8, sequenceLength: 256);
        var template = LlmSimulation.Create().Hardware(HardwarePresets.A100Sxm80GB).Model(moe);
        var both = ParallelismSearch.Candidates(template, new SearchOptions { Gpus = 8, SequenceParallel = new[] { true, false } });
        Assert.That(both.Where(p => p.TensorParallel > 1 && p.ExpertParallel > 1), Is.Not.Empty);
        Assert.That(both.Where(p => p.TensorParallel > 1 && p.ExpertParallel > 1 && !p.SequenceParallel), Is.Empty);
        Assert.That(both.Where(p => p.TensorParallel > 1 && p.ExpertParallel == 1 && !p.SequenceParallel), Is.Not.Empty);
    }

    [Test]
    public void At_tp_1_sequence_parallelism_means_nothing_and_reads_as_on()
    {
        var template = SearchFixtures.SmallTraining();
        var point = new SearchPoint { RunType = RunType.Training, TensorParallel = 1, PipelineStages = 2, DataParallel = 2, MicroBatches = 2, SequenceParallel = false };
        var alone = ParallelismSearch.Estimate(template, point);
        Assert.That(alone.Point, Is.EqualTo(point with { SequenceParallel = true }));
        Assert.That(SearchPoint.Of(ParallelismSearch.Simulation(template, point)), Is.EqualTo(alone.Point));
        var result = ParallelismSearch.Run(template, SearchFixtures.Options(threads: 2));
        var json = result.ToJson().Replace("\"sequence_parallel\": true", "\"sequence_parallel\": false", StringComparison.Ordinal);
        var read = SearchResult.FromJson(json);
        Assert.That(read.Candidates.Where(c => c.Point.TensorParallel == 1).All(c => c.Point.SequenceParallel));
        Assert.That(read.Candidates.Where(c => c.Point.TensorParallel > 1).All(c => !c.Point.SequenceParallel));
    }

    private static string Key(SearchPoint p) =>
        $"tp{p.TensorParallel} cp{p.ContextParallel} pp{p.PipelineStages} dp{p.DataParallel} mb{p.MicroBatches} z{p.ZeroStage} {p.RecomputeName}";

    private sealed class Collect(Action<SearchProgress> action) : IProgress<SearchProgress>
    {
        public void Report(SearchProgress value) => action(value);
    }
}
