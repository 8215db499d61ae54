using System.Globalization;
using RapidLlm.Common;
using RapidLlm.Hardware;

namespace RapidLlm.Configuration;

/// <summary>
/// Reports problems of a configuration record against the rules every configuration must meet, whether it was read
/// from YAML or built in code: each numeric value inside its <see cref="ConfigRanges"/> range (finite, no zero or
/// denormal where a rate or size is meant) and the structural rules a file's reader enforces (four memory levels in
/// order, a network dimension per axis, …). Paths already reported (a type error, a missing or unknown key) are
/// skipped, so one mistake gives one message.
/// </summary>
internal sealed class SpecChecker(DiagnosticBag diagnostics, SourcePositions? positions = null, IEnumerable<string>? reported = null)
{
    private readonly HashSet<string> _reported = new(reported ?? [], StringComparer.Ordinal);

    /// <summary>The bag problems go to.</summary>
    public DiagnosticBag Diagnostics { get; } = diagnostics;

    /// <summary>True when any of <paramref name="paths"/> (or an ancestor of one) already has an error.</summary>
    public bool Skip(params string[] paths)
    {
        foreach (var path in paths)
        {
            var current = path;
            while (current.Length > 0)
            {
                if (_reported.Contains(current)) return true;
                var cut = Math.Max(current.LastIndexOf('.'), current.LastIndexOf('['));
                current = cut < 0 ? "" : current[..cut];
            }
        }

        return false;
    }

    /// <summary>Reports <paramref name="value"/> when it is outside <paramref name="range"/>.</summary>
    public void Range(string path, double value, ValueRange range, string? what = null)
    {
        if (range.Contains(value) || Skip(path)) return;
        var problem = double.IsNaN(value) ? "must be a number, not NaN; it " + range.Describe()
            : double.IsInfinity(value) ? "must be finite; it " + range.Describe()
            : range.Describe();
        Error(path, ValueText(value), problem + (what is null ? "" : " (" + what + ")"));
    }

    /// <summary>Reports a problem at <paramref name="path"/> unless that path was already reported.</summary>
    public void Error(string path, string? value, string message)
    {
        if (Skip(path)) return;
        _reported.Add(path);
        int line = 0, column = 0;
        if (positions is not null && positions.TryLocate(path, out line, out column, out var written) && written is not null) value = written;
        Diagnostics.Error(path, line, column, value, message);
    }

    /// <summary>A value as messages print it.</summary>
    public static string ValueText(double value) =>
        double.IsNaN(value) ? "NaN" : double.IsInfinity(value) ? (value > 0 ? "inf" : "-inf") : value.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>The rules of <see cref="SpecChecker"/> for hardware and model records.</summary>
internal static class SpecRules
{
    /// <summary>Checks the parts of a hardware configuration; null parts (not read) are skipped.</summary>
    public static void CheckHardware(
        SoftwareConfig? software, TechnologyConfig? technology, EquatableArray<MemoryLevelConfig>? hierarchy,
        ParallelismConfig? parallelism, NetworkConfig? network, ExecutionBackendConfig? backend, SpecChecker c)
    {
        if (software is not null) CheckSoftware(software, c);
        if (technology is not null) CheckTechnology(technology, c);
        if (hierarchy is { } levels) CheckHierarchy(levels, c);
        if (parallelism is not null) CheckParallelism(parallelism, c);
        if (network is not null) CheckNetwork(network, parallelism, backend ?? ExecutionBackendConfig.Analytical, c);
    }

    /// <summary>Checks every part of <paramref name="hardware"/>.</summary>
    public static void CheckHardware(HardwareConfig hardware, SpecChecker c) =>
        CheckHardware(hardware.Software, hardware.Technology, hardware.MemoryHierarchy, hardware.Parallelism, hardware.Network, hardware.ExecutionBackend, c);

    private static void CheckSoftware(SoftwareConfig s, SpecChecker c)
    {
        c.Range("sw_param.kernel_launch_overhead", s.KernelLaunchOverheadSeconds, ConfigRanges.KernelLaunchOverhead);
        if (s.HostToDeviceBandwidthBytesPerSecond is { } h2d) c.Range("sw_param.h2d_bandwidth", h2d, ConfigRanges.HostToDeviceBandwidth, "or -1 for none");
        c.Range("sw_param.dp_zero_stage", s.DpZeroStage, ConfigRanges.ZeroStage, "the ZeRO stage");
        c.Range("sw_param.const_mem_offset", s.ConstMemOffsetBytes, ConfigRanges.ConstantMemory);
        c.Range("sw_param.grad_acc_overhead", s.GradAccumulationOverheadSeconds, ConfigRanges.GradientAccumulationOverhead);
        if (s.Precision is { } p)
        {
            c.Range("sw_param.precision.tensor_format", p.TensorFormatBytes, ConfigRanges.ElementBytes);
            c.Range("sw_param.precision.kv_cache", p.KvCacheBytes, ConfigRanges.ElementBytes);
            c.Range("sw_param.precision.parameters", p.ParametersBytes, ConfigRanges.ElementBytes);
            c.Range("sw_param.precision.gradients", p.GradientsBytes, ConfigRanges.ElementBytes);
            c.Range("sw_param.precision.grad_communication", p.GradCommunicationBytes, ConfigRanges.ElementBytes);
            c.Range("sw_param.precision.optimizer_states", p.OptimizerStatesBytes, ConfigRanges.ElementBytes);
            c.Range("sw_param.precision.stats", p.StatsBytes, ConfigRanges.ElementBytes);
            if (p.MasterParametersBytes != 0) c.Range("sw_param.precision.master_parameters", p.MasterParametersBytes, ConfigRanges.ElementBytes, "or 0 for none");
        }
    }

    private static void CheckTechnology(TechnologyConfig t, SpecChecker c)
    {
        const string core = "tech_param.core.";
        var k = t.Core;
        c.Range(core + "nominal_flop_rate_per_mcu", k.NominalFlopRatePerMcu, ConfigRanges.FlopsPerCyclePerMcu);
        c.Range(core + "nominal_energy_per_flop", k.NominalEnergyPerFlopJoules, ConfigRanges.EnergyPerFlop);
        c.Range(core + "num_mcu_per_bundle", k.NumMcuPerBundle, ConfigRanges.McusPerBundle);
        c.Range(core + "FMA_d1", k.FmaD1, ConfigRanges.FmaDimension);
        c.Range(core + "FMA_d2", k.FmaD2, ConfigRanges.FmaDimension);
        c.Range(core + "util", k.Util, ConfigRanges.Utilization);
        if (k.NumBundles is { } bundles) c.Range(core + "num_bundles", bundles, ConfigRanges.Bundles, "MCU bundles (SMs)");
        else c.Error(core + "num_bundles", null, "is required: the number of MCU bundles (SMs)");
        if (k.OperatingFrequencyHz is { } hz) c.Range(core + "operating_frequency", hz, ConfigRanges.ClockHz);
        else c.Error(core + "operating_frequency", null, "is required: the core clock in Hz");
        if (k.NominalFrequencyHz is { } nominal) c.Range(core + "nominal_frequency", nominal, ConfigRanges.ClockHz);
        if (k.NominalAreaPerMcu is { } area) c.Range(core + "nominal_area_per_mcu", area, ConfigRanges.AreaPerMcu);
        c.Range(core + "operating_area_per_mcu", k.OperatingAreaPerMcu, ConfigRanges.AreaPerMcu);
        c.Range(core + "nominal_power_per_mcu", k.NominalPowerPerMcuWatts, ConfigRanges.PowerPerMcu);
        c.Range(core + "nominal_voltage", k.NominalVoltage, ConfigRanges.Voltage);
        c.Range(core + "threshold_voltage", k.ThresholdVoltage, ConfigRanges.Voltage);
        c.Range(core + "margin_voltage", k.MarginVoltage, ConfigRanges.Voltage);
        CheckMemory("tech_param.DRAM", t.Dram, ConfigRanges.DramBytes, c);
        CheckMemory("tech_param.SRAM-L2", t.L2, ConfigRanges.SramBytes, c);
        CheckMemory("tech_param.SRAM-L1", t.L1, ConfigRanges.SramBytes, c);
        CheckMemory("tech_param.SRAM-R", t.Register, ConfigRanges.SramBytes, c);
    }

    private static void CheckMemory(string path, MemoryTechConfig m, ValueRange size, SpecChecker c)
    {
        c.Range(path + ".size", m.SizeBytes, size);
        c.Range(path + ".bandwidth", m.BandwidthBytesPerSecond, ConfigRanges.MemoryBandwidth);
        c.Range(path + ".dynamic_energy_per_bit", m.DynamicEnergyPerBitJoules, ConfigRanges.EnergyPerBit);
        c.Range(path + ".latency", m.LatencySeconds, ConfigRanges.LatencySeconds);
        c.Range(path + ".util", m.Util, ConfigRanges.Utilization);
    }

    private static void CheckHierarchy(EquatableArray<MemoryLevelConfig> levels, SpecChecker c)
    {
        MemoryKind[] expected = [MemoryKind.Register, MemoryKind.L1, MemoryKind.L2, MemoryKind.Dram];
        if (!levels.Select(l => l.Kind).SequenceEqual(expected))
        {
            c.Error("memory_hierarchy", levels.Count.ToString(CultureInfo.InvariantCulture) + " level(s)",
                "the GEMM model needs exactly four levels l0..l3 of types SRAM-R, SRAM-L1, SRAM-L2, DRAM in that order");
        }
    }

    private static void CheckParallelism(ParallelismConfig p, SpecChecker c)
    {
        c.Range("parallelism.tp", p.Tp, ConfigRanges.TensorParallel);
        c.Range("parallelism.cp", p.Cp, ConfigRanges.ContextParallel);
        c.Range("parallelism.pp", p.Pp, ConfigRanges.PipelineStages);
        c.Range("parallelism.mb", p.MicroBatches, ConfigRanges.MicroBatches);
        c.Range("parallelism.train.dp", p.Train.Dp, ConfigRanges.DataParallel);
        c.Range("parallelism.train.ep", p.Train.Ep, ConfigRanges.ExpertParallel);
        c.Range("parallelism.inference.replica_count", p.Inference.ReplicaCount, ConfigRanges.Replicas);
        c.Range("parallelism.inference.moe_dp", p.Inference.MoeDp, ConfigRanges.MoeDataParallel);
        if (c.Skip("parallelism.tp", "parallelism.cp", "parallelism.pp", "parallelism.mb", "parallelism.train.dp", "parallelism.train.ep", "parallelism.inference.replica_count")) return;

        var training = (long)p.Tp * p.Cp * p.Pp * p.Train.Dp * p.Train.Ep;
        if (training > ConfigRanges.MaxDevices)
            c.Error("parallelism", training.ToString(CultureInfo.InvariantCulture) + " devices",
                $"tp × cp × pp × train.dp × train.ep = {training:N0} devices; at most {ConfigRanges.MaxDevices:N0} are supported");
        var inference = (long)p.Tp * p.Cp * p.Pp * p.Inference.ReplicaCount;
        if (inference > ConfigRanges.MaxDevices)
            c.Error("parallelism.inference.replica_count", p.Inference.ReplicaCount.ToString(CultureInfo.InvariantCulture),
                $"tp × cp × pp × replica_count = {inference:N0} devices; at most {ConfigRanges.MaxDevices:N0} are supported");
        var stageBatches = (long)p.Pp * p.MicroBatches;
        if (stageBatches > ConfigRanges.MaxStageMicroBatches)
            c.Error("parallelism.mb", p.MicroBatches.ToString(CultureInfo.InvariantCulture),
                $"pp × mb = {stageBatches:N0}; at most {ConfigRanges.MaxStageMicroBatches:N0} stage micro-batches are supported");
    }

    private static void CheckNetwork(NetworkConfig n, ParallelismConfig? p, ExecutionBackendConfig backend, SpecChecker c)
    {
        c.Range("network.overlap.tp_overlap", n.Overlap.TpOverlap, ConfigRanges.Fraction);
        c.Range("network.overlap.tp_sp_overlap", n.Overlap.TpSpOverlap, ConfigRanges.Fraction);
        c.Range("network.overlap.cp_overlap", n.Overlap.CpOverlap, ConfigRanges.Fraction);
        if (n.Dimensions.Count == 0) c.Error("network.dimensions", null, "must be a non-empty list of dimension mappings");
        var owner = new Dictionary<ParallelismAxis, string>();
        for (var i = 0; i < n.Dimensions.Count; i++)
        {
            var d = n.Dimensions[i];
            var path = $"network.dimensions[{i}]";
            var t = d.Topology;
            c.Range(path + ".topology.bandwidth", t.BandwidthBytesPerSecond, ConfigRanges.LinkBandwidth);
            if (t.SecondaryBandwidthBytesPerSecond is { } second) c.Range(path + ".topology.bandwidth", second, ConfigRanges.LinkBandwidth);
            c.Range(path + ".topology.latency", t.LatencySeconds, ConfigRanges.LatencySeconds);
            c.Range(path + ".topology.util", t.Util, ConfigRanges.Utilization);
            c.Range(path + ".topology.energy_per_bit", t.EnergyPerBitJoules, ConfigRanges.EnergyPerBit);
            if (t.Type != TopologyType.Ring && backend.Kind == ExecutionBackendKind.Analytical)
                c.Error(path + ".topology.type", t.TypeName, "the analytical backend supports only Ring topologies; use Ring or set execution_backend.model: astra");
            if (t.IsTwoDimensional && i > 0)
                c.Error(path + ".topology.type", t.TypeName, "a 2-D topology is only allowed on the first network dimension");
            if (t.SecondaryBandwidthBytesPerSecond is not null && !(t.IsTwoDimensional || t.Type == TopologyType.SuperPod))
                c.Error(path + ".topology.bandwidth", null, "a two-entry bandwidth is only allowed for 2-D topologies and SuperPOD");
            if (t.SuperPod is { } pod)
            {
                c.Range(path + ".topology.leaf_size", pod.LeafSize, ConfigRanges.SuperPodCount);
                c.Range(path + ".topology.leaf_switches_per_su", pod.LeafSwitchesPerScalableUnit, ConfigRanges.SuperPodCount);
                c.Range(path + ".topology.spine_switches_per_su", pod.SpineSwitchesPerScalableUnit, ConfigRanges.SuperPodCount);
            }

            foreach (var axis in d.Parallelisms)
            {
                if (owner.TryGetValue(axis, out var first))
                    c.Error(path + ".parallelisms", null, $"parallelism '{axis.ToString().ToLowerInvariant()}' is already assigned to dimension '{first}'; each axis may use one dimension");
                else owner[axis] = d.Label;
            }
        }

        for (var i = 0; i < n.FaultyLinks.Count; i++)
        {
            var link = n.FaultyLinks[i];
            if (link.Source < 0 || link.Destination < 0 || !(link.Weight is >= 0 and <= 1))
                c.Error($"network.faulty_links[{i}]", $"[{link.Source}, {link.Destination}, {SpecChecker.ValueText(link.Weight)}]",
                    "endpoints must be integers >= 0 and the weight a number between 0 and 1");
        }

        if (n.FaultyLinks.Count > 0 && backend.Astra is not { Mode: AstraSimMode.FullHierarchical or AstraSimMode.FullFlattened })
            c.Error("network.faulty_links", null, "faulty links require a full AstraSim mode (execution_backend.model: astra with mode full_astrasim_hierarchical or full_astrasim_flattened)");
        _ = p;
    }

    /// <summary>Checks a model record.</summary>
    public static void CheckModel(ModelConfig model, SpecChecker c)
    {
        if (model.Gemm is { } g)
        {
            c.Range("model_param.M", g.M, ConfigRanges.GemmDimension);
            c.Range("model_param.K", g.K, ConfigRanges.GemmDimension);
            c.Range("model_param.N", g.N, ConfigRanges.GemmDimension);
            return;
        }

        if (model.Transformer is not { } t)
        {
            c.Error("model_param", null, "an LLM or ViT model needs its transformer settings");
            return;
        }

        CheckTransformer(t, c);
    }

    private static void CheckTransformer(TransformerConfig t, SpecChecker c)
    {
        const string m = "model_param.";
        c.Range(m + "global_batch_size", t.GlobalBatchSize, ConfigRanges.GlobalBatch);
        c.Range(m + "gradient_accumulation_steps", t.GradientAccumulationSteps, ConfigRanges.AccumulationSteps);
        c.Range(m + "seq_len", t.SeqLen, ConfigRanges.SequenceLength);
        c.Range(m + "hidden_dim", t.HiddenDim, ConfigRanges.HiddenSize);
        c.Range(m + "intermediate_size", t.IntermediateSize, ConfigRanges.FeedForwardSize);
        c.Range(m + "vocab_size", t.VocabSize, t.IsVit ? ConfigRanges.VitVocabulary : ConfigRanges.Vocabulary);
        c.Range(m + "num_layers", t.NumLayers, ConfigRanges.Layers);
        if (!c.Skip(m + "global_batch_size", m + "seq_len") && (double)t.GlobalBatchSize * t.SeqLen > ConfigRanges.MaxTokensPerBatch)
            c.Error(m + "global_batch_size", t.GlobalBatchSize.ToString(CultureInfo.InvariantCulture),
                $"global_batch_size × seq_len = {(double)t.GlobalBatchSize * t.SeqLen:G4} tokens per batch; at most 2^34 ({ConfigRanges.MaxTokensPerBatch:G4}) are supported");

        var a = t.Attention;
        const string at = m + "attention.";
        c.Range(at + "num_heads", a.NumHeads, ConfigRanges.Heads);
        c.Range(at + "kv_heads", a.KvHeads, new ValueRange(1, Math.Max(1, a.NumHeads)), "1 to num_heads");
        if (!c.Skip(at + "num_heads", at + "kv_heads") && a.KvHeads >= 1 && a.NumHeads % a.KvHeads != 0)
            c.Error(at + "kv_heads", a.KvHeads.ToString(CultureInfo.InvariantCulture), $"must divide num_heads ({a.NumHeads})");
        if (a.HeadDim is { } headDim) c.Range(at + "head_dim", headDim, ConfigRanges.HeadSize);
        else if (!c.Skip(m + "hidden_dim", at + "num_heads") && a.NumHeads >= 1 && t.HiddenDim % a.NumHeads != 0)
            c.Error(m + "hidden_dim", t.HiddenDim.ToString(CultureInfo.InvariantCulture), $"must be divisible by attention.num_heads ({a.NumHeads})");
        if (a.UseFlashAttention)
        {
            if (a.AttentionTileSize is { } tile) c.Range(at + "attention_tile_size", tile, ConfigRanges.AttentionTile);
            else c.Error(at + "attention_tile_size", null, "the FlashAttention KV tile size is required when flash attention is on");
        }

        if (a.Type == AttentionType.Mla)
        {
            foreach (var (key, value) in new[] { ("kv_lora_rank", a.KvLoraRank), ("q_lora_rank", a.QLoraRank), ("qk_nope_head_dim", a.QkNopeHeadDim), ("qk_rope_head_dim", a.QkRopeHeadDim), ("v_head_dim", a.VHeadDim) })
            {
                if (value is { } v) c.Range(at + key, v, ConfigRanges.LatentRank);
                else c.Error(at + key, null, "is required for mla attention");
            }
        }

        var moe = t.Moe;
        const string mo = m + "moe.";
        c.Range(mo + "num_experts", moe.NumExperts, ConfigRanges.Experts);
        c.Range(mo + "top_k", moe.TopK, new ValueRange(1, Math.Max(1, moe.NumExperts)), "1 to num_experts");
        c.Range(mo + "moe_intermediate_size", moe.MoeIntermediateSize, ConfigRanges.MoeFeedForwardSize);
        c.Range(mo + "n_shared_experts", moe.SharedExperts, ConfigRanges.SharedExperts);
        c.Range(mo + "moe_layer_freq", moe.MoeLayerFrequency, ConfigRanges.LayerIndex);
        c.Range(mo + "first_k_dense_replace", moe.FirstKDenseReplace, ConfigRanges.LayerIndex);
        c.Range(mo + "expert_imbalance_factor", moe.ExpertImbalanceFactor, new ValueRange(1, Math.Max(1, moe.NumExperts)), "1 = balanced; at most num_experts");
        if (t.UsesMoe && moe.MoeIntermediateSize < 1) c.Range(mo + "moe_intermediate_size", moe.MoeIntermediateSize, ConfigRanges.FeedForwardSize);

        if (t.RunType == RunType.Inference)
        {
            if (t.DecodeLen is not { } decode) c.Error(m + "decode_len", null, "decode tokens; required when run_type is inference");
            else if (!c.Skip(m + "seq_len")) c.Range(m + "decode_len", decode, new ValueRange(0, t.SeqLen), "seq_len is the whole context, prompt plus decode");
        }
        else if (t.DecodeLen is { } trainingDecode)
        {
            c.Range(m + "decode_len", trainingDecode, new ValueRange(0, ConfigRanges.SequenceLength.Max));
        }

        if (t.SampleEvery == 0 || t.SampleEvery < -1)
            c.Error("inference_param.sample_every", t.SampleEvery.ToString(CultureInfo.InvariantCulture), "must be -1 (first and last step only) or >= 1");
        CheckVision(t, c);
    }

    // A vision transformer's patching (the reader's checks, for models built in code).
    private static void CheckVision(TransformerConfig t, SpecChecker c)
    {
        const string m = "model_param.";
        if (!t.IsVit)
        {
            if (t.Vision is not null) c.Error(m + "vision", null, "vision settings are only allowed for ViT model types (vit, vit_dinov3)");
            return;
        }

        if (t.Vision is not { } v)
        {
            c.Error(m + "vision", null, "a ViT model needs image_size and patch_size");
            return;
        }

        c.Range(m + "vision.image_size", v.ImageHeight, ConfigRanges.ImageSize);
        c.Range(m + "vision.image_size", v.ImageWidth, ConfigRanges.ImageSize);
        c.Range(m + "vision.patch_size", v.PatchHeight, ConfigRanges.ImageSize);
        c.Range(m + "vision.patch_size", v.PatchWidth, ConfigRanges.ImageSize);
        if (c.Skip(m + "vision.image_size", m + "vision.patch_size") || v.PatchHeight < 1 || v.PatchWidth < 1) return;
        if (v.ImageHeight % v.PatchHeight != 0 || v.ImageWidth % v.PatchWidth != 0)
            c.Error(m + "vision.image_size", $"{v.ImageHeight}x{v.ImageWidth}", $"must be divisible by the patch size {v.PatchHeight}x{v.PatchWidth}");
        else if (t.SeqLen < v.NumPatches + t.VisionPrefixTokens)
            c.Error(m + "seq_len", t.SeqLen.ToString(CultureInfo.InvariantCulture), $"must be >= the ViT token count {v.NumPatches + t.VisionPrefixTokens} (patches plus prefix tokens)");
        if (t.DecodeLen is > 0) c.Error(m + "decode_len", t.DecodeLen.Value.ToString(CultureInfo.InvariantCulture), "must be 0 for ViT models");
        if (t.DisableEmbeddingUnembedding && !c.Skip(m + "disable_embedding_unembedding_ops"))
            c.Error(m + "disable_embedding_unembedding", "true", "ViT models cannot disable the patch embedding and head");
    }
}
