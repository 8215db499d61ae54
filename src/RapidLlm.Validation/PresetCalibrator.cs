using RapidLlm.Configuration;
using System.Collections.Immutable;

namespace RapidLlm.Validation;

/// <summary>
/// Fits hardware-file efficiency values to measured suites by coordinate descent: each round tries every candidate of
/// every parameter with the others held, keeping a change only when the objective (the mean over suites of each
/// suite's mean |error|) drops. Deterministic; the suites' points should all use the hardware file being calibrated.
/// </summary>
/// <param name="runner">Runs the suites.</param>
public sealed class PresetCalibrator(ValidationRunner runner)
{
    /// <summary>Calibrates <paramref name="parameters"/> against <paramref name="suites"/>.</summary>
    /// <param name="suites">Measured suites whose points use the hardware file to calibrate.</param>
    /// <param name="parameters">What may change.</param>
    /// <param name="rounds">Coordinate-descent rounds (stops early when a round changes nothing).</param>
    public CalibrationResult Calibrate(IReadOnlyList<ValidationSuite> suites, IReadOnlyList<CalibrationParameter> parameters, int rounds = 3)
    {
        ArgumentNullException.ThrowIfNull(suites);
        ArgumentNullException.ThrowIfNull(parameters);
        var before = runner.Run(suites);
        var chosen = new Dictionary<string, double>(StringComparer.Ordinal);
        var best = Objective(before);
        for (var round = 0; round < rounds; round++)
        {
            var changed = false;
            foreach (var parameter in parameters)
            {
                foreach (var candidate in parameter.Candidates)
                {
                    if (chosen.TryGetValue(parameter.Path, out var current) && current == candidate) continue;
                    var trial = new Dictionary<string, double>(chosen, StringComparer.Ordinal) { [parameter.Path] = candidate };
                    var score = Objective(runner.Run(Apply(suites, parameters, trial)));
                    if (score >= best - 1e-9) continue;
                    best = score;
                    chosen = trial;
                    changed = true;
                }
            }

            if (!changed) break;
        }

        var after = runner.Run(Apply(suites, parameters, chosen));
        return new CalibrationResult(chosen.ToImmutableSortedDictionary(StringComparer.Ordinal), OverlayFor(parameters, chosen), before, after);
    }

    /// <summary>The objective: mean over suites of each suite's mean |error|; failed points count as 100 %.</summary>
    /// <param name="results">Suite results.</param>
    public static double Objective(IEnumerable<SuiteResult> results) =>
        results.Select(r => r.Points.Select(p => p.Predicted is null ? 100.0 : p.AbsErrorPercent).DefaultIfEmpty(0).Average()).Average();

    private static IReadOnlyList<ValidationSuite> Apply(IReadOnlyList<ValidationSuite> suites, IReadOnlyList<CalibrationParameter> parameters, Dictionary<string, double> values)
    {
        var overlay = OverlayFor(parameters, values);
        if (overlay.Length == 0) return suites;
        return suites.Select(s => s with
        {
            Points = new Common.EquatableArray<ValidationPoint>(s.Points.Select(p => p with
            {
                // The calibrated values go first so each row's own overlay (its parallelism) still wins.
                HardwareOverlay = p.HardwareOverlay.Length == 0 ? overlay : YamlOverlay.Merge(overlay, p.HardwareOverlay),
            })),
        }).ToList();
    }

    private static string OverlayFor(IReadOnlyList<CalibrationParameter> parameters, Dictionary<string, double> values)
    {
        var overlay = "";
        foreach (var p in parameters.Where(p => values.ContainsKey(p.Path)))
            overlay = overlay.Length == 0 ? p.Overlay(values[p.Path]) : YamlOverlay.Merge(overlay, p.Overlay(values[p.Path]));
        return overlay;
    }
}
