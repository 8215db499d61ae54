using System.Collections.Concurrent;
using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Simulation;
using RapidLlm.Execution;
using RapidLlm.Inference;
using RapidLlm.Results;

namespace RapidLlm.Validation;

/// <summary>
/// Predicts every point of one or more suites and compares with the measurements. Points run in parallel; points that
/// resolve to the same hardware share one <see cref="DeviceModels"/>, and points that resolve to the same hardware and
/// model (for example the first-token and inter-token views of one request) share one estimate.
/// </summary>
public sealed class ValidationRunner
{
    private readonly ValidationRunnerOptions _options;

    /// <summary>Creates a runner.</summary>
    /// <param name="options">Options; defaults when null.</param>
    public ValidationRunner(ValidationRunnerOptions? options = null) => _options = options ?? new ValidationRunnerOptions();

    /// <summary>Runs one suite.</summary>
    /// <param name="suite">The suite.</param>
    public SuiteResult Run(ValidationSuite suite) => Run([suite])[0];

    /// <summary>Runs several suites, sharing caches across them.</summary>
    /// <param name="suites">The suites.</param>
    /// <returns>One result per suite, in the given order.</returns>
    public IReadOnlyList<SuiteResult> Run(IEnumerable<ValidationSuite> suites)
    {
        ArgumentNullException.ThrowIfNull(suites);
        var list = suites.ToList();
        var session = new Session(_options);
        var work = list.SelectMany((suite, s) => suite.Points.Select((point, p) => (s, p, point))).ToList();
        var outcomes = new PointResult[work.Count];
        Parallel.For(0, work.Count, new ParallelOptions { MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism },
            i => outcomes[i] = session.Evaluate(work[i].point));
        var cursor = 0;
        return list.Select(suite =>
        {
            var points = outcomes.Skip(cursor).Take(suite.Points.Count).ToArray();
            cursor += suite.Points.Count;
            return new SuiteResult(suite, new EquatableArray<PointResult>(points));
        }).ToList();
    }

    /// <summary>Caches of one <see cref="Run(IEnumerable{ValidationSuite})"/> call; never shared between calls.</summary>
    private sealed class Session(ValidationRunnerOptions options)
    {
        private readonly ConcurrentDictionary<string, Lazy<string>> _files = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, Lazy<DeviceModels>> _devices = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<(string Hardware, string Model), Lazy<Estimate>> _estimates = new();

        public PointResult Evaluate(ValidationPoint point)
        {
            if (point.SkipReason is { } reason) return new PointResult(point, null, reason);
            var forced = false;
            try
            {
                var hardwareText = YamlOverlay.Merge(Read(point.HardwareFile), point.HardwareOverlay);
                if (options.ForceAnalytical) hardwareText = YamlOverlay.ForceAnalytical(hardwareText, out forced);
                var modelText = YamlOverlay.Merge(Read(point.ModelFile), point.ModelOverlay);
                var estimate = _estimates.GetOrAdd((hardwareText, modelText),
                    key => new Lazy<Estimate>(() => Predict(key.Hardware, key.Model, point))).Value;
                return new PointResult(point, estimate.Value(point.Metric), null) { ForcedAnalytical = forced };
            }
            catch (Exception e) when (e is ConfigurationException or UnsupportedFeatureException or FormatException or InvalidOperationException or IOException
                                           or BackendUnavailableException or BackendRunException)
            {
                return new PointResult(point, null, $"{e.GetType().Name}: {FirstLine(e.Message)}") { ForcedAnalytical = forced };
            }
        }

        private string Read(string path) =>
            _files.GetOrAdd(Path.GetFullPath(path), full => new Lazy<string>(() => File.ReadAllText(full))).Value;

        private Estimate Predict(string hardwareText, string modelText, ValidationPoint point)
        {
            var builder = LlmSimulation.Create()
                .Hardware(HardwareConfig.LoadYamlText(hardwareText, point.HardwareFile))
                .Model(ModelConfig.LoadYamlText(modelText, point.ModelFile))
                // Points on the same hardware share its cost models.
                .ShareDevices(h => _devices.GetOrAdd(hardwareText, _ => new Lazy<DeviceModels>(() => new DeviceModels(h))).Value.For(h));
            // Without ForceAnalytical, configs that ask for AstraSim run on it (a missing binary fails the point with its sentence).
            options.Backends?.Invoke(builder);
            var simulation = builder.Build();
            var transformer = simulation.Model.Transformer
                ?? throw new UnsupportedFeatureException("validation points need an LLM model file, not GEMM mode.");
            return transformer.RunType == RunType.Inference
                ? new Estimate(simulation.EstimateInference(includeMemory: false), null)
                : new Estimate(null, simulation.EstimateTraining(includeMemory: false));
        }

        private static string FirstLine(string message)
        {
            var end = message.IndexOf('\n', StringComparison.Ordinal);
            return end < 0 ? message : message[..end].TrimEnd();
        }
    }

    /// <summary>One estimate and the metrics read from it.</summary>
    private sealed record Estimate(InferenceEstimate? Inference, TrainingEstimate? Training)
    {
        public double Value(ValidationMetric metric) => metric switch
        {
            ValidationMetric.TrainingStepSeconds => Need(Training).TimePerBatchSeconds,
            ValidationMetric.RequestSeconds => Need(Inference).TotalSeconds,
            ValidationMetric.TimeToFirstTokenSeconds => Need(Inference).TimeToFirstTokenSeconds,
            ValidationMetric.InterTokenLatencySeconds => InterToken(Need(Inference)),
            ValidationMetric.DecodeTokensPerSecond => DecodeThroughput(Need(Inference)),
            ValidationMetric.ThroughputRatio => throw new InvalidOperationException("throughput ratios need two devices; run MaxLoadRatioSuite."),
            _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "unknown metric"),
        };

        private static T Need<T>(T? value) where T : class =>
            value ?? throw new InvalidOperationException($"the metric needs a {typeof(T).Name}, but the model file has the other run type.");

        private static double InterToken(InferenceEstimate e)
        {
            var tokens = e.Settings.DecodeLength;
            if (tokens < 2) throw new InvalidOperationException("inter-token latency needs at least two generated tokens.");
            return (e.TotalSeconds - e.TimeToFirstTokenSeconds) / (tokens - 1);
        }

        private static double DecodeThroughput(InferenceEstimate e)
        {
            if (e.DecodeSeconds <= 0) throw new InvalidOperationException("decode throughput needs a decode phase.");
            // Under a serving engine the decode phase produces all tokens but the prefill's first.
            var tokens = e.Serving is null ? e.Settings.DecodeLength : ServingEngineTiming.DecodeSteps(e.Settings.DecodeLength);
            return (double)tokens * e.Settings.BatchSize / e.DecodeSeconds;
        }
    }
}
