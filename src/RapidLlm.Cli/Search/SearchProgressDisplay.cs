using System.Diagnostics;
using System.Globalization;
using RapidLlm.Search;
using Spectre.Console;

namespace RapidLlm.Cli;

/// <summary>
/// Shows a search's progress on stderr: a live bar when stderr is a terminal, a line every few seconds otherwise,
/// nothing with <c>--no-progress</c>.
/// </summary>
internal static class SearchProgressDisplay
{
    private static readonly TimeSpan LineInterval = TimeSpan.FromSeconds(5);

    public static SearchResult Run(TextWriter stderr, bool silent, Func<IProgress<SearchProgress>?, SearchResult> search)
    {
        if (silent) return search(null);
        if (!Console.IsErrorRedirected && ReferenceEquals(stderr, Console.Error)) return WithBar(search);
        return search(new Lines(stderr));
    }

    private static SearchResult WithBar(Func<IProgress<SearchProgress>?, SearchResult> search)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("candidates", maxValue: 1);
                var result = search(new Bar(task));
                task.Value = task.MaxValue;
                return result;
            });
    }

    private sealed class Bar(ProgressTask task) : IProgress<SearchProgress>
    {
        public void Report(SearchProgress value)
        {
            task.MaxValue = Math.Max(1, value.Total);
            task.Value = value.Completed;
            task.Description = string.Create(CultureInfo.InvariantCulture, $"{value.Completed}/{value.Total} candidates, {value.Feasible} fit");
        }
    }

    private sealed class Lines(TextWriter stderr) : IProgress<SearchProgress>
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private TimeSpan _next = LineInterval;

        public void Report(SearchProgress value)
        {
            // Reports arrive in order under the search's lock, so this needs no lock of its own.
            if (_clock.Elapsed < _next && value.Completed < value.Total) return;
            if (value.Completed == value.Total && _next == LineInterval) return;
            _next = _clock.Elapsed + LineInterval;
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"search: {value.Completed}/{value.Total} candidates ({value.Fraction * 100:F0} %), {value.Feasible} fit, {_clock.Elapsed.TotalSeconds:F0} s"));
        }
    }
}
