using System.Globalization;
using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Search;
using Spectre.Console;

namespace RapidLlm.Cli;

/// <summary>The top candidates on stdout: a Spectre table on a terminal, the result's Markdown table otherwise.</summary>
internal static class SearchTable
{
    public static void Write(TextWriter stdout, SearchResult result, int rows)
    {
        if (Console.IsOutputRedirected || !ReferenceEquals(stdout, Console.Out))
        {
            stdout.Write(result.ToMarkdown(rows));
            if (result.Best is { } first) stdout.WriteLine("Best: " + first);
            else stdout.WriteLine("No candidate fits in memory.");
            return;
        }

        var training = result.RunType == RunType.Training;
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"[bold]{result.Gpus} GPUs, {result.RunType.ToString().ToLowerInvariant()}[/], best {Markup.Escape(ObjectiveText(result.Objective))} first");
        var columns = training
            ? new[] { "#", "tp", "cp", "pp", "dp", "ep", "mb", "ZeRO", "recompute", "schedule", "time/batch", "tokens/s", "MFU", "peak/GPU", "fits" }
            : ["#", "tp", "cp", "pp", "replicas", "batch", "total", "TTFT", "tokens/s", "MFU", "peak/GPU", "fits"];
        foreach (var column in columns) table.AddColumn(new TableColumn(column).RightAligned());
        var rank = 0;
        foreach (var c in result.Candidates.Take(rows))
        {
            var p = c.Point;
            rank++;
            var mfu = (c.ModelFlopsUtilization * 100).ToString("F1", CultureInfo.InvariantCulture) + " %";
            var fits = c.Fits ? "[green]yes[/]" : "[red]no[/]";
            var cells = training
                ? new[]
                {
                    I(rank), p.TensorLabel, I(p.ContextParallel), I(p.PipelineStages), I(p.DataParallel), I(p.ExpertParallel), I(p.MicroBatches),
                    I(p.ZeroStage), p.RecomputeName, Markup.Escape(p.Schedule.ToString()), Quantity.Seconds(c.TimePerBatchSeconds ?? 0),
                    Quantity.Rate(c.TokensPerSecond, "tok"), mfu, Quantity.Bytes(c.PeakMemoryBytes), fits,
                }
                : [
                    I(rank), p.TensorLabel, I(p.ContextParallel), I(p.PipelineStages), I(p.Replicas), I(p.Batch), Quantity.Seconds(c.TotalSeconds ?? 0),
                    Quantity.Seconds(c.TimeToFirstTokenSeconds ?? 0), Quantity.Rate(c.TokensPerSecond, "tok"), mfu, Quantity.Bytes(c.PeakMemoryBytes), fits,
                ];
            table.AddRow(cells);
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        console.Write(table);
        console.MarkupLine(result.Best is { } best ? "[bold]Best:[/] " + Markup.Escape(best.ToString()) : "[red]No candidate fits in memory.[/]");
    }

    private static string ObjectiveText(SearchObjective objective) => objective switch
    {
        SearchObjective.TimePerBatch => "time per batch",
        SearchObjective.Throughput => "throughput",
        _ => "time to first token",
    };

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}
