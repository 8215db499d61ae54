using RapidLlm.Configuration;
using System.Globalization;

namespace RapidLlm.Validation;

/// <summary>
/// Fits calibrated-model parameters of one hardware file, stage by stage: each stage's parameters are set by
/// coordinate descent, a golden-section search of each parameter within its bounds (on a log scale when they span
/// more than a factor of 4) with the others held, repeated until a round improves the stage's objective by less than
/// 0.01 points. Later stages see the values earlier stages chose. Deterministic.
/// </summary>
public static class DeviceCalibrator
{
    private const int SearchSteps = 18;
    private static readonly double InverseGolden = (Math.Sqrt(5) - 1) / 2;

    /// <summary>Runs every stage in order on <paramref name="hardwareYaml"/>.</summary>
    /// <param name="hardwareYaml">The starting document.</param>
    /// <param name="stages">The stages.</param>
    /// <param name="rounds">Most coordinate-descent rounds per stage.</param>
    /// <param name="progress">Receives one line per finished parameter search; may be null.</param>
    /// <returns>The fitted document and each stage's outcome.</returns>
    public static (string HardwareYaml, IReadOnlyList<FitStageResult> Stages) Fit(
        string hardwareYaml, IReadOnlyList<FitStage> stages, int rounds = 3, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(hardwareYaml);
        ArgumentNullException.ThrowIfNull(stages);
        var yaml = hardwareYaml;
        var results = new List<FitStageResult>();
        foreach (var stage in stages)
        {
            var before = stage.Parameters.ToDictionary(p => p.Path, p => Value(yaml, p.Path), StringComparer.Ordinal);
            // A starting value outside its bounds is moved to the nearest bound, so every fitted value respects them.
            foreach (var p in stage.Parameters)
                if (before[p.Path] is { } v && (v < p.Lower || v > p.Upper)) yaml = YamlOverlay.Merge(yaml, p.Overlay(Math.Clamp(v, p.Lower, p.Upper)));
            var evaluations = 1;
            var best = stage.Objective(yaml);
            var start = best;
            for (var round = 0; round < rounds; round++)
            {
                var roundStart = best;
                foreach (var parameter in stage.Parameters)
                {
                    var (value, error, count) = Search(yaml, parameter, stage.Objective);
                    evaluations += count;
                    if (error < best)
                    {
                        best = error;
                        yaml = YamlOverlay.Merge(yaml, parameter.Overlay(value));
                    }

                    progress?.Invoke(string.Create(CultureInfo.InvariantCulture,
                        $"{stage.Name}: {parameter.Path} = {Value(yaml, parameter.Path):G6} → {best:F3} % (round {round + 1})"));
                }

                if (roundStart - best < 0.01) break;
            }

            var after = stage.Parameters.ToDictionary(p => p.Path, p => Value(yaml, p.Path) ?? double.NaN, StringComparer.Ordinal);
            results.Add(new FitStageResult(stage, before, after, start, best, evaluations));
        }

        return (yaml, results);
    }

    // Golden-section search of one parameter, the others held at their values in the document.
    private static (double Value, double Error, int Evaluations) Search(string yaml, FitParameter parameter, Func<string, double> objective)
    {
        var logScale = parameter.Lower > 0 && parameter.Upper / parameter.Lower > 4;
        double To(double u) => logScale ? Math.Exp(u) : u;
        double a = logScale ? Math.Log(parameter.Lower) : parameter.Lower, b = logScale ? Math.Log(parameter.Upper) : parameter.Upper;
        var cache = new Dictionary<double, double>();
        double Error(double u)
        {
            if (!cache.TryGetValue(u, out var e))
            {
                e = objective(YamlOverlay.Merge(yaml, parameter.Overlay(Round(To(u)))));
                if (double.IsNaN(e)) e = double.PositiveInfinity;
                cache[u] = e;
            }

            return e;
        }

        var c = b - InverseGolden * (b - a);
        var d = a + InverseGolden * (b - a);
        for (var step = 0; step < SearchSteps; step++)
        {
            if (Error(c) <= Error(d)) b = d;
            else a = c;
            c = b - InverseGolden * (b - a);
            d = a + InverseGolden * (b - a);
        }

        var u = (a + b) / 2;
        var value = Round(To(u));
        return (value, Error(u), cache.Count);
    }

    // Four significant digits: what a hardware file states.
    private static double Round(double value) => value == 0 ? 0 : double.Parse(value.ToString("G4", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static double? Value(string yaml, string path) =>
        YamlOverlay.ValueAt(yaml, path) is { } text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
}
