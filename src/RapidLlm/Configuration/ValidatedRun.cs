using RapidLlm.Common;

namespace RapidLlm.Configuration;

/// <summary>A hardware and model pair that passed cross-file validation.</summary>
/// <param name="Hardware">The hardware.</param>
/// <param name="Model">The model, with a seed-schema inference batch resolved to a per-replica batch.</param>
/// <param name="Warnings">Warnings of the cross-file checks (file warnings stay on their load results).</param>
internal sealed record ValidatedRun(HardwareConfig Hardware, ModelConfig Model, EquatableArray<ConfigDiagnostic> Warnings);
