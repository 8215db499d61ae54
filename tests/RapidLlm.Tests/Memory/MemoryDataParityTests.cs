using System.Text.Json;
using RapidLlm.Graphs;
using RapidLlm.Memory;
using RapidLlm.Tests.Graphs;

namespace RapidLlm.Tests.Memory;

/// <summary>Memory data (build_memory_data) of M01..M16 against the reference, to 1e-9 relative.</summary>
public class MemoryDataParityTests
{
    private static readonly (string Key, VertexMemoryKind Kind)[] Kinds =
    [
        ("layernorm1", VertexMemoryKind.LayerNorm1), ("qkv_proj", VertexMemoryKind.QkvProjection), ("attention", VertexMemoryKind.Attention),
        ("output_proj", VertexMemoryKind.OutputProjection), ("layernorm2", VertexMemoryKind.LayerNorm2), ("MLP", VertexMemoryKind.Mlp),
        ("embedding", VertexMemoryKind.Embedding), ("softmax", VertexMemoryKind.Softmax), ("optimizer", VertexMemoryKind.Optimizer),
        ("transformer", VertexMemoryKind.Transformer),
    ];

    [TestCaseSource(typeof(MemoryGoldenCase), nameof(MemoryGoldenCase.Cases))]
    public void ComponentsMatchReference(string caseName)
    {
        var golden = MemoryGoldenCase.Load(caseName);
        var model = golden.Input();
        Assert.Multiple(() =>
        {
            foreach (var sim in golden.Simulations)
            {
                var expected = sim.GetProperty("memory_data");
                var data = MemoryDataBuilder.Build(model, MemoryGoldenCase.Phase(sim));
                void Near(double actual, string key)
                {
                    var e = expected.GetProperty(key).GetDouble();
                    Assert.That(GoldenGraphComparer.Close(actual, e, 1e-9), Is.True, $"{key}: {actual:R} vs {e:R}");
                }

                Near(data.WeightBytesPerLayer, "weight_mem_per_layer");
                Near(data.GradientBytesPerLayer, "gradient_mem_per_layer");
                Near(data.OptimizerBytesPerLayer, "optimizer_mem_per_layer");
                Near(data.StaticBytesPerLayer, "static_mem_per_layer");
                Near(data.ActivationBytesPerLayer, "activation_mem_per_layer");
                Near(data.InferenceActivationBytesPerLayer, "activation_mem_per_layer_inference");
                Near(data.TotalBytesPerLayer, "total_mem_per_layer");
                Near(data.KvCacheBytesPerLayer, "kv_cache_bytes_per_layer");
                Near(data.Zero3EphemeralPeakBytes, "zero3_ephemeral_peak_bytes");
                Near(data.ParamGatherBytes, "param_gather_bytes");
                var extra = expected.GetProperty("extra_static_bytes_per_device").EnumerateObject()
                    .ToDictionary(p => int.Parse(p.Name, System.Globalization.CultureInfo.InvariantCulture), p => p.Value.GetDouble());
                Assert.That(data.ExtraStaticBytesPerDevice, Is.EquivalentTo(extra), "extra static per device");
                foreach (var (key, kind) in Kinds)
                {
                    Assert.That(data.PersistentBytes(kind), Is.EqualTo(expected.GetProperty("persistent_bytes_by_kind").GetProperty(key).GetDouble()), $"persistent {key}");
                    Assert.That(data.TransientBytes(kind), Is.EqualTo(expected.GetProperty("transient_bytes_by_kind").GetProperty(key).GetDouble()), $"transient {key}");
                }
            }
        });
    }
}
