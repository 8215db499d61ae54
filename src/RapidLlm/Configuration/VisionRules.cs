using System.Globalization;

namespace RapidLlm.Configuration;

/// <summary>What a vision transformer (ViT) run must satisfy beyond the language-model rules.</summary>
internal static class VisionRules
{
    /// <summary>Reports every ViT-specific problem of a transformer run.</summary>
    /// <param name="hardware">The hardware.</param>
    /// <param name="mode">The model file's mode.</param>
    /// <param name="model">The transformer model.</param>
    /// <param name="hw">Problems in the hardware file.</param>
    /// <param name="md">Problems in the model file.</param>
    public static void Check(HardwareConfig hardware, ModelMode mode, TransformerConfig model, DiagnosticBag hw, DiagnosticBag md)
    {
        // The reference lets the mode and the model type disagree (a ViT under LLM mode gets causal attention and a KV
        // cache; a GPT under ViT mode neither); both are mistakes, so they are reported instead (docs/differences.md).
        if (mode == ModelMode.Vit && !model.IsVit)
            md.Error("model_param.mode", 0, 0, "ViT", $"ViT mode needs model_type vit or vit_dinov3 (got {Name(model.ModelType)}); use mode LLM for language models");
        else if (mode == ModelMode.Llm && model.IsVit)
            md.Error("model_param.mode", 0, 0, "LLM", $"model_type {Name(model.ModelType)} is a vision transformer and needs mode ViT");
        if (!model.IsVit) return;

        if (hardware.ExecutionBackend.Astra is { Mode: AstraSimMode.FullFlattened } && hardware.ExecutionBackend.Kind == ExecutionBackendKind.AstraSim)
            hw.Error("execution_backend.astra.mode", 0, 0, "full_astrasim_flattened",
                "ViT models cannot run in the flattened AstraSim mode (the reference rejects it); use hybrid or full_astrasim_hierarchical");
    }

    private static string Name(ModelType type) => type switch
    {
        ModelType.DeepSeekV3 => "deepseek_v3",
        ModelType.Glm4Moe => "glm4_moe",
        ModelType.VitDinov3 => "vit_dinov3",
        _ => type.ToString().ToLower(CultureInfo.InvariantCulture),
    };
}
