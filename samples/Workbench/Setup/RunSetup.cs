namespace RapidLlm.Workbench.Setup;

/// <summary>The execution backend a run uses; AstraSim modes need a binary (see <see cref="WorkbenchOptions.AstraSimBinary"/>).</summary>
public enum BackendChoice
{
    /// <summary>The analytical model (<c>execution_backend.model: analytical</c>).</summary>
    Analytical,

    /// <summary>AstraSim-timed collectives on the analytical graph (<c>hybrid</c>).</summary>
    AstraSimHybrid,

    /// <summary>A full AstraSim run over the hierarchical graph (<c>full_astrasim_hierarchical</c>).</summary>
    AstraSimHierarchical,

    /// <summary>A full AstraSim run over the flattened per-rank graph (<c>full_astrasim_flattened</c>).</summary>
    AstraSimFlattened,
}

/// <summary>
/// What a run is made of: the hardware and model YAML texts and their names. Immutable; the form makes a new one per
/// edit. The backend lives in the hardware text (<c>execution_backend</c>), so the YAML a user downloads reproduces
/// the run with RunPerf.
/// </summary>
/// <param name="HardwareName">The hardware file's name, used in messages.</param>
/// <param name="Hardware">The hardware YAML.</param>
/// <param name="ModelName">The model file's name.</param>
/// <param name="Model">The model YAML.</param>
public sealed record RunSetup(string HardwareName, YamlDocument Hardware, string ModelName, YamlDocument Model)
{
    /// <summary>The document of one file.</summary>
    /// <param name="file">Which.</param>
    /// <returns>Its YAML.</returns>
    public YamlDocument Document(ConfigFile file) => file == ConfigFile.Hardware ? Hardware : Model;

    /// <summary>A copy with one file's YAML replaced.</summary>
    /// <param name="file">Which.</param>
    /// <param name="document">The new YAML.</param>
    /// <returns>The new setup.</returns>
    public RunSetup With(ConfigFile file, YamlDocument document) =>
        file == ConfigFile.Hardware ? this with { Hardware = document } : this with { Model = document };

    /// <summary>True when the file is written in the seed schema (RAPID-LLM 7ffb3e2), judged from its keys.</summary>
    /// <param name="file">Which.</param>
    /// <returns>Whether it is a seed-schema file.</returns>
    public bool IsSeedSchema(ConfigFile file) => file == ConfigFile.Hardware
        ? Hardware.Has("parallelism.lp") || (Hardware.Has("parallelism.dp") && !Hardware.Has("parallelism.train"))
        : Model.Has("model_param.num_experts") && !Model.Has("model_param.moe");

    /// <summary>The model's kind, read from <c>model_param.mode</c> and <c>run_type</c>.</summary>
    public ModelShape Shape => new(
        Model.Get("model_param.mode") ?? "LLM",
        string.Equals(Model.Get("model_param.run_type"), "inference", StringComparison.OrdinalIgnoreCase));

    /// <summary>The YAML path a field has in this setup's schema, or null when the schema lacks it.</summary>
    /// <param name="field">The field.</param>
    /// <returns>The path.</returns>
    public string? PathOf(FormField field) => field.PathFor(IsSeedSchema(field.File));

    /// <summary>The field's value as written, or null when the key is missing.</summary>
    /// <param name="field">The field.</param>
    /// <returns>The text.</returns>
    public string? ValueOf(FormField field) => PathOf(field) is { } path ? Document(field.File).GetText(path) : null;

    /// <summary>A copy with a field set (no-op when the file's schema has no such field).</summary>
    /// <param name="field">The field.</param>
    /// <param name="value">Its new text.</param>
    /// <returns>The new setup.</returns>
    public RunSetup WithValue(FormField field, string value) =>
        PathOf(field) is { } path ? With(field.File, Document(field.File).With(path, value)) : this;

    /// <summary>The backend the hardware file selects.</summary>
    public BackendChoice Backend =>
        !string.Equals(Hardware.Get("execution_backend.model"), "astra", StringComparison.OrdinalIgnoreCase)
            ? BackendChoice.Analytical
            : Hardware.Get("execution_backend.astra.mode") switch
            {
                "full_astrasim_hierarchical" => BackendChoice.AstraSimHierarchical,
                "full_astrasim_flattened" => BackendChoice.AstraSimFlattened,
                _ => BackendChoice.AstraSimHybrid,
            };

    /// <summary>A copy that selects another backend in the hardware file.</summary>
    /// <param name="backend">The backend.</param>
    /// <returns>The new setup.</returns>
    public RunSetup WithBackend(BackendChoice backend)
    {
        if (backend == BackendChoice.Analytical) return this with { Hardware = Hardware.With("execution_backend.model", "analytical") };
        var mode = backend switch
        {
            BackendChoice.AstraSimHierarchical => "full_astrasim_hierarchical",
            BackendChoice.AstraSimFlattened => "full_astrasim_flattened",
            _ => "hybrid",
        };
        return this with { Hardware = Hardware.With("execution_backend.model", "astra").With("execution_backend.astra.mode", mode) };
    }
}
