namespace RapidLlm.Validation;

/// <summary>The standard validation suites, in report order.</summary>
public static class ValidationCatalog
{
    /// <summary>
    /// Every suite: those built from the reference's validation configs, and, when <see cref="ValidationSources.PresetDirectory"/>
    /// is set, those that run on our presets (the Megatron suite on the A100 preset).
    /// </summary>
    /// <param name="sources">Data, config and preset folders.</param>
    public static IReadOnlyList<ValidationSuite> All(ValidationSources sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var suites = new List<ValidationSuite> { KoyebSuite.Create(sources) };
        suites.AddRange(ImecInferenceSuite.Devices.Select(d => ImecInferenceSuite.Create(sources, d)));
        suites.AddRange(NimInferenceSuite.Devices.SelectMany(d => NimInferenceSuite.Metrics.Select(m => NimInferenceSuite.Create(sources, d, m))));
        if (sources.PresetDirectory is not null) suites.Add(MegatronTrainingSuite.Create(sources));
        suites.Add(UciTrainingSuite.Create(sources));
        return suites;
    }

    /// <summary>
    /// The H100 suites (imec grid, NIM 4×H100 request/TTFT/ITL) run on one of our H100 presets instead of the
    /// reference's files, with ids suffixed by <paramref name="suffix"/>.
    /// </summary>
    /// <param name="sources">Data and config folders.</param>
    /// <param name="hardwareFile">The preset's path.</param>
    /// <param name="suffix">Id and title suffix, for example <c>calibrated</c>.</param>
    public static IReadOnlyList<ValidationSuite> H100OnPreset(ValidationSources sources, string hardwareFile, string suffix)
    {
        var suites = new List<ValidationSuite> { ImecInferenceSuite.Create(sources, "H100", hardwareFile) };
        suites.AddRange(NimInferenceSuite.Metrics.Select(m => NimInferenceSuite.Create(sources, "H100", m, hardwareFile)));
        var name = Path.GetFileName(hardwareFile);
        return suites.Select(s => s with { Id = $"{s.Id}-{suffix}", Title = $"{s.Title}, preset {name}" }).ToList();
    }

    /// <summary>The serving engine of the Koyeb suite on a preset (vLLM), under <see cref="ValidationSources.Engine"/>.</summary>
    public const string VllmEngineFile = "vllm_koyeb.yaml";

    /// <summary>The serving engine of the NIM suites on a preset (TensorRT-LLM, continuous batching), under <see cref="ValidationSources.Engine"/>.</summary>
    public const string NimEngineFile = "nim_tensorrt_llm.yaml";

    /// <summary>
    /// Every suite run on RapidLlm's shipped presets instead of the reference's validation files: Koyeb, imec A100,
    /// NIM 8×A100 and UCI on the A100 preset, imec H100 and NIM 4×H100 on the H100 preset, and the Megatron suite (which
    /// always runs on a preset) on the A100 preset's folder. Koyeb runs under its vLLM engine and NIM under TensorRT-LLM
    /// with continuous batching (<see cref="VllmEngineFile"/>, <see cref="NimEngineFile"/>); imec states no engine and
    /// runs the bare kernels. Ids get <paramref name="suffix"/> appended.
    /// </summary>
    /// <param name="sources">Data and config folders.</param>
    /// <param name="h100File">The H100 preset (configs/hardware-config/H100_SXM5_80GB.yaml).</param>
    /// <param name="a100File">The A100 preset, named <see cref="MegatronTrainingSuite.PresetFile"/> (configs/hardware-config/a100_80GB.yaml).</param>
    /// <param name="suffix">Id and title suffix, for example <c>preset</c>.</param>
    public static IReadOnlyList<ValidationSuite> OnPresets(ValidationSources sources, string h100File, string a100File, string suffix)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(a100File);
        var vllm = sources.Engine(VllmEngineFile);
        var nim = sources.Engine(NimEngineFile);
        var suites = new List<ValidationSuite> { KoyebSuite.Create(sources, a100File, vllm), ImecInferenceSuite.Create(sources, "A100", a100File) };
        suites.AddRange(NimInferenceSuite.Metrics.Select(m => NimInferenceSuite.Create(sources, "A100", m, a100File, nim)));
        suites.Add(ImecInferenceSuite.Create(sources, "H100", h100File));
        suites.AddRange(NimInferenceSuite.Metrics.Select(m => NimInferenceSuite.Create(sources, "H100", m, h100File, nim)));
        suites.Add(MegatronTrainingSuite.Create(sources with { PresetDirectory = Path.GetDirectoryName(Path.GetFullPath(a100File)) }));
        suites.Add(UciTrainingSuite.Create(sources, a100File));
        return suites.Select(s => s with
        {
            Id = $"{s.Id}-{suffix}",
            Title = $"{s.Title}, preset {Path.GetFileName(s.Points.Count > 0 ? s.Points[0].HardwareFile : "")}",
        }).ToList();
    }
}
