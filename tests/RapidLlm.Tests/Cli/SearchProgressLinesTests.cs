using Microsoft.Extensions.Time.Testing;
using RapidLlm.Cli;
using RapidLlm.Search;

namespace RapidLlm.Tests.Cli;

/// <summary>Progress without a terminal: a line every five seconds, also while no candidate has finished yet.</summary>
public class SearchProgressLinesTests
{
    [Test]
    public void A_line_comes_every_five_seconds_even_before_the_first_candidate_finishes()
    {
        var time = new FakeTimeProvider();
        using var stderr = new StringWriter();
        using (var lines = new SearchProgressDisplay.Lines(stderr, time))
        {
            time.Advance(TimeSpan.FromSeconds(4));
            Assert.That(stderr.ToString(), Is.Empty);
            time.Advance(TimeSpan.FromSeconds(1));
            Assert.That(stderr.ToString(), Is.EqualTo("search: estimating the first candidates, 5 s" + Environment.NewLine));

            lines.Report(new SearchProgress(1, 10, 1)); // within five seconds of the last line: quiet
            time.Advance(TimeSpan.FromSeconds(5));      // no report since: the timer repeats the latest
            lines.Report(new SearchProgress(2, 10, 1)); // again within five seconds
            time.Advance(TimeSpan.FromSeconds(3));
            lines.Report(new SearchProgress(3, 10, 2));
            time.Advance(TimeSpan.FromSeconds(2));
            lines.Report(new SearchProgress(10, 10, 5)); // the last one is always told once more lines were printed
        }

        time.Advance(TimeSpan.FromSeconds(30)); // disposed: the timer is gone
        Assert.That(stderr.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[]
        {
            "search: estimating the first candidates, 5 s",
            "search: 1/10 candidates (10 %), 1 fit, 10 s",
            "search: 3/10 candidates (30 %), 2 fit, 15 s",
            "search: 10/10 candidates (100 %), 5 fit, 15 s",
        }));
    }
}
