using Microsoft.Extensions.Options;
using RapidLlm.Search;
using RapidLlm.Workbench.Running;
using RapidLlm.Workbench.Setup;

namespace RapidLlm.Workbench.Tests;

/// <summary>The search page's engine: the library's search behind the workbench's request, and each candidate's files.</summary>
public class SearchTests
{
    private static readonly LibrarySearchEngine Engine = new(Options.Create(new WorkbenchOptions()));

    // Llama2-7B on 8 A100s with a batch of 64, tp and micro-batches limited so the search is short.
    private static SearchRequest Training(SearchLimits? limits = null)
    {
        var setup = PresetCatalog.DefaultSetup();
        setup = setup.WithValue(FormFields.Find("batch")!, "64").WithValue(FormFields.Find("grad-accum")!, "1");
        return new SearchRequest(setup, 8, null, 0, 8,
            limits ?? new SearchLimits { Cp = [1], Pp = [1, 2], MicroBatches = [4, 8], ZeroStages = [1] }, null);
    }

    private static SearchRequest Inference()
    {
        var setup = new RunSetup("H100_SXM5_80GB.yaml", YamlDocument.Parse(PresetCatalog.Read(ConfigFile.Hardware, "H100_SXM5_80GB.yaml")),
            "Llama3.1-8B_inf.yaml", YamlDocument.Parse(PresetCatalog.Read(ConfigFile.Model, "Llama3.1-8B_inf.yaml")));
        return new SearchRequest(setup, 4, "ttft", 0.1, 4, new SearchLimits { Cp = [1], Batches = [1, 8] }, null);
    }

    [Test]
    public async Task The_outcome_is_the_librarys_search_with_the_limits_applied()
    {
        var request = Training();
        var seen = new List<RunProgress>();
        var outcome = await Engine.RunAsync(request, new SyncProgress(seen.Add), CancellationToken.None);

        var simulation = SetupValidator.Check(request.Setup, null).Simulation!;
        var library = ParallelismSearch.Run(simulation.ToBuilder(), SearchPlanner.Options(request, simulation));
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Json, Is.EqualTo(library.ToJson()));
            Assert.That(outcome.Csv, Is.EqualTo(library.ToCsv()));
            Assert.That(outcome.Candidates.Select(c => c.Label), Is.EqualTo(library.Candidates.Select(c => c.Point.ToString())));
            Assert.That(outcome.Candidates.Select(c => c.Rank), Is.EqualTo(Enumerable.Range(1, library.Candidates.Count)));
            Assert.That(outcome.Candidates.All(c => c.Cp == 1 && c.Pp is 1 or 2 && c.MicroBatches is 4 or 8 && c.ZeroStage is 0 or 1), Is.True);
            Assert.That(outcome.Front.Select(c => c.Label), Is.EqualTo(library.ParetoFront.Select(c => c.Point.ToString())));
            Assert.That(outcome.Best!.Label, Is.EqualTo(library.Best!.Point.ToString()));
            Assert.That(outcome.Evaluated + outcome.Pruned + outcome.Rejected, Is.EqualTo(seen[^1].Total));
            Assert.That(seen[^1].Completed, Is.EqualTo(seen[^1].Total));
            Assert.That(seen[^1].Fitting, Is.EqualTo(outcome.Feasible));
            Assert.That(outcome.Space, Is.EqualTo("tp up to 8; cp 1; pp 1, 2; micro-batches 4, 8; ZeRO 1; the file's pipeline schedule"));
        });
    }

    [Test]
    public async Task A_training_candidates_files_reproduce_its_figures()
    {
        var request = Training();
        var outcome = await Engine.RunAsync(request, new SyncProgress(_ => { }), CancellationToken.None);
        foreach (var candidate in outcome.Candidates.Take(4).Append(outcome.Candidates[^1]))
        {
            var setup = SearchPlanner.SetupOf(request.Setup, candidate, inference: false);
            var check = SetupValidator.Check(setup, null);
            Assert.That(check.Simulation, Is.Not.Null, string.Join("; ", check.Problems));
            Assert.That(SearchPoint.Of(check.Simulation!), Is.EqualTo(SearchPlanner.Point(candidate, inference: false)));
            var estimate = EstimateRunner.Run(check.Simulation!);
            Assert.That(estimate.TimeSeconds, Is.EqualTo(candidate.TimeSeconds).Within(1e-9).Percent, candidate.Label);
            Assert.That(estimate.Memory!.PeakBytes, Is.EqualTo(candidate.PeakMemoryBytes).Within(1e-9).Percent, candidate.Label);
            Assert.That(estimate.TokensPerSecond, Is.EqualTo(candidate.TokensPerSecond).Within(1e-9).Percent, candidate.Label);
        }
    }

    [Test]
    public async Task Sequence_parallelism_follows_the_setup_into_candidates_and_their_files()
    {
        var request = Training();
        request = request with { Setup = request.Setup.WithValue(FormFields.Find("tp-sp")!, "false") };
        var outcome = await Engine.RunAsync(request, new SyncProgress(_ => { }), CancellationToken.None);
        var tensorParallel = outcome.Candidates.Where(c => c.Tp > 1).ToList();
        Assert.That(tensorParallel, Is.Not.Empty);
        Assert.That(tensorParallel.All(c => !c.SequenceParallel && c.Label.Contains(" no-sp", StringComparison.Ordinal)));

        var candidate = tensorParallel[0];
        var setup = SearchPlanner.SetupOf(request.Setup, candidate, inference: false);
        var check = SetupValidator.Check(setup, null);
        Assert.That(check.Simulation, Is.Not.Null, string.Join("; ", check.Problems));
        Assert.That(SearchPoint.Of(check.Simulation!), Is.EqualTo(SearchPlanner.Point(candidate, inference: false)));
        Assert.That(EstimateRunner.Run(check.Simulation!).TimeSeconds, Is.EqualTo(candidate.TimeSeconds).Within(1e-9).Percent);
    }

    [Test]
    public async Task An_inference_candidates_files_reproduce_its_figures()
    {
        var request = Inference();
        var outcome = await Engine.RunAsync(request, new SyncProgress(_ => { }), CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Inference, Is.True);
            Assert.That(outcome.Objective, Is.EqualTo("time to first token"));
            Assert.That(outcome.MemoryHeadroom, Is.EqualTo(0.1));
            Assert.That(outcome.Candidates.Select(c => c.Batch).Distinct().Order(), Is.EqualTo(new[] { 1, 8 }));
            Assert.That(outcome.Candidates.All(c => c.Tp * c.Cp * c.Pp * c.Replicas == 4), Is.True);
        });
        var best = outcome.Best!;
        var setup = SearchPlanner.SetupOf(request.Setup, best, inference: true);
        var simulation = SetupValidator.Check(setup, null).Simulation!;
        var estimate = EstimateRunner.Run(simulation);
        Assert.Multiple(() =>
        {
            Assert.That(setup.Hardware.Get("parallelism.inference.replica_count"), Is.EqualTo(best.Replicas.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(estimate.TimeSeconds, Is.EqualTo(best.TimeSeconds).Within(1e-9).Percent);
            Assert.That(estimate.Find("time to first token"), Is.EqualTo(best.TimeToFirstTokenSeconds).Within(1e-9).Percent);
            Assert.That(estimate.Memory!.PeakBytes, Is.EqualTo(best.PeakMemoryBytes).Within(1e-9).Percent);
        });
    }

    [TestCase("tp", "tp")]
    [TestCase("mb", "mb")]
    [TestCase("pp", "pp")]
    public void A_limit_that_empties_the_space_names_its_axis(string axis, string expected)
    {
        var limits = axis switch
        {
            "tp" => new SearchLimits { Tp = [3] },
            "mb" => new SearchLimits { MicroBatches = [3] },
            _ => new SearchLimits { Pp = [3] },
        };
        var request = Training(limits);
        var preview = SearchPlanner.Preview(request, SetupValidator.Check(request.Setup, null).Simulation!);
        Assert.Multiple(() =>
        {
            Assert.That(preview.Candidates, Is.Zero);
            Assert.That(preview.Axis, Is.EqualTo(expected));
            Assert.That(preview.Error, Does.StartWith(expected + ":"));
        });
    }

    [Test]
    public void The_preview_counts_the_candidates_the_search_will_estimate()
    {
        var request = Training();
        var simulation = SetupValidator.Check(request.Setup, null).Simulation!;
        Assert.That(SearchPlanner.Preview(request, simulation).Candidates,
            Is.EqualTo(ParallelismSearch.Candidates(simulation.ToBuilder(), SearchPlanner.Options(request, simulation)).Count).And.GreaterThan(5));
    }

    [Test]
    public void Every_schedule_adds_1f1b_and_interleaved_candidates()
    {
        var request = Training(new SearchLimits { Cp = [1], Pp = [2], MicroBatches = [4], ZeroStages = [1], FullRecompute = [false], Schedules = ["gpipe", "1f1b", "interleaved_1f1b"] });
        var simulation = SetupValidator.Check(request.Setup, null).Simulation!;
        var points = ParallelismSearch.Candidates(simulation.ToBuilder(), SearchPlanner.Options(request, simulation));
        // 32 layers on 2 stages: 16 per stage, so interleaving by 2, 4, 8 and 16 (micro-batches 4 are a multiple of the stages).
        Assert.That(points.Where(p => p.TensorParallel == 1).Select(p => p.Schedule.ToString()),
            Is.EquivalentTo(new[] { "gpipe", "1f1b", "interleaved_1f1b (v=2)", "interleaved_1f1b (v=4)", "interleaved_1f1b (v=8)", "interleaved_1f1b (v=16)" }));
    }

    [Test]
    public void A_cancelled_search_stops()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.That(async () => await Engine.RunAsync(Training(), new SyncProgress(_ => { }), cancel.Token), Throws.InstanceOf<OperationCanceledException>());
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
