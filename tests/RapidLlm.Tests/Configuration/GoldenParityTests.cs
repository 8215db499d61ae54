using System.Text.Json;
using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Hardware;
using RapidLlm.Network;

namespace RapidLlm.Tests.Configuration;

/// <summary>Parsed and derived values equal the reference's dumps (golden/configs_parsed) to 1e-12 relative.</summary>
public class GoldenParityTests
{
    private const double Tolerance = 1e-12;

    private static IEnumerable<TestCaseData> GoldenFiles(string prefix)
    {
        var index = TestData.Json(Path.Combine(TestData.Golden, "configs_parsed", "index.json"));
        foreach (var f in index.GetProperty("files").EnumerateArray())
        {
            var file = f.GetProperty("file").GetString()!;
            if (f.GetProperty("status").GetString() != "ok" || !(file.StartsWith(prefix, StringComparison.Ordinal) || file.StartsWith("val_" + prefix, StringComparison.Ordinal))) continue;
            yield return new TestCaseData(file).SetName("Golden " + file);
        }
    }

    private static IEnumerable<TestCaseData> HardwareFiles() => GoldenFiles("hw__");

    private static IEnumerable<TestCaseData> ModelFiles() => GoldenFiles("model__");

    private static (JsonElement Golden, string Yaml) Load(string file)
    {
        var golden = TestData.Json(Path.Combine(TestData.Golden, "configs_parsed", file));
        var yaml = Path.Combine(TestData.Configs, "head", golden.GetProperty("source_file").GetString()!);
        return (golden, yaml);
    }

    [TestCaseSource(nameof(HardwareFiles))]
    public void HardwareMatches(string file)
    {
        var (golden, yaml) = Load(file);
        var hw = HardwareConfig.FromYaml(yaml);
        var parsed = golden.GetProperty("parsed");

        var sw = parsed.GetProperty("sw_config");
        var p = sw.GetProperty("precision");
        Near(hw.Software.KernelLaunchOverheadSeconds, sw, "kernel_launch_overhead");
        Near(hw.Software.Precision.TensorFormatBytes, p, "tensor");
        Near(hw.Software.Precision.KvCacheBytes, p, "kv_cache");
        Near(hw.Software.Precision.ParametersBytes, p, "parameters");
        Near(hw.Software.Precision.GradientsBytes, p, "gradients");
        Near(hw.Software.Precision.GradCommunicationBytes, p, "grad_communication");
        Near(hw.Software.Precision.OptimizerStatesBytes, p, "optimizer_states");
        Near(hw.Software.Precision.StatsBytes, p, "stats");
        Near(hw.Software.Precision.MasterParametersBytes, p, "master_parameters");
        Near(hw.Software.HostToDeviceBandwidthBytesPerSecond ?? -1, sw, "h2d_bandwidth");
        Assert.That(hw.Software.DpZeroStage, Is.EqualTo(sw.GetProperty("dp_zero_stage").GetInt32()));
        Assert.That(hw.Software.FullRecomputation, Is.EqualTo(sw.GetProperty("full_recomputation").GetBoolean()));
        Assert.That(hw.Software.DpMicrobatch == DpMicrobatchSync.LastMicrobatch, Is.EqualTo(sw.GetProperty("dp_microbatch").GetString() == "last_mb"));
        Near(hw.Software.ConstMemOffsetBytes, sw, "const_mem_offset");
        Near(hw.Software.GradAccumulationOverheadSeconds, sw, "grad_acc_overhead");

        var sch = parsed.GetProperty("sch_config");
        Assert.That(new[] { hw.Parallelism.Pp, hw.Parallelism.MicroBatches, hw.Parallelism.Tp, hw.Parallelism.Cp },
            Is.EqualTo(new[] { "pp", "mb", "tp", "cp" }.Select(k => sch.GetProperty(k).GetInt32())));
        Assert.That(hw.Parallelism.TpSp, Is.EqualTo(sch.GetProperty("tp_sp").GetBoolean()));
        Assert.That(hw.Parallelism.Train, Is.EqualTo(new TrainParallelismConfig(sch.GetProperty("train").GetProperty("dp").GetInt32(),
            sch.GetProperty("train").GetProperty("ep").GetInt32(), sch.GetProperty("train").GetProperty("tp_ep").GetBoolean())));
        Assert.That(hw.Parallelism.Inference, Is.EqualTo(new InferenceParallelismConfig(sch.GetProperty("inference").GetProperty("replica_count").GetInt32(),
            sch.GetProperty("inference").GetProperty("moe_dp").GetInt32())));

        var dims = parsed.GetProperty("network_layout").GetProperty("dimensions").EnumerateArray().ToList();
        Assert.That(hw.Network.Dimensions.Count, Is.EqualTo(dims.Count));
        for (var i = 0; i < dims.Count; i++) DimensionMatches(hw.Network.Dimensions[i], dims[i]);
        var overlap = parsed.GetProperty("network_layout").GetProperty("overlap_config");
        Near(hw.Network.Overlap.TpOverlap, overlap, "tp_overlap");
        Near(hw.Network.Overlap.TpSpOverlap, overlap, "tp_sp_overlap");
        Near(hw.Network.Overlap.CpOverlap, overlap, "cp_overlap");
        Assert.That(hw.Network.FaultyLinks.Count, Is.EqualTo(parsed.GetProperty("network_layout").GetProperty("faulty_links").GetArrayLength()));
        Assert.That(hw.ExecutionBackend.Kind == ExecutionBackendKind.AstraSim, Is.EqualTo(parsed.GetProperty("execution_backend").GetProperty("model").GetString() == "astra"));

        var derived = golden.GetProperty("derived");
        var model = HardwareDerivation.Derive(hw);
        var core = derived.GetProperty("core");
        Near(model.Core.ThroughputFlopsPerSecond, core, "throughput_flops_per_s");
        Near(model.Core.OperatingFrequencyHz, core, "operating_freq");
        Assert.That(model.Core.NumBundles, Is.EqualTo(core.GetProperty("num_bundle").GetInt32()));
        Assert.That(model.Core.NumMcu, Is.EqualTo(core.GetProperty("num_mcu").GetInt32()));
        var levels = derived.GetProperty("memory_levels").EnumerateArray().ToList();
        Assert.That(model.MemoryLevels.Count, Is.EqualTo(levels.Count));
        for (var i = 0; i < levels.Count; i++)
        {
            var level = model.MemoryLevels[i];
            Near(level.SizeBytes, levels[i], "size_bytes");
            Near(level.SizePerBundleBytes, levels[i], "size_per_bundle_bytes");
            Near(level.ThroughputBytesPerSecond, levels[i], "throughput_bytes_per_s");
            Near(level.LatencySeconds, levels[i], "latency_s");
            Near(level.DynamicEnergyPerBitJoules, levels[i], "dynamic_energy_per_bit");
        }

        foreach (var runType in new[] { RunType.Training, RunType.Inference })
        {
            var expected = derived.GetProperty("network_by_run_type").GetProperty(runType == RunType.Training ? "training" : "inference");
            var net = NetworkResolution.Resolve(hw, runType);
            foreach (var axis in Enum.GetValues<ParallelismAxis>())
            {
                var name = axis.ToString().ToLowerInvariant();
                Assert.That(net.SizeOf(axis), Is.EqualTo(expected.GetProperty("active_axis_sizes").GetProperty(name).GetInt32()), $"{runType} size of {name}");
                var link = expected.GetProperty("links").GetProperty(name);
                Near(net.LinkFor(axis).BandwidthBytesPerSecond, link, "bandwidth", $"{runType} {name}");
                Near(net.LinkFor(axis).LatencySeconds, link, "latency", $"{runType} {name}");
            }
            var expectedDims = expected.GetProperty("dimensions").EnumerateArray().ToList();
            Assert.That(net.Dimensions.Select(d => d.Size), Is.EqualTo(expectedDims.Select(d => d.GetProperty("size").GetInt32())), $"{runType} dimension sizes");
            Assert.That(net.NumWorkers, Is.EqualTo(expected.GetProperty("num_workers").GetInt32()), $"{runType} workers");
            Assert.That(net.EnergiesPerBitJoules, Is.EqualTo(expected.GetProperty("energies_per_bit").EnumerateArray().Select(e => e.GetDouble())));
        }
    }

    private static void DimensionMatches(NetworkDimensionConfig dim, JsonElement g)
    {
        var label = dim.Label;
        Assert.That(dim.Id, Is.EqualTo(g.GetProperty("id").GetString()));
        Assert.That(dim.Label, Is.EqualTo(g.GetProperty("label").GetString()));
        Assert.That(dim.Size, Is.EqualTo(g.GetProperty("size").GetInt32()), label + " size");
        Assert.That(dim.Topology.TypeName, Is.EqualTo(g.GetProperty("topology_type").GetString()));
        var bw = g.GetProperty("bandwidth");
        if (bw.ValueKind == JsonValueKind.Array)
        {
            Near(dim.Topology.BandwidthBytesPerSecond, bw[0].GetDouble(), label + " bandwidth[0]");
            Near(dim.Topology.SecondaryBandwidthBytesPerSecond ?? double.NaN, bw[1].GetDouble(), label + " bandwidth[1]");
        }
        else Near(dim.Topology.BandwidthBytesPerSecond, bw.GetDouble(), label + " bandwidth");
        Near(dim.Topology.Util, g, "util", label);
        Near(dim.Topology.LatencySeconds, g, "latency", label);
        Near(dim.Topology.EnergyPerBitJoules, g, "energy_per_bit", label);
        Near(dim.Topology.EffectiveBandwidthBytesPerSecond, g.GetProperty("_props"), "effective_bandwidth", label);
        Assert.That(dim.Topology.Optimize2DMap, Is.EqualTo(g.GetProperty("optimize_2dmap").GetBoolean()));
        Assert.That(dim.Parallelisms.Select(a => a.ToString().ToLowerInvariant()), Is.EqualTo(g.GetProperty("parallelisms").EnumerateArray().Select(e => e.GetString())));
        var shape = g.GetProperty("size_2d");
        if (shape.ValueKind == JsonValueKind.Null) Assert.That(dim.Size2D, Is.Null, label);
        else Assert.That(dim.Size2D, Is.EqualTo(new DimensionShape(shape[0].GetInt32(), shape[1].GetInt32())), label);
        Assert.That(dim.CollectiveOverrides.Count, Is.EqualTo(g.GetProperty("collective_override").EnumerateObject().Count()));
        if (g.GetProperty("superpod_leaf_size").ValueKind != JsonValueKind.Null)
            Assert.That(dim.Topology.SuperPod!.LeafSize, Is.EqualTo(g.GetProperty("superpod_leaf_size").GetInt32()));
    }

    [TestCaseSource(nameof(ModelFiles))]
    public void ModelMatches(string file)
    {
        var (golden, yaml) = Load(file);
        var model = ModelConfig.FromYaml(yaml);
        var g = golden.GetProperty("parsed").GetProperty("model_config");
        if (model.Gemm is { } gemm)
        {
            Assert.That(new[] { gemm.M, gemm.K, gemm.N }, Is.EqualTo(new[] { g.GetProperty("M").GetInt32(), g.GetProperty("K").GetInt32(), g.GetProperty("N").GetInt32() }));
            Assert.That(gemm.Backward, Is.EqualTo(g.GetProperty("backward").GetBoolean()));
            Assert.That(gemm.ShardAxis.ToString().ToLowerInvariant(), Is.EqualTo(g.GetProperty("gemm_shard_axis").GetString()));
            return;
        }
        var t = model.Transformer!;
        Assert.That(model.Mode.ToString().ToUpperInvariant(), Is.EqualTo(g.GetProperty("mode").GetString()));
        Assert.That(t.RunType.ToString().ToLowerInvariant(), Is.EqualTo(g.GetProperty("run_type").GetString()));
        Assert.That(Snake(t.ModelType.ToString()), Is.EqualTo(g.GetProperty("model_type").GetString()));
        Assert.That(t.TiedEmbeddings, Is.EqualTo(g.GetProperty("tied_embeddings").GetBoolean()));
        Assert.That(t.DisableEmbeddingUnembedding, Is.EqualTo(g.GetProperty("disable_embedding_unembedding").GetBoolean()));
        var ints = new (int Actual, string Key)[]
        {
            (t.NumLayers, "num_layers"), (t.HiddenDim, "hidden_dim"), (t.GlobalBatchSize, "global_batch_size"),
            (t.GradientAccumulationSteps, "gradient_accumulation_steps"), (t.SeqLen, "seq_len"), (t.IntermediateSize, "intermediate_size"), (t.VocabSize, "vocab_size"),
        };
        foreach (var (actual, key) in ints) Assert.That(actual, Is.EqualTo(g.GetProperty(key).GetInt32()), key);
        Assert.That(t.DecodeLen, Is.EqualTo(g.GetProperty("decode_len").ValueKind == JsonValueKind.Null ? null : g.GetProperty("decode_len").GetInt32()));

        var a = g.GetProperty("attention");
        Assert.That(t.Attention.Type.ToString().ToLowerInvariant(), Is.EqualTo(a.GetProperty("attention_type").GetString()));
        Assert.That(t.Attention.NumHeads, Is.EqualTo(a.GetProperty("num_heads").GetInt32()));
        Assert.That(t.Attention.KvHeads, Is.EqualTo(a.GetProperty("kv_heads").GetInt32()));
        Assert.That(t.Attention.UseFlashAttention, Is.EqualTo(a.GetProperty("use_flashattention").GetBoolean()));
        Assert.That(new[] { t.Attention.AttentionTileSize, t.Attention.HeadDim, t.Attention.KvLoraRank, t.Attention.QLoraRank, t.Attention.QkNopeHeadDim, t.Attention.QkRopeHeadDim, t.Attention.VHeadDim },
            Is.EqualTo(new[] { "attention_tile_size", "head_dim", "kv_lora_rank", "q_lora_rank", "qk_nope_head_dim", "qk_rope_head_dim", "v_head_dim" }
                .Select(k => a.GetProperty(k).ValueKind == JsonValueKind.Null ? (int?)null : a.GetProperty(k).GetInt32())));
        Assert.That(t.HeadDim, Is.EqualTo(g.GetProperty("_props").GetProperty("head_dim").GetInt32()));

        var m = g.GetProperty("moe");
        Assert.That(t.Moe, Is.EqualTo(new MoeConfig(m.GetProperty("num_experts").GetInt32(), m.GetProperty("top_k").GetInt32(), m.GetProperty("moe_intermediate_size").GetInt32(),
            m.GetProperty("n_shared_experts").GetInt32(), m.GetProperty("expert_imbalance_factor").GetDouble(), m.GetProperty("moe_layer_freq").GetInt32(), m.GetProperty("first_k_dense_replace").GetInt32())));
        var props = g.GetProperty("_props");
        Assert.That(t.UsesMoe, Is.EqualTo(props.GetProperty("use_moe").GetBoolean()));
        Assert.That(t.NumMoeLayers, Is.EqualTo(props.GetProperty("num_moe_layers").GetInt32()));
        Assert.That(t.MoeLayerMask, Is.EqualTo(props.GetProperty("moe_layer_mask").EnumerateArray().Select(e => e.GetBoolean())));
        if (t.Vision is { } v)
        {
            Assert.That(v.NumPatches, Is.EqualTo(props.GetProperty("num_patches").GetInt32()));
            Assert.That(v.PatchDim, Is.EqualTo(props.GetProperty("patch_dim").GetInt32()));
        }
        var inference = golden.GetProperty("parsed").GetProperty("inference_config");
        if (inference.ValueKind != JsonValueKind.Null) Assert.That(t.SampleEvery, Is.EqualTo(inference.GetProperty("sample_every").GetInt32()));
    }

    private static string Snake(string pascal) => pascal switch
    {
        "DeepSeekV3" => "deepseek_v3",
        "Glm4Moe" => "glm4_moe",
        "VitDinov3" => "vit_dinov3",
        _ => pascal.ToLowerInvariant(),
    };

    private static void Near(double actual, JsonElement owner, string key, string? context = null) =>
        Near(actual, owner.GetProperty(key).GetDouble(), (context is null ? "" : context + " ") + key);

    private static void Near(double actual, double expected, string what) =>
        Assert.That(actual, Is.EqualTo(expected).Within(Math.Abs(expected) * Tolerance), what);
}
