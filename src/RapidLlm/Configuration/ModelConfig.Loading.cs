namespace RapidLlm.Configuration;

public sealed partial record ModelConfig
{
    /// <summary>Loads and validates a model YAML file (either schema).</summary>
    /// <param name="path">The file.</param>
    /// <returns>The normalised configuration; warnings are dropped (use <see cref="LoadYaml(string)"/> to see them).</returns>
    /// <exception cref="ConfigurationException">The file has errors; all of them are listed.</exception>
    public static ModelConfig FromYaml(string path) => LoadYaml(path).Value;

    /// <summary>Loads and validates model YAML text (either schema).</summary>
    /// <param name="yaml">The YAML text.</param>
    /// <param name="sourceName">Name used in messages.</param>
    /// <exception cref="ConfigurationException">The text has errors; all of them are listed.</exception>
    public static ModelConfig FromYamlText(string yaml, string sourceName = "<model>") => LoadYamlText(yaml, sourceName).Value;

    /// <summary>Loads and validates a model YAML file, returning warnings and the schema used.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="ConfigurationException">The file has errors; all of them are listed.</exception>
    public static ConfigLoadResult<ModelConfig> LoadYaml(string path) =>
        LoadYamlText(YamlDocumentReader.ReadFile(path), path);

    /// <summary>Loads and validates model YAML text, returning warnings and the schema used.</summary>
    /// <param name="yaml">The YAML text.</param>
    /// <param name="sourceName">Name used in messages.</param>
    /// <exception cref="ConfigurationException">The text has errors; all of them are listed.</exception>
    public static ConfigLoadResult<ModelConfig> LoadYamlText(string yaml, string sourceName = "<model>") =>
        ModelConfigReader.Read(yaml, sourceName);

    /// <summary>
    /// Resolves the batch meaning against a hardware file: a seed-schema inference batch counts all replicas, so it is
    /// divided by the replica count. Other configurations are returned unchanged.
    /// </summary>
    /// <param name="hardware">The hardware the model runs on.</param>
    /// <exception cref="ConfigurationException">The batch does not divide by the replica count.</exception>
    public ModelConfig ForHardware(HardwareConfig hardware)
    {
        if (Transformer is not { BatchScope: BatchScope.AllReplicas } t) return this;
        var replicas = hardware.Parallelism.Inference.ReplicaCount;
        if (t.GlobalBatchSize % replicas != 0)
            throw new ConfigurationException([new ConfigDiagnostic(DiagnosticSeverity.Error, "<model>", "model_param.global_batch_size", 0, 0,
                t.GlobalBatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"the seed schema's inference batch counts all replicas and must divide by the replica count {replicas}")]);
        return this with { Transformer = t with { GlobalBatchSize = t.GlobalBatchSize / replicas, BatchScope = BatchScope.PerReplica } };
    }
}
