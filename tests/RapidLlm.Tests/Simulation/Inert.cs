using RapidLlm.Configuration;

namespace RapidLlm.Tests.Simulation;

/// <summary>
/// The shipped model files carry fields no estimate reads: a dense model's one-expert moe: block with arbitrary
/// layer counts, and a decode_len on a training run. This puts them in the form the presets and builder produce.
/// </summary>
internal static class Inert
{
    public static ModelConfig Canonical(ModelConfig model)
    {
        if (model.Transformer is not { } t) return model;
        if (!t.UsesMoe && t.Moe.NumExperts <= 1) t = t with { Moe = new MoeConfig(1, 1, t.IntermediateSize, 0, 1.0, 1, 0) };
        if (t.RunType == RunType.Training) t = t with { DecodeLen = null };
        return model with { Transformer = t };
    }
}
