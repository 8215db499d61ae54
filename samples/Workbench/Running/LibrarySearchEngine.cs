using Microsoft.Extensions.Options;
using RapidLlm.Search;
using RapidLlm.Workbench.Setup;

namespace RapidLlm.Workbench.Running;

/// <summary>Runs configuration searches with the library's <see cref="ParallelismSearch"/> on the thread pool.</summary>
/// <param name="options">The workbench options (threads per run).</param>
public sealed class LibrarySearchEngine(IOptions<WorkbenchOptions> options) : ISearchEngine
{
    /// <inheritdoc />
    public Task<SearchOutcome> RunAsync(SearchRequest request, IProgress<RunProgress> progress, CancellationToken cancellationToken)
    {
        var check = SetupValidator.Check(request.Setup, request.AstraSimBinary);
        var simulation = check.Simulation
            ?? throw new InvalidOperationException("The setup has errors: " + string.Join("; ", check.Problems.Where(p => p.IsError)));
        var searchOptions = SearchPlanner.Options(request, simulation, options.Value.MaxThreadsPerRun);
        var reporter = new Progress(progress);
        return Task.Run(() =>
        {
            var total = ParallelismSearch.Candidates(simulation.ToBuilder(), searchOptions).Count;
            progress.Report(new RunProgress(0, total));
            var result = ParallelismSearch.Run(simulation.ToBuilder(), searchOptions, reporter, cancellationToken);
            return SearchPlanner.Outcome(request, result);
        }, cancellationToken);
    }

    // The library reports from its estimating threads, in order; passed on as it comes.
    private sealed class Progress(IProgress<RunProgress> inner) : IProgress<SearchProgress>
    {
        public void Report(SearchProgress value) => inner.Report(new RunProgress(value.Completed, value.Total, value.Feasible));
    }
}
