using System.Globalization;
using System.Text;
using System.Text.Json;
using RapidLlm.Workbench.Setup;

namespace RapidLlm.Workbench.Running;

/// <summary>
/// A sweep as a grid of YAML edits: each point sets the axes' values in the setup's files, validates them with the
/// library and runs its estimate, on every core; the points come back in grid order whatever the thread count.
/// </summary>
public sealed class GridSweepEngine : ISweepEngine
{
    /// <inheritdoc />
    public async Task<SweepOutcome> RunAsync(SweepRequest request, IProgress<RunProgress> progress, CancellationToken cancellationToken)
    {
        var grid = Grid(request.Axes);
        var points = new SweepPoint?[grid.Count];
        var done = 0;
        var gate = new Lock();
        progress.Report(new RunProgress(0, grid.Count));
        var options = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount };
        await Parallel.ForEachAsync(Enumerable.Range(0, grid.Count), options, (i, token) =>
        {
            token.ThrowIfCancellationRequested();
            points[i] = Estimate(request, grid[i]);
            // Reported under a lock so progress is monotone whatever the thread count.
            lock (gate) progress.Report(new RunProgress(++done, grid.Count));
            return ValueTask.CompletedTask;
        }).ConfigureAwait(false);

        var list = points.Select(p => p!).ToList();
        return new SweepOutcome(request.Axes, list, ToJson(request.Axes, list), ToCsv(request.Axes, list));
    }

    /// <summary>Every combination of the axes' values, the first axis varying slowest.</summary>
    /// <param name="axes">The axes.</param>
    /// <returns>The points' values.</returns>
    public static List<IReadOnlyList<string>> Grid(IReadOnlyList<SweepAxis> axes)
    {
        var grid = new List<IReadOnlyList<string>> { Array.Empty<string>() };
        foreach (var axis in axes)
            grid = grid.SelectMany(prefix => axis.Values.Select(v => (IReadOnlyList<string>)[.. prefix, v])).ToList();
        return grid;
    }

    private static SweepPoint Estimate(SweepRequest request, IReadOnlyList<string> values)
    {
        var setup = request.Setup;
        for (var a = 0; a < request.Axes.Count; a++)
        {
            var field = FormFields.Find(request.Axes[a].FieldId) ?? throw new InvalidOperationException($"unknown sweep field {request.Axes[a].FieldId}");
            setup = setup.WithValue(field, values[a]);
        }

        var check = SetupValidator.Check(setup, request.AstraSimBinary);
        if (check.Simulation is null)
        {
            var first = check.Problems.FirstOrDefault(p => p.IsError);
            return new SweepPoint(values, first?.ToString() ?? "invalid", null, null, null, null, []);
        }

        try
        {
            var outcome = EstimateRunner.Run(check.Simulation);
            return new SweepPoint(values, null, outcome.TimeSeconds, outcome.TokensPerSecond, outcome.Memory?.PeakBytes,
                outcome.Memory?.CapacityBytes, outcome.Warnings);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or NotSupportedException or RapidLlm.Simulation.UnsupportedFeatureException)
        {
            return new SweepPoint(values, e.Message, null, null, null, null, []);
        }
    }

    private static string ToJson(IReadOnlyList<SweepAxis> axes, IReadOnlyList<SweepPoint> points)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartArray("axes");
            foreach (var axis in axes)
            {
                json.WriteStartObject();
                json.WriteString("setting", axis.YamlPath);
                json.WriteStartArray("values");
                foreach (var v in axis.Values) json.WriteStringValue(v);
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("points");
            foreach (var p in points)
            {
                json.WriteStartObject();
                json.WriteStartObject("values");
                for (var a = 0; a < axes.Count; a++) json.WriteString(axes[a].YamlPath, p.Values[a]);
                json.WriteEndObject();
                Number(json, "time_s", p.TimeSeconds);
                Number(json, "tokens_per_s", p.TokensPerSecond);
                Number(json, "peak_memory_bytes", p.PeakMemoryBytes);
                Number(json, "capacity_bytes", p.CapacityBytes);
                json.WriteBoolean("fits", p.Fits);
                if (p.Error is { } error) json.WriteString("error", error);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());

        static void Number(Utf8JsonWriter json, string name, double? value)
        {
            if (value is { } v && double.IsFinite(v)) json.WriteNumber(name, v);
            else json.WriteNull(name);
        }
    }

    private static string ToCsv(IReadOnlyList<SweepAxis> axes, IReadOnlyList<SweepPoint> points)
    {
        var text = new StringBuilder();
        text.Append(string.Join(",", axes.Select(a => Escape(a.YamlPath)))).Append(",time_s,tokens_per_s,peak_memory_bytes,capacity_bytes,fits,error\n");
        foreach (var p in points)
        {
            text.Append(string.Join(",", p.Values.Select(Escape))).Append(',')
                .Append(N(p.TimeSeconds)).Append(',').Append(N(p.TokensPerSecond)).Append(',')
                .Append(N(p.PeakMemoryBytes)).Append(',').Append(N(p.CapacityBytes)).Append(',')
                .Append(p.Fits ? "true" : "false").Append(',').Append(Escape(p.Error ?? "")).Append('\n');
        }

        return text.ToString();

        static string N(double? v) => v is { } x ? x.ToString("R", CultureInfo.InvariantCulture) : "";
    }

    private static string Escape(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
}
