using RapidLlm.Configuration.Yaml;

namespace RapidLlm.Configuration;

/// <summary>Reads a hardware file's <c>serving</c> block (the calibrated model's serving engine); absent means bare kernels.</summary>
internal static class ServingEngineReader
{
    private static readonly Dictionary<string, ServingBatching> Batchings = new(StringComparer.Ordinal)
    {
        ["static"] = ServingBatching.Static,
        ["continuous"] = ServingBatching.Continuous,
    };

    public static ServingEngineConfig? Read(MappingReader root, PerformanceModelConfig performance)
    {
        var block = root.Mapping("serving", required: false);
        if (block is null) return null;
        if (!performance.IsCalibrated)
        {
            root.Error("serving", root.Get("serving"), "is only read by the calibrated model; add 'performance_model: calibrated' or remove the block");
            return null;
        }

        var bare = ServingEngineConfig.Bare;
        var label = block.String("engine") ?? bare.Engine;
        if (label.Length > 64)
        {
            block.Error("engine", block.Get("engine"), $"is a label of at most 64 characters (got {label.Length})");
            label = bare.Engine;
        }

        var engine = new ServingEngineConfig(
            label,
            block.Double("step_overhead", bare.StepOverheadSeconds, min: 0, max: 1),
            block.Double("request_overhead", bare.RequestOverheadSeconds, min: 0, max: 60),
            block.Has("cuda_graphs") ? block.Bool("cuda_graphs", true) : null,
            block.Choice("batching", Batchings, required: false) ?? bare.Batching);
        block.Finish();
        return engine;
    }
}
