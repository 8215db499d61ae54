using System.Collections.Immutable;
using System.Globalization;
using RapidLlm.Common;

namespace RapidLlm.Validation;

/// <summary>
/// H200 against H100 at maximum load: for each published pair (TensorRT-LLM perf overview, MLPerf Inference v4.1
/// Llama-2-70B offline), predicts both systems' output tokens per second with <see cref="MaxLoadSearch"/> and compares
/// the predicted H200/H100 ratio with the published one. Comparing ratios cancels what both devices share (the GH100
/// die, the serving stack's efficiency, our lack of an FP8 compute rate) and isolates what the H200 changes: HBM3e
/// capacity (a larger batch) and bandwidth (faster decode).
/// </summary>
public static class MaxLoadRatioSuite
{
    /// <summary>The suite's identifier.</summary>
    public const string Id = "h200-h100-max-load-ratio";

    /// <summary>The data file, relative to <see cref="ValidationSources.DataDirectory"/>.</summary>
    public const string DataFile = "h200_data/h200_vs_h100_max_load.csv";

    /// <summary>Reads the published pairs.</summary>
    /// <param name="sources">Data and config folders (model files resolve in its <c>model-config</c>).</param>
    public static IReadOnlyList<MaxLoadPair> Pairs(ValidationSources sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        return CsvTable.Read(sources.Data(DataFile)).Rows.Select(r => new MaxLoadPair(
            r.Text("source"), r.Text("model"), sources.Model(r.Text("model_file")),
            r.Integer("gpus_h100"), r.Integer("tp_h100"), r.Integer("gpus_h200"), r.Integer("tp_h200"),
            r.Integer("input_tokens"), r.Integer("output_tokens"),
            r.Number("h100_tokens_per_s"), r.Number("h200_tokens_per_s"))).ToList();
    }

    /// <summary>Predicts every pair (in parallel) on the two presets.</summary>
    /// <param name="sources">Data and config folders.</param>
    /// <param name="h100File">H100 hardware preset.</param>
    /// <param name="h200File">H200 hardware preset.</param>
    /// <param name="search">Batch search settings; defaults when null.</param>
    /// <returns>One result per pair, in file order.</returns>
    public static IReadOnlyList<MaxLoadPairResult> Predict(ValidationSources sources, string h100File, string h200File, MaxLoadSearch? search = null)
    {
        var s = search ?? new MaxLoadSearch();
        var pairs = Pairs(sources);
        var results = new MaxLoadPairResult[pairs.Count];
        Parallel.For(0, pairs.Count, i =>
        {
            var p = pairs[i];
            results[i] = new MaxLoadPairResult(p,
                s.Predict(h100File, p.ModelFile, p.H100Gpus, p.H100Tp, p.InputTokens, p.OutputTokens),
                s.Predict(h200File, p.ModelFile, p.H200Gpus, p.H200Tp, p.InputTokens, p.OutputTokens));
        });
        return results;
    }

    /// <summary>Runs the suite and reports it like the other suites (measured = published ratio).</summary>
    /// <param name="sources">Data and config folders.</param>
    /// <param name="h100File">H100 hardware preset.</param>
    /// <param name="h200File">H200 hardware preset.</param>
    /// <param name="search">Batch search settings; defaults when null.</param>
    public static SuiteResult Run(ValidationSources sources, string h100File, string h200File, MaxLoadSearch? search = null) =>
        ToSuiteResult(Predict(sources, h100File, h200File, search), h100File, h200File);

    /// <summary>Wraps pair results as a <see cref="SuiteResult"/> so reports and error summaries apply.</summary>
    /// <param name="results">Pair results.</param>
    /// <param name="h100File">H100 hardware preset.</param>
    /// <param name="h200File">H200 hardware preset.</param>
    public static SuiteResult ToSuiteResult(IReadOnlyList<MaxLoadPairResult> results, string h100File, string h200File)
    {
        ArgumentNullException.ThrowIfNull(results);
        var points = results.Select(r =>
        {
            var p = r.Pair;
            var point = new ValidationPoint(Label(p), h200File, p.ModelFile, "", "", ValidationMetric.ThroughputRatio, p.PublishedRatio)
            {
                Tags = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
                {
                    ["model"] = p.Model, ["source"] = p.Source,
                }),
            };
            return new PointResult(point, r.PredictedRatio, null);
        }).ToList();
        var suite = new ValidationSuite(Id, "H200 / H100 output throughput at maximum load (ratio)",
            "TensorRT-LLM perf overview (FP8, max load) and MLPerf Inference v4.1 Llama-2-70B offline (h200_vs_h100_max_load.csv)",
            ValidationMetric.ThroughputRatio, new EquatableArray<ValidationPoint>(points.Select(p => p.Point)))
        {
            Notes = $"Per device: largest batch per replica (≤ cap) whose memory peak fits; system tok/s = replicas × batch × "
                + $"output tokens / (prefill + decode s). Ratio = H200 / H100. Presets {Path.GetFileName(h100File)} and {Path.GetFileName(h200File)}.",
        };
        return new SuiteResult(suite, new EquatableArray<PointResult>(points));
    }

    /// <summary>Short label of a pair, for example <c>Llama-3.1-8B TP1/TP1 1000/1000</c>.</summary>
    /// <param name="pair">The pair.</param>
    public static string Label(MaxLoadPair pair)
    {
        ArgumentNullException.ThrowIfNull(pair);
        return string.Create(CultureInfo.InvariantCulture,
            $"{pair.Model} H100 {pair.H100Gpus}×TP{pair.H100Tp} / H200 {pair.H200Gpus}×TP{pair.H200Tp} {pair.InputTokens}/{pair.OutputTokens}");
    }
}
