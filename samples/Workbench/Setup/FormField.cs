namespace RapidLlm.Workbench.Setup;

/// <summary>Which of the two files of a run a field lives in.</summary>
public enum ConfigFile
{
    /// <summary>The hardware file (device, software, parallelism, network, backend).</summary>
    Hardware,

    /// <summary>The model file (the model and the run).</summary>
    Model,
}

/// <summary>How a field is edited.</summary>
public enum FieldKind
{
    /// <summary>A whole number.</summary>
    Integer,

    /// <summary>A number, e.g. <c>1.41e9</c>.</summary>
    Number,

    /// <summary>A number with a unit string, e.g. <c>80 GB</c> (binary prefixes).</summary>
    Quantity,

    /// <summary>true or false.</summary>
    Boolean,

    /// <summary>One of <see cref="FormField.Choices"/>.</summary>
    Choice,
}

/// <summary>The model's kind, read from the model file, which decides the fields that apply.</summary>
/// <param name="Mode"><c>LLM</c>, <c>ViT</c> or <c>GEMM</c>.</param>
/// <param name="Inference">The run is inference.</param>
public readonly record struct ModelShape(string Mode, bool Inference)
{
    /// <summary>A GEMM-mode model.</summary>
    public bool IsGemm => string.Equals(Mode, "GEMM", StringComparison.OrdinalIgnoreCase);

    /// <summary>A vision transformer.</summary>
    public bool IsVit => string.Equals(Mode, "ViT", StringComparison.OrdinalIgnoreCase);

    /// <summary>A training run of an LLM or ViT.</summary>
    public bool IsTraining => !IsGemm && !Inference;
}

/// <summary>
/// One common setting the form edits: where it lives in each schema, how it is typed and what it means. The YAML is
/// the truth; the form reads and writes it at <see cref="PathFor"/>.
/// </summary>
/// <param name="Id">A stable identifier, also the HTML id of the input (<c>f-…</c>).</param>
/// <param name="Label">What a person calls it.</param>
/// <param name="File">Hardware or model file.</param>
/// <param name="Group">The form section it appears in.</param>
/// <param name="Kind">How it is edited.</param>
/// <param name="NewestPath">Its YAML path in the newest schema.</param>
/// <param name="SeedPath">Its YAML path in the seed schema; null when it is the same, empty when the seed has no such field.</param>
/// <param name="Unit">The unit shown beside it, or null.</param>
/// <param name="Help">A sentence shown as its description.</param>
/// <param name="Applies">When the field is shown, from the model's kind; null means always.</param>
/// <param name="Choices">The values of a <see cref="FieldKind.Choice"/>.</param>
public sealed record FormField(
    string Id,
    string Label,
    ConfigFile File,
    string Group,
    FieldKind Kind,
    string NewestPath,
    string? SeedPath,
    string? Unit,
    string Help,
    Func<ModelShape, bool>? Applies = null,
    IReadOnlyList<string>? Choices = null)
{
    /// <summary>The path in the schema the file is written in, or null when that schema lacks the field.</summary>
    /// <param name="seedSchema">The file is in the seed schema.</param>
    /// <returns>The path.</returns>
    public string? PathFor(bool seedSchema) => seedSchema ? SeedPath switch { null => NewestPath, "" => null, var p => p } : NewestPath;

    /// <summary>A numeric field a sweep can vary.</summary>
    public bool Sweepable => Kind is FieldKind.Integer or FieldKind.Number or FieldKind.Quantity
        || (Kind == FieldKind.Choice && Choices is { Count: > 0 } c && c.All(v => int.TryParse(v, out _)));

    /// <summary>Whether the field is shown for a model of this kind.</summary>
    /// <param name="shape">The model's kind.</param>
    /// <returns>True when it applies.</returns>
    public bool AppliesTo(ModelShape shape) => Applies?.Invoke(shape) ?? true;
}
