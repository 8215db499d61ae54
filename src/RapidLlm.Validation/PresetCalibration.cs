namespace RapidLlm.Validation;

/// <summary>The shipped presets after a calibration, with every stage's outcome.</summary>
/// <param name="H100Yaml">The H100 file with its fitted values.</param>
/// <param name="H200Yaml">The H200 file with the H100 fit copied in.</param>
/// <param name="A100Yaml">The A100 file with its fitted values and the H100 kernel values it shares.</param>
/// <param name="H100Stages">The H100 stages.</param>
/// <param name="A100Stages">The A100 stages.</param>
public sealed record PresetCalibrationResult(
    string H100Yaml, string H200Yaml, string A100Yaml, IReadOnlyList<FitStageResult> H100Stages, IReadOnlyList<FitStageResult> A100Stages)
{
    /// <summary>The Koyeb suite's vLLM engine file with its fitted value (<see cref="ValidationCatalog.VllmEngineFile"/>).</summary>
    public string VllmEngineYaml { get; init; } = "";

    /// <summary>The NIM suites' TensorRT-LLM engine file with its fitted value (<see cref="ValidationCatalog.NimEngineFile"/>).</summary>
    public string NimEngineYaml { get; init; } = "";

    /// <summary>The engine stages (vLLM, TensorRT-LLM), fitted after the devices on the fitted presets.</summary>
    public IReadOnlyList<FitStageResult> EngineStages { get; init; } = [];
}

/// <summary>
/// Calibrates the three shipped presets: fits H100 (<see cref="StandardCalibration.H100"/>), copies its values into
/// H200, copies the shared kernel values into A100 and fits the rest of A100 (<see cref="StandardCalibration.A100"/>),
/// then fits the serving engines of the Koyeb and NIM suites on the fitted presets (<see cref="StandardCalibration.VllmEngine"/>,
/// <see cref="StandardCalibration.NimEngine"/>). Values are written into the files' text in place, so their comments survive.
/// </summary>
public static class PresetCalibration
{
    /// <summary>Runs the calibration.</summary>
    /// <param name="gpuFolder">The H100 measurement folder (<c>h100_measured.jsonl</c>, <c>cases/</c>).</param>
    /// <param name="sources">The public suites.</param>
    /// <param name="h100Yaml">The H100 preset's text.</param>
    /// <param name="h200Yaml">The H200 preset's text.</param>
    /// <param name="a100Yaml">The A100 preset's text.</param>
    /// <param name="progress">Receives a line per parameter search; may be null.</param>
    public static PresetCalibrationResult Run(
        string gpuFolder, ValidationSources sources, string h100Yaml, string h200Yaml, string a100Yaml, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(gpuFolder);
        ArgumentNullException.ThrowIfNull(sources);
        var scratch = Path.Combine(Path.GetTempPath(), "rapidllm-calibration-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(scratch);
        try
        {
            var gpu = GpuMeasurementSet.Load(gpuFolder, "H100");
            var kernels = GpuKernelMeasurement.Load(gpuFolder, "H100");
            var (_, h100Stages) = DeviceCalibrator.Fit(h100Yaml, StandardCalibration.H100(gpu, kernels, sources, scratch), progress: progress);
            var h100Values = Values(h100Stages);
            var h100 = HardwareFileValues.Set(h100Yaml, h100Values);
            var h200 = HardwareFileValues.Set(h200Yaml, h100Values);
            var shared = h100Values.Where(v => StandardCalibration.SharedKernelPaths.Contains(v.Key)).ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
            var a100Start = HardwareFileValues.Set(a100Yaml, shared);
            var (_, a100Stages) = DeviceCalibrator.Fit(a100Start, StandardCalibration.A100(sources, scratch), progress: progress);
            var a100 = HardwareFileValues.Set(a100Start, Values(a100Stages));

            // The engines are fitted on the fitted presets, read from the scratch folder.
            string a100File = Path.Combine(scratch, "fitted_a100_80GB.yaml"), h100File = Path.Combine(scratch, "fitted_H100_SXM5_80GB.yaml");
            File.WriteAllText(a100File, a100);
            File.WriteAllText(h100File, h100);
            var vllmYaml = File.ReadAllText(sources.Engine(ValidationCatalog.VllmEngineFile));
            var nimYaml = File.ReadAllText(sources.Engine(ValidationCatalog.NimEngineFile));
            var (_, vllmStages) = DeviceCalibrator.Fit(vllmYaml, [StandardCalibration.VllmEngine(sources, a100File, scratch)], progress: progress);
            var (_, nimStages) = DeviceCalibrator.Fit(nimYaml, [StandardCalibration.NimEngine(sources, a100File, h100File, scratch)], progress: progress);
            return new PresetCalibrationResult(h100, h200, a100, h100Stages, a100Stages)
            {
                VllmEngineYaml = HardwareFileValues.Set(vllmYaml, Values(vllmStages)),
                NimEngineYaml = HardwareFileValues.Set(nimYaml, Values(nimStages)),
                EngineStages = [.. vllmStages, .. nimStages],
            };
        }
        finally
        {
            if (Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true);
        }
    }

    private static Dictionary<string, double> Values(IReadOnlyList<FitStageResult> stages) =>
        stages.SelectMany(s => s.After).ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
}
