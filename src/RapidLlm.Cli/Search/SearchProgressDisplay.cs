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

    public static SearchResult Run(TextWriter stderr, bool silent, Func<IProgress<SearchProgress>?, SearchResult> search, TimeProvider? time = null)
    {
        if (silent) return search(null);
        if (!Console.IsErrorRedirected && ReferenceEquals(stderr, Console.Error)) return WithBar(search);
        using var lines = new Lines(stderr, time ?? TimeProvider.System);
        return search(lines);
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

    /// <summary>
    /// A line every few seconds: after a report when the last line is that old, and from a timer while no candidate
    /// finishes (the slowest candidates start first, so the first reports can take a while).
    /// </summary>
    internal sealed class Lines : IProgress<SearchProgress>, IDisposable
    {
        private readonly TextWriter _stderr;
        private readonly TimeProvider _time;
        private readonly long _start;
        private readonly ITimer _heartbeat;
        private readonly object _gate = new();
        private SearchProgress? _last;
        private TimeSpan _next = LineInterval;

        public Lines(TextWriter stderr, TimeProvider time)
        {
            (_stderr, _time) = (stderr, time);
            _start = time.GetTimestamp();
            _heartbeat = time.CreateTimer(_ => Beat(), null, LineInterval, LineInterval);
        }

        private TimeSpan Elapsed => _time.GetElapsedTime(_start);

        public void Report(SearchProgress value)
        {
            lock (_gate)
            {
                _last = value;
                if (Elapsed < _next && value.Completed < value.Total) return;
                if (value.Completed == value.Total && _next == LineInterval) return;
                Write(value);
            }
        }

        public void Dispose() => _heartbeat.Dispose();

        private void Beat()
        {
            lock (_gate)
            {
                if (Elapsed < _next) return;
                if (_last is { } last) Write(last);
                else
                {
                    _next = Elapsed + LineInterval;
                    _stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"search: estimating the first candidates, {Elapsed.TotalSeconds:F0} s"));
                }
            }
        }

        private void Write(SearchProgress value)
        {
            _next = Elapsed + LineInterval;
            _stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"search: {value.Completed}/{value.Total} candidates ({value.Fraction * 100:F0} %), {value.Feasible} fit, {Elapsed.TotalSeconds:F0} s"));
        }
    }
}
