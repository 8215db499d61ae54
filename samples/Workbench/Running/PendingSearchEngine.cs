namespace RapidLlm.Workbench.Running;

/// <summary>Stands in until the library's configuration search is wired in.</summary>
public sealed class PendingSearchEngine : ISearchEngine
{
    /// <inheritdoc />
    public bool Available => false;

    /// <inheritdoc />
    public Task<SearchOutcome> RunAsync(SearchRequest request, IProgress<RunProgress> progress, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The configuration search is not available in this build.");
}
