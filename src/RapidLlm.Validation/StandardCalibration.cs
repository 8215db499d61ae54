using RapidLlm.Configuration;
using System.Globalization;

namespace RapidLlm.Validation;

/// <summary>
/// The calibration of RapidLlm's shipped presets, as code: which parameters each device fits, to which data, in which
/// order. Kernel parameters are fitted to their own microbenchmarks (GEMMs, FlashAttention, elementwise kernels), the
/// per-kernel gap to CUDA-graph decode steps, collective costs to tensor-parallel serving; prefill, layer and
/// training-step entries are never fitted to, so they test the model. A third of each section's GPU entries is held
/// out of the fit (<see cref="IsHeldOut"/>) and reported separately.
/// </summary>
public static class StandardCalibration
{
    /// <summary>The NVLink dimension's per-step latency path.</summary>
    public const string NvlinkLatencyPath = "network.dimensions[dim0].topology.latency";

    /// <summary>Whether an entry is held out of the fit: every third entry of its section, by name.</summary>
    /// <param name="entry">The entry.</param>
    /// <param name="all">Every entry (the split is by position within the entry's section).</param>
    public static bool IsHeldOut(GpuMeasurement entry, IReadOnlyList<GpuMeasurement> all)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(all);
        var section = all.Where(e => e.Section == entry.Section).Select(e => e.Name).Order(StringComparer.Ordinal).ToList();
        return section.IndexOf(entry.Name) % 3 == 1;
    }

    /// <summary>
    /// The H100 stages: GEMM kernels (tensor efficiency, eager launch), FlashAttention kernels
    /// (forward and backward efficiency, per-row overhead), elementwise kernels (their share of the HBM bandwidth),
    /// CUDA-graph decode steps (kernel gap) and tensor-parallel serving on the imec and NIM H100 suites (collective
    /// latency, NVLink step latency). HBM efficiency is not fitted: it is the measured copy bandwidth. The GEMM tile
    /// overhead is stated (512 K elements: pipeline fill and epilogue of a 128×256 tile, eight 64-wide K steps), not
    /// fitted: on these shapes it trades off against the tensor efficiency, and power throttling of the largest GEMMs
    /// makes a fitted value meaningless.
    /// </summary>
    /// <param name="gpu">The H100 measurements.</param>
    /// <param name="kernels">The H100 kernel microbenchmarks.</param>
    /// <param name="sources">The public suites.</param>
    /// <param name="scratchFolder">A writable folder the suites read candidate hardware from.</param>
    public static IReadOnlyList<FitStage> H100(
        IReadOnlyList<GpuMeasurement> gpu, IReadOnlyList<GpuKernelMeasurement> kernels, ValidationSources sources, string scratchFolder)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        ArgumentNullException.ThrowIfNull(kernels);
        var fit = gpu.Where(e => !IsHeldOut(e, gpu)).ToList();
        var runner = new GpuMeasurementRunner();
        double Entries(string yaml, string section) =>
            MeanAbs(runner.Run(fit.Where(e => e.Section == section).ToList(), yaml, "candidate").Select(r => r.AbsErrorPercent));
        double Kernels(string yaml, Func<GpuKernelMeasurement, bool> pick)
        {
            var hardware = Configuration.HardwareConfig.FromYamlText(yaml, "candidate");
            return MeanAbs(kernels.Where(pick).Select(k => GpuKernelPredictor.PredictSeconds(k, hardware) is { } p
                ? Math.Abs(ErrorStatistics.SignedPercent(p, k.MeasuredSeconds)) : double.NaN));
        }

        return
        [
            new FitStage("GEMM kernels", "H100 GEMM entries (GEMM mode)",
            [
                new FitParameter("calibration.compute.tensor_efficiency", 0.5, 0.98, "achievable dense tensor FLOP/s over the datasheet rate"),
                new FitParameter("calibration.kernels.eager_launch", 1e-6, 40e-6, "host dispatch of an eagerly launched operator (s)"),
            ], yaml => Entries(yaml, "gemm")),
            new FitStage("FlashAttention kernels", "H100 SDPA forward and forward+backward microbenchmarks",
            [
                new FitParameter("calibration.attention.flash_forward_efficiency", 0.3, 0.95, "FlashAttention forward FLOP/s over the tensor peak"),
                new FitParameter("calibration.attention.flash_backward_efficiency", 0.2, 0.95, "FlashAttention backward FLOP/s over the tensor peak"),
                new FitParameter("calibration.attention.flash_overhead_tokens", 0, 4096, "per-query-row fixed cost, in key tokens"),
            ], yaml => Kernels(yaml, k => k.Section == "attention")),
            new FitStage("Elementwise kernels", "H100 RMSNorm, LayerNorm, GELU and SwiGLU microbenchmarks",
            [
                new FitParameter("calibration.memory.elementwise_efficiency", 0.2, 1.0, "share of the streaming HBM bandwidth elementwise kernels reach"),
            ], yaml => Kernels(yaml, k => k.Section == "elementwise" && !k.Name.StartsWith("softmax", StringComparison.Ordinal))),
            new FitStage("Decode steps", "H100 CUDA-graph decode steps",
            [
                new FitParameter("calibration.kernels.kernel_gap", 0.2e-6, 20e-6, "GPU-side fixed cost per kernel (s)"),
            ], yaml => Entries(yaml, "decode")),
            new FitStage("Tensor-parallel serving", "imec H100 grid, NIM 4×H100 request time and inter-token latency",
            [
                new FitParameter("calibration.collectives.latency", 0.5e-6, 60e-6, "fixed cost of one collective (s)"),
                new FitParameter(NvlinkLatencyPath, 0.2e-6, 10e-6, "NVLink latency per ring step (s)"),
            ], yaml => Suites(yaml, Path.Combine(scratchFolder, "H100_SXM5_80GB.yaml"), file =>
            [
                ImecInferenceSuite.Create(sources, "H100", file),
                NimInferenceSuite.Create(sources, "H100", ValidationMetric.RequestSeconds, file, sources.Engine(ValidationCatalog.NimEngineFile)),
                NimInferenceSuite.Create(sources, "H100", ValidationMetric.InterTokenLatencySeconds, file, sources.Engine(ValidationCatalog.NimEngineFile)),
            ])),
        ];
    }

    /// <summary>The kernel parameters the A100 takes from the H100 fit (the same software stack; no A100 kernel measurements exist).</summary>
    public static IReadOnlyList<string> SharedKernelPaths { get; } =
    [
        "calibration.kernels.eager_launch",
        "calibration.kernels.kernel_gap",
        "calibration.memory.elementwise_efficiency",
        "calibration.attention.flash_overhead_tokens",
    ];

    /// <summary>
    /// The A100 stages, from the public A100 suites: the imec A100 grid and NIM 8×A100 request time and inter-token
    /// latency (collective latency, NVLink step latency), then NIM 8×A100 first-token time at concurrency 1 and the
    /// Megatron GPT runs (tensor efficiency). HBM efficiency (88 %, the published A100 streaming bandwidth) and
    /// FlashAttention efficiencies (FlashAttention-2 on A100) are stated, not fitted; the kernel parameters of
    /// <see cref="SharedKernelPaths"/> come from the H100 fit. Koyeb is not fitted to: it is the check of single-GPU decode.
    /// </summary>
    /// <param name="sources">The public suites.</param>
    /// <param name="scratchFolder">A writable folder the suites read candidate hardware from.</param>
    public static IReadOnlyList<FitStage> A100(ValidationSources sources, string scratchFolder) =>
    [
        new FitStage("Tensor-parallel serving", "imec A100 grid, NIM 8×A100 request time and inter-token latency",
        [
            new FitParameter("calibration.collectives.latency", 0.5e-6, 60e-6, "fixed cost of one collective (s)"),
            new FitParameter(NvlinkLatencyPath, 0.2e-6, 10e-6, "NVLink latency per ring step (s)"),
        ], yaml => Suites(yaml, Path.Combine(scratchFolder, MegatronTrainingSuite.PresetFile), file =>
        [
            ImecInferenceSuite.Create(sources, "A100", file),
            NimInferenceSuite.Create(sources, "A100", ValidationMetric.RequestSeconds, file, sources.Engine(ValidationCatalog.NimEngineFile)),
            NimInferenceSuite.Create(sources, "A100", ValidationMetric.InterTokenLatencySeconds, file, sources.Engine(ValidationCatalog.NimEngineFile)),
        ])),
        new FitStage("Compute", "NIM 8×A100 first-token time at concurrency 1, Megatron GPT training",
        [
            new FitParameter("calibration.compute.tensor_efficiency", 0.7, 0.9, "achievable dense tensor FLOP/s over the datasheet rate"),
        ], yaml => Suites(yaml, Path.Combine(scratchFolder, MegatronTrainingSuite.PresetFile), file =>
        [
            NimInferenceSuite.Create(sources, "A100", ValidationMetric.TimeToFirstTokenSeconds, file, sources.Engine(ValidationCatalog.NimEngineFile)),
            MegatronTrainingSuite.Create(sources with { PresetDirectory = scratchFolder }),
        ])),
    ];

    /// <summary>The vLLM engine's fitted parameter (in <see cref="ValidationCatalog.VllmEngineFile"/>).</summary>
    public static FitParameter VllmStepOverhead { get; } =
        new("serving.step_overhead", 0, 8e-3, "vLLM host work per iteration, not overlapped with the GPU (s)");

    /// <summary>The NIM engine's fitted parameter (in <see cref="ValidationCatalog.NimEngineFile"/>).</summary>
    public static FitParameter NimRequestOverhead { get; } =
        new("serving.request_overhead", 0, 60e-3, "NIM per-request host time before the first token: HTTP, tokenisation, admission, streaming (s)");

    /// <summary>
    /// The vLLM engine of the Koyeb suite: one parameter, the host work per iteration, fitted on the Koyeb rows with the
    /// calibrated A100 preset (which makes Koyeb a fitted suite, no longer a pure hold-out). The stage's document is the
    /// engine file (<see cref="ValidationCatalog.VllmEngineFile"/>).
    /// </summary>
    /// <param name="sources">The public suites.</param>
    /// <param name="a100Preset">The calibrated A100 preset's path.</param>
    /// <param name="scratchFolder">A writable folder the suite reads candidate engine files from.</param>
    /// <param name="rows">The rows to fit to (cross-validation); every row when null.</param>
    public static FitStage VllmEngine(ValidationSources sources, string a100Preset, string scratchFolder, Func<ValidationPoint, bool>? rows = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        return new FitStage("vLLM engine", "Koyeb Llama-3.1-8B decode throughput on the calibrated A100 preset", [VllmStepOverhead],
            yaml => Suites(yaml, Path.Combine(scratchFolder, ValidationCatalog.VllmEngineFile), file =>
                [Only(KoyebSuite.Create(sources, a100Preset, file), rows)]));
    }

    /// <summary>
    /// The TensorRT-LLM engine of the NIM suites: one parameter, the per-request host time before the first token,
    /// fitted on the first-token times at concurrency 1 of both devices (flagged rows left out); the per-iteration host
    /// work is stated as 0 (the C++ executor overlaps it) and batching is continuous. The stage's document is the engine
    /// file (<see cref="ValidationCatalog.NimEngineFile"/>).
    /// </summary>
    /// <param name="sources">The public suites.</param>
    /// <param name="a100Preset">The calibrated A100 preset's path.</param>
    /// <param name="h100Preset">The calibrated H100 preset's path.</param>
    /// <param name="scratchFolder">A writable folder the suites read candidate engine files from.</param>
    /// <param name="rows">The rows to fit to (cross-validation); every row when null.</param>
    public static FitStage NimEngine(
        ValidationSources sources, string a100Preset, string h100Preset, string scratchFolder, Func<ValidationPoint, bool>? rows = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        return new FitStage("TensorRT-LLM engine", "NIM first-token times at concurrency 1 on the calibrated A100 and H100 presets", [NimRequestOverhead],
            yaml => Suites(yaml, Path.Combine(scratchFolder, ValidationCatalog.NimEngineFile), file =>
            [
                Only(NimInferenceSuite.Create(sources, "A100", ValidationMetric.TimeToFirstTokenSeconds, a100Preset, file), rows),
                Only(NimInferenceSuite.Create(sources, "H100", ValidationMetric.TimeToFirstTokenSeconds, h100Preset, file), rows),
            ]));
    }

    /// <summary>The suite restricted to the rows <paramref name="rows"/> keeps (all when null).</summary>
    internal static ValidationSuite Only(ValidationSuite suite, Func<ValidationPoint, bool>? rows) =>
        rows is null ? suite : suite with { Points = new Common.EquatableArray<ValidationPoint>(suite.Points.Where(rows)) };

    /// <summary>
    /// Copies fitted values from one file to another: the H200 file gets every H100 value (same die, clocks, NVLink and
    /// software; HBM efficiency stays H100's, so the achievable bandwidth is 4.8 TB/s × the same fraction), the A100 file
    /// the <see cref="SharedKernelPaths"/>.
    /// </summary>
    /// <param name="fromYaml">The fitted file.</param>
    /// <param name="toYaml">The file to update.</param>
    /// <param name="paths">The paths to copy.</param>
    /// <returns>The updated file.</returns>
    public static string CopyValues(string fromYaml, string toYaml, IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(fromYaml);
        ArgumentNullException.ThrowIfNull(toYaml);
        ArgumentNullException.ThrowIfNull(paths);
        var yaml = toYaml;
        foreach (var path in paths)
        {
            if (YamlOverlay.ValueAt(fromYaml, path) is not { } text) continue;
            var value = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
            yaml = YamlOverlay.Merge(yaml, new FitParameter(path, value, value, "").Overlay(value));
        }

        return yaml;
    }

    /// <summary>
    /// Mean over suites of each suite's mean |error| (failed points count 100 %, points a suite does not compare and points
    /// flagged as suspected artefacts are left out: no fit bends to them), with the candidate written to
    /// <paramref name="scratchFile"/>.
    /// </summary>
    private static double Suites(string yaml, string scratchFile, Func<string, IReadOnlyList<ValidationSuite>> build)
    {
        File.WriteAllText(scratchFile, yaml);
        return new ValidationRunner().Run(build(scratchFile))
            .Select(r => r.Points.Where(p => p.Point.SkipReason is null && p.Point.FlagReason is null)
                .Select(p => p.Predicted is null ? 100.0 : p.AbsErrorPercent).ToList())
            .Where(errors => errors.Count > 0)
            .Select(errors => errors.Average())
            .DefaultIfEmpty(0)
            .Average();
    }

    private static double MeanAbs(IEnumerable<double> errors)
    {
        var list = errors.ToList();
        return list.Count == 0 ? 0 : list.Any(double.IsNaN) ? double.PositiveInfinity : list.Average();
    }
}
