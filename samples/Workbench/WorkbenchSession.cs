using System.Diagnostics;
using Microsoft.Extensions.Options;
using RapidLlm.Workbench.History;
using RapidLlm.Workbench.Running;
using RapidLlm.Workbench.Setup;

namespace RapidLlm.Workbench;

/// <summary>
/// One browser tab's workbench: its setup, the validator's verdict, the run in progress and the runs of this session.
/// Scoped to the Blazor circuit, so tabs and users never share it. Runs go on the thread pool; <see cref="Changed"/>
/// tells the page to re-render (from any thread).
/// </summary>
public sealed class WorkbenchSession : IDisposable
{
    private readonly RunArchive _archive;
    private readonly ISweepEngine _sweeps;
    private readonly ISearchEngine _searches;
    private readonly List<RunRecord> _runs = [];
    private readonly HashSet<string> _compare = [];
    private readonly Dictionary<(string Search, int Rank), string> _candidateRuns = [];
    private readonly Lock _gate = new();
    private CancellationTokenSource? _cancel;

    /// <summary>Creates a session with the default setup.</summary>
    /// <param name="options">Workbench options.</param>
    /// <param name="archive">Where runs are kept.</param>
    /// <param name="sweeps">The sweep engine.</param>
    /// <param name="searches">The search engine.</param>
    public WorkbenchSession(IOptions<WorkbenchOptions> options, RunArchive archive, ISweepEngine sweeps, ISearchEngine searches)
    {
        Options = options.Value;
        _archive = archive;
        _sweeps = sweeps;
        _searches = searches;
        Setup = PresetCatalog.DefaultSetup();
        Check = SetupValidator.Check(Setup, AstraSimBinary);
    }

    /// <summary>Raised after any change (setup, progress, a run ending); may come from a worker thread.</summary>
    public event Action? Changed;

    /// <summary>The workbench options.</summary>
    public WorkbenchOptions Options { get; }

    /// <summary>The AstraSim binary, when one is configured and exists.</summary>
    public string? AstraSimBinary => Options.ExistingAstraSimBinary;

    /// <summary>The current setup.</summary>
    public RunSetup Setup { get; private set; }

    /// <summary>The validator's verdict on <see cref="Setup"/>.</summary>
    public SetupCheck Check { get; private set; }

    /// <summary>The run in progress, or null.</summary>
    public RunRecord? Active { get; private set; }

    /// <summary>How far <see cref="Active"/> has got.</summary>
    public RunProgress Progress { get; private set; }

    /// <summary>Why the last run could not be saved to disk, or null.</summary>
    public string? SaveProblem { get; private set; }

    /// <summary>The run the results panel shows (the latest by default).</summary>
    public RunRecord? Shown { get; private set; }

    /// <summary>This session's runs, newest first.</summary>
    public IReadOnlyList<RunRecord> Runs
    {
        get
        {
            lock (_gate) return _runs.ToList();
        }
    }

    /// <summary>The runs picked for comparison, in the order picked.</summary>
    public IReadOnlyCollection<string> CompareIds => _compare;

    /// <summary>Replaces the setup and validates it.</summary>
    /// <param name="setup">The new setup.</param>
    public void Update(RunSetup setup)
    {
        Setup = setup;
        Check = SetupValidator.Check(setup, AstraSimBinary);
        Notify();
    }

    /// <summary>Loads a run's YAML files back into the form.</summary>
    /// <param name="run">The run.</param>
    public void LoadSetup(RunRecord run) => Update(SetupOf(run));

    /// <summary>The setup a run was made of.</summary>
    /// <param name="run">The run.</param>
    /// <returns>Its files.</returns>
    public static RunSetup SetupOf(RunRecord run) =>
        new(run.HardwareName, YamlDocument.Parse(run.HardwareYaml), run.ModelName, YamlDocument.Parse(run.ModelYaml));

    /// <summary>Shows a run in the results panel.</summary>
    /// <param name="run">The run.</param>
    public void Show(RunRecord run)
    {
        Shown = run;
        Notify();
    }

    /// <summary>Adds or removes a run from the comparison.</summary>
    /// <param name="id">The run's id.</param>
    /// <param name="selected">Whether it is compared.</param>
    public void SetCompared(string id, bool selected)
    {
        if (selected) _compare.Add(id);
        else _compare.Remove(id);
        Notify();
    }

    /// <summary>Finds a run of this session or on disk.</summary>
    /// <param name="id">Its id.</param>
    /// <returns>The run, or null.</returns>
    public RunRecord? Find(string id)
    {
        lock (_gate)
        {
            if (_runs.FirstOrDefault(r => r.Id == id) is { } run) return run;
        }

        return _archive.Load(id);
    }

    /// <summary>The saved runs on disk (all sessions'), newest first.</summary>
    /// <returns>The runs.</returns>
    public IReadOnlyList<RunRecord> SavedRuns() => _archive.List();

    /// <summary>Deletes a run from the session and the disk.</summary>
    /// <param name="id">Its id.</param>
    public void Delete(string id)
    {
        lock (_gate) _runs.RemoveAll(r => r.Id == id);
        _compare.Remove(id);
        if (Shown?.Id == id) Shown = null;
        _archive.Delete(id);
        Notify();
    }

    /// <summary>Starts one estimate of the current setup.</summary>
    /// <returns>False when a run is already going or the setup has errors.</returns>
    public bool StartEstimate()
    {
        var simulation = Check.Simulation;
        if (simulation is null) return false;
        return Start(RunKind.Estimate, Setup, Title(Setup, "estimate"), async (progress, token) =>
        {
            progress.Report(new RunProgress(0, 1));
            var outcome = await Task.Run(() => EstimateRunner.Run(simulation), token).WaitAsync(token).ConfigureAwait(false);
            progress.Report(new RunProgress(1, 1));
            return run => run with { Estimate = outcome };
        });
    }

    /// <summary>Starts a sweep of the current setup.</summary>
    /// <param name="axes">One or two axes.</param>
    /// <returns>False when a run is already going or the setup has errors.</returns>
    public bool StartSweep(IReadOnlyList<SweepAxis> axes)
    {
        if (!Check.CanRun || axes.Count is < 1 or > 2) return false;
        var request = new SweepRequest(Setup, axes, AstraSimBinary);
        var what = string.Join(" × ", axes.Select(a => $"{a.Label} ({a.Values.Count})"));
        return Start(RunKind.Sweep, Setup, Title(Setup, "sweep of " + what), async (progress, token) =>
        {
            var outcome = await _sweeps.RunAsync(request, progress, token).ConfigureAwait(false);
            return run => run with { Sweep = outcome };
        });
    }

    /// <summary>Starts a configuration search.</summary>
    /// <param name="request">The search (see <see cref="SearchRequest(int, string?, double, int, SearchLimits)"/>).</param>
    /// <returns>False when a run is already going or the setup has errors.</returns>
    public bool StartSearch(SearchRequest request)
    {
        if (!Check.CanRun) return false;
        return Start(RunKind.Search, request.Setup, Title(request.Setup, $"search on {request.Gpus} GPUs"), async (progress, token) =>
        {
            var outcome = await _searches.RunAsync(request, progress, token).ConfigureAwait(false);
            return run => run with { Search = outcome };
        });
    }

    /// <summary>The search request the current setup and these choices make.</summary>
    /// <param name="gpus">GPUs.</param>
    /// <param name="objective">The ranking, or null for the default.</param>
    /// <param name="headroom">Memory kept free, a fraction.</param>
    /// <param name="maxTensorParallel">The largest tensor-parallel degree.</param>
    /// <param name="limits">The limits on the axes.</param>
    /// <returns>The request.</returns>
    public SearchRequest SearchRequest(int gpus, string? objective, double headroom, int maxTensorParallel, SearchLimits limits) =>
        new(Setup, gpus, objective, headroom, maxTensorParallel, limits, AstraSimBinary);

    /// <summary>
    /// Estimates one candidate of a search in full (time breakdown, memory at the peak) as a run of its own, made of
    /// the search's files with the candidate's settings written in; it joins the history and, when asked, the
    /// comparison. A candidate estimated before in this session is shown again rather than run twice.
    /// </summary>
    /// <param name="search">The search run.</param>
    /// <param name="candidate">Its candidate.</param>
    /// <param name="compare">Also tick it for comparison.</param>
    /// <returns>False when another run is going or the run holds no search.</returns>
    public bool EstimateCandidate(RunRecord search, SearchCandidateRow candidate, bool compare)
    {
        if (search.Search is not { } outcome) return false;
        string? known;
        lock (_gate) _candidateRuns.TryGetValue((search.Id, candidate.Rank), out known);
        if (known is not null && Find(known) is { } done)
        {
            if (compare) _compare.Add(done.Id);
            Show(done);
            return true;
        }

        var parent = SetupOf(search);
        var setup = SearchPlanner.SetupOf(parent, candidate, outcome.Inference);
        var astra = AstraSimBinary;
        var title = Title(setup, $"candidate {candidate.Rank} of the search on {outcome.Gpus} GPUs ({candidate.Label})");
        return Start(RunKind.Estimate, setup, title, async (progress, token) =>
        {
            progress.Report(new RunProgress(0, 1));
            var estimate = await Task.Run(() => CandidateEstimate(parent, setup, candidate, outcome.Inference, astra), token).WaitAsync(token).ConfigureAwait(false);
            progress.Report(new RunProgress(1, 1));
            return run => run with { Estimate = estimate, SearchRunId = search.Id, CandidateRank = candidate.Rank };
        }, run =>
        {
            if (run.Status != RunStatus.Completed) return;
            _candidateRuns[(search.Id, candidate.Rank)] = run.Id;
            if (compare) _compare.Add(run.Id);
        });
    }

    /// <summary>Cancels the run in progress.</summary>
    public void Cancel() => _cancel?.Cancel();

    /// <inheritdoc />
    public void Dispose()
    {
        _cancel?.Cancel();
        _cancel?.Dispose();
    }

    // The candidate's files when they reproduce it (always for the newest schema); else the library's own variation of the search's setup.
    private static EstimateOutcome CandidateEstimate(RunSetup parent, RunSetup setup, SearchCandidateRow candidate, bool inference, string? astra)
    {
        var point = SearchPlanner.Point(candidate, inference);
        if (SetupValidator.Check(setup, astra).Simulation is { } simulation && RapidLlm.Search.SearchPoint.Of(simulation) == point)
            return EstimateRunner.Run(simulation);
        var template = SetupValidator.Check(parent, astra).Simulation
            ?? throw new InvalidOperationException("The search's files no longer validate.");
        var outcome = EstimateRunner.Run(RapidLlm.Search.ParallelismSearch.Simulation(template.ToBuilder(), point));
        return outcome with
        {
            Warnings = [.. outcome.Warnings, "The downloaded files cannot express every setting of this candidate (seed schema); the figures are the candidate's."],
        };
    }

    private bool Start(RunKind kind, RunSetup setup, string title, Func<IProgress<RunProgress>, CancellationToken, Task<Func<RunRecord, RunRecord>>> work,
        Action<RunRecord>? finished = null)
    {
        lock (_gate)
        {
            if (Active is not null) return false;
            var now = DateTimeOffset.UtcNow;
            Active = new RunRecord
            {
                Id = RunArchive.NewId(now), Kind = kind, Title = title, CreatedUtc = now,
                HardwareName = setup.HardwareName, HardwareYaml = setup.Hardware.Text,
                ModelName = setup.ModelName, ModelYaml = setup.Model.Text,
                Backend = BackendLabel(setup.Backend),
            };
            Progress = new RunProgress(0, 1);
        }

        _cancel?.Dispose();
        _cancel = new CancellationTokenSource();
        var token = _cancel.Token;
        var progress = new ThrottledProgress(this);
        var started = Stopwatch.StartNew();
        Notify();
        _ = Task.Run(async () =>
        {
            var run = Active!;
            try
            {
                var complete = await work(progress, token).ConfigureAwait(false);
                run = complete(run) with { Status = RunStatus.Completed };
            }
            catch (OperationCanceledException)
            {
                run = run with { Status = RunStatus.Cancelled, Error = "Cancelled." };
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                run = run with { Status = RunStatus.Failed, Error = e.Message };
            }

            run = run with { ElapsedSeconds = started.Elapsed.TotalSeconds };
            var problem = _archive.Save(run);
            lock (_gate)
            {
                _runs.Insert(0, run);
                Active = null;
                Shown = run;
                SaveProblem = problem;
                finished?.Invoke(run);
            }

            Notify();
        }, CancellationToken.None);
        return true;
    }

    /// <summary>The backend in words.</summary>
    /// <param name="backend">The backend.</param>
    /// <returns>Its name.</returns>
    public static string BackendLabel(BackendChoice backend) => backend switch
    {
        BackendChoice.AstraSimHybrid => "AstraSim hybrid",
        BackendChoice.AstraSimHierarchical => "AstraSim hierarchical",
        BackendChoice.AstraSimFlattened => "AstraSim flattened",
        _ => "analytical",
    };

    private static string Title(RunSetup setup, string what) =>
        $"{Path.GetFileNameWithoutExtension(setup.ModelName)} on {Path.GetFileNameWithoutExtension(setup.HardwareName)}: {what}";

    private void Notify() => Changed?.Invoke();

    // Progress from worker threads: stored at once, shown at most every 100 ms (and always at the end).
    private sealed class ThrottledProgress(WorkbenchSession session) : IProgress<RunProgress>
    {
        private long _lastTicks;

        public void Report(RunProgress value)
        {
            lock (session._gate)
            {
                if (value.Completed < session.Progress.Completed && value.Total == session.Progress.Total) return;
                session.Progress = value;
            }

            var now = Environment.TickCount64;
            if (value.Completed < value.Total && now - Interlocked.Read(ref _lastTicks) < 100) return;
            Interlocked.Exchange(ref _lastTicks, now);
            session.Notify();
        }
    }
}
