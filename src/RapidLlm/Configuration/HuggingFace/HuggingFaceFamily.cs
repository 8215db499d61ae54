using RapidLlm.Configuration;

namespace RapidLlm.HuggingFace;

/// <summary>How a Hugging Face <c>model_type</c> maps onto a RapidLlm model type, and which shape rules it needs.</summary>
/// <param name="ModelType">The RapidLlm model type (<c>llama</c> for SwiGLU families, <c>gpt</c> for GELU ones).</param>
/// <param name="SlidingWindowKey">The key whose active value means sliding-window attention, which is not modelled; null when the family has none.</param>
/// <param name="SlidingWindowIsFlag">True when <paramref name="SlidingWindowKey"/> is an on/off flag; false when it is a window size (active when a positive integer).</param>
internal sealed record HuggingFaceFamily(ModelType ModelType, string? SlidingWindowKey = null, bool SlidingWindowIsFlag = false)
{
    private static readonly Dictionary<string, HuggingFaceFamily> Families = new(StringComparer.Ordinal)
    {
        ["llama"] = new(ModelType.Llama),
        ["mistral"] = new(ModelType.Llama, "sliding_window"),
        ["mixtral"] = new(ModelType.Llama, "sliding_window"),
        ["qwen2"] = new(ModelType.Llama, "use_sliding_window", SlidingWindowIsFlag: true),
        ["phi3"] = new(ModelType.Llama, "sliding_window"),
        ["deepseek_v3"] = new(ModelType.DeepSeekV3),
        ["deepseekv3"] = new(ModelType.DeepSeekV3),
        ["glm4"] = new(ModelType.Glm4Moe),
        ["glm4_moe"] = new(ModelType.Glm4Moe),
        ["gpt2"] = new(ModelType.Gpt),
        ["gpt_bigcode"] = new(ModelType.Gpt),
        ["gpt_neox"] = new(ModelType.Gpt),
        ["gptj"] = new(ModelType.Gpt),
        ["gpt_j"] = new(ModelType.Gpt),
        ["opt"] = new(ModelType.Gpt),
        ["mpt"] = new(ModelType.Gpt),
    };

    /// <summary>The supported <c>model_type</c> names, sorted.</summary>
    public static IEnumerable<string> Names => Families.Keys.Order(StringComparer.Ordinal);

    /// <summary>The family of a <c>model_type</c> (case and dashes ignored), or null when unsupported.</summary>
    public static HuggingFaceFamily? Find(string modelType) =>
        Families.GetValueOrDefault(modelType.Trim().ToLowerInvariant().Replace('-', '_'));
}
