using System.Globalization;

namespace RapidLlm.Validation;

/// <summary>One fold of an engine parameter's cross-validation: fitted on some rows, tested on the others.</summary>
/// <param name="Engine">The engine's stage name.</param>
/// <param name="Fold">Which rows were fitted, in words.</param>
/// <param name="Parameter">The fitted parameter's path.</param>
/// <param name="FittedValue">The value fitted on the fold's rows.</param>
/// <param name="FitRows">Rows fitted to.</param>
/// <param name="FitErrorPercent">Mean |error| on the fitted rows.</param>
/// <param name="HeldOutRows">Rows held out.</param>
/// <param name="HeldOutErrorPercent">Mean |error| on the held-out rows with the fitted value.</param>
public sealed record EngineFold(
    string Engine, string Fold, string Parameter, double FittedValue, int FitRows, double FitErrorPercent, int HeldOutRows, double HeldOutErrorPercent);

/// <summary>
/// Checks that one engine parameter generalises across its engine's rows: fit it on half the rows (every other row, in
/// both halvings, and for NIM on one device), then measure the other half with the fitted value. Flagged rows are left
/// out of both halves.
/// </summary>
public static class EngineCrossValidation
{
    /// <summary>Runs every fold of both engines on the given presets (the engine files come from <paramref name="sources"/>).</summary>
    /// <param name="sources">The public suites.</param>
    /// <param name="a100Preset">The calibrated A100 preset.</param>
    /// <param name="h100Preset">The calibrated H100 preset.</param>
    public static IReadOnlyList<EngineFold> Run(ValidationSources sources, string a100Preset, string h100Preset)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var scratch = Path.Combine(Path.GetTempPath(), "rapidllm-engine-cv-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(scratch);
        try
        {
            var folds = new List<EngineFold>();
            var vllm = File.ReadAllText(sources.Engine(ValidationCatalog.VllmEngineFile));
            var koyeb = Rows(KoyebSuite.Create(sources, a100Preset, sources.Engine(ValidationCatalog.VllmEngineFile)));
            foreach (var (name, fit) in Halves(koyeb))
            {
                folds.Add(Fold(vllm, name, fit, koyeb.Except(fit).ToHashSet(StringComparer.Ordinal),
                    rows => StandardCalibration.VllmEngine(sources, a100Preset, scratch, p => rows.Contains(Key(p)))));
            }

            var nim = File.ReadAllText(sources.Engine(ValidationCatalog.NimEngineFile));
            var nimA100 = Rows(NimInferenceSuite.Create(sources, "A100", ValidationMetric.TimeToFirstTokenSeconds, a100Preset, sources.Engine(ValidationCatalog.NimEngineFile)));
            var nimH100 = Rows(NimInferenceSuite.Create(sources, "H100", ValidationMetric.TimeToFirstTokenSeconds, h100Preset, sources.Engine(ValidationCatalog.NimEngineFile)));
            var all = nimA100.Concat(nimH100).ToList();
            var nimFolds = Halves(nimA100).Zip(Halves(nimH100), (a, h) => (a.Name, Rows: a.Rows.Concat(h.Rows).ToList()))
                .Append(("fit on 8×A100, test on 4×H100", nimA100)).Append(("fit on 4×H100, test on 8×A100", nimH100));
            foreach (var (name, fit) in nimFolds)
            {
                folds.Add(Fold(nim, name, fit, all.Except(fit).ToHashSet(StringComparer.Ordinal),
                    rows => StandardCalibration.NimEngine(sources, a100Preset, h100Preset, scratch, p => rows.Contains(Key(p)))));
            }

            return folds;
        }
        finally
        {
            if (Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true);
        }
    }

    private static EngineFold Fold(
        string engineYaml, string name, IReadOnlyCollection<string> fitRows, IReadOnlySet<string> heldOut, Func<IReadOnlySet<string>, FitStage> stage)
    {
        var fitSet = fitRows.ToHashSet(StringComparer.Ordinal);
        var (fitted, results) = DeviceCalibrator.Fit(engineYaml, [stage(fitSet)]);
        var fit = results[0];
        var parameter = fit.Stage.Parameters[0].Path;
        var heldOutError = stage(heldOut).Objective(fitted);
        return new EngineFold(fit.Stage.Name, name, parameter, fit.After[parameter], fitSet.Count, fit.ObjectiveAfter, heldOut.Count, heldOutError);
    }

    // Comparable rows (predicted, not flagged) by suite and label, in suite order.
    private static List<string> Rows(ValidationSuite suite) =>
        suite.Points.Where(p => p.SkipReason is null && p.FlagReason is null).Select(Key).ToList();

    private static string Key(ValidationPoint point) =>
        string.Create(CultureInfo.InvariantCulture, $"{point.HardwareFile}|{point.Metric}|{point.Label}");

    private static IEnumerable<(string Name, List<string> Rows)> Halves(List<string> rows)
    {
        yield return ("fit on even rows, test on odd", rows.Where((_, i) => i % 2 == 0).ToList());
        yield return ("fit on odd rows, test on even", rows.Where((_, i) => i % 2 == 1).ToList());
    }
}
