using System.Globalization;

namespace RapidLlm.Configuration;

/// <summary>Checks that a model can run on a hardware configuration (batch divisibility, sharding, MoE grouping, …).</summary>
internal static class ConfigValidator
{
    /// <summary>Validates a loaded pair, naming the files in messages.</summary>
    /// <param name="hardware">The loaded hardware file.</param>
    /// <param name="model">The loaded model file.</param>
    /// <returns>The validated pair.</returns>
    /// <exception cref="ConfigurationException">Every incompatibility found.</exception>
    public static ValidatedRun Validate(ConfigLoadResult<HardwareConfig> hardware, ConfigLoadResult<ModelConfig> model)
    {
        ArgumentNullException.ThrowIfNull(hardware);
        ArgumentNullException.ThrowIfNull(model);
        ConfigDiagnostic Locate(ConfigDiagnostic d) =>
            d.Line > 0 ? d : WithPosition(d, d.Source == hardware.Source ? hardware.Positions : model.Positions);
        try
        {
            var run = Validate(hardware.Value, model.Value, hardware.Source, model.Source);
            return run with { Warnings = new Common.EquatableArray<ConfigDiagnostic>(run.Warnings.Select(Locate)) };
        }
        catch (ConfigurationException e)
        {
            throw new ConfigurationException(e.Problems.Select(Locate).ToList());
        }
    }

    private static ConfigDiagnostic WithPosition(ConfigDiagnostic diagnostic, SourcePositions positions) =>
        positions.TryLocate(diagnostic.YamlPath, out var line, out var column, out _) ? diagnostic with { Line = line, Column = column } : diagnostic;

    /// <summary>Validates a hardware and model pair.</summary>
    /// <param name="hardware">The hardware.</param>
    /// <param name="model">The model.</param>
    /// <param name="hardwareSource">Hardware name for messages.</param>
    /// <param name="modelSource">Model name for messages.</param>
    /// <returns>The validated pair, with the model's batch resolved per replica.</returns>
    /// <exception cref="ConfigurationException">Every incompatibility found.</exception>
    public static ValidatedRun Validate(HardwareConfig hardware, ModelConfig model, string hardwareSource = "<hardware>", string modelSource = "<model>")
    {
        var hw = new DiagnosticBag(hardwareSource);
        var md = new DiagnosticBag(modelSource);
        var p = hardware.Parallelism;

        if (model.Gemm is { } gemm)
        {
            if (p.Tp > 1 && gemm.ShardAxis == GemmShardAxis.Row && gemm.K % p.Tp != 0)
                md.Error("model_param.K", 0, 0, I(gemm.K), $"row sharding needs K divisible by parallelism.tp ({p.Tp})");
            if (p.Tp > 1 && gemm.ShardAxis == GemmShardAxis.Col && gemm.N % p.Tp != 0)
                md.Error("model_param.N", 0, 0, I(gemm.N), $"col sharding needs N divisible by parallelism.tp ({p.Tp})");
            return Finish(hardware, model, hw, md);
        }

        var t = model.Transformer!;
        var sw = hardware.Software;
        var moe = t.UsesMoe;
        if (t.BatchScope == BatchScope.AllReplicas && t.GlobalBatchSize % p.Inference.ReplicaCount != 0)
            md.Error("model_param.global_batch_size", 0, 0, I(t.GlobalBatchSize),
                $"the seed schema's inference batch is split across the replicas and must divide by the data-parallel degree ({p.Inference.ReplicaCount})");

        if (t.RunType == RunType.Inference)
        {
            if (p.MicroBatches > 1)
                hw.Warning("parallelism.mb", 0, 0, I(p.MicroBatches), "pipeline micro-batching is ill-defined for autoregressive decode and should be avoided in inference");
            var perReplica = t.BatchScope == BatchScope.AllReplicas ? t.GlobalBatchSize / Math.Max(1, p.Inference.ReplicaCount) : t.GlobalBatchSize;
            if (p.MicroBatches > Math.Max(1, perReplica))
                hw.Error("parallelism.mb", 0, 0, I(p.MicroBatches), $"exceeds the batch per replica ({perReplica}): each micro-batch needs at least one sequence");
            if (sw.DpZeroStage >= 3 && p.Inference.ReplicaCount > 1)
                hw.Error("sw_param.dp_zero_stage", 0, 0, I(sw.DpZeroStage), "ZeRO-3 is not supported for inference with more than one replica; use a stage below 3 or one replica");
            if (!moe && p.Inference.MoeDp > 1)
                hw.Error("parallelism.inference.moe_dp", 0, 0, I(p.Inference.MoeDp), "must be 1 when the model has no MoE layers");
            if (t.IsVit && moe)
                md.Error("model_param.moe.num_experts", 0, 0, I(t.Moe.NumExperts), "ViT models do not support MoE; set num_experts to 1");
        }
        else if (t.IsVit)
        {
            if (moe) md.Error("model_param.moe.num_experts", 0, 0, I(t.Moe.NumExperts), "ViT models do not support MoE; set num_experts to 1");
            if (p.Train.Ep > 1) hw.Error("parallelism.train.ep", 0, 0, I(p.Train.Ep), "ViT training does not support expert parallelism; set it to 1");
        }
        else if (p.Cp > 1 && p.Train.Ep > 1)
        {
            hw.Error("parallelism.cp", 0, 0, I(p.Cp), "cp > 1 cannot be combined with parallelism.train.ep > 1");
        }

        if (t.GradientAccumulationSteps > 1 && sw.DpZeroStage >= 2)
            hw.Error("sw_param.dp_zero_stage", 0, 0, I(sw.DpZeroStage), $"gradient accumulation ({t.GradientAccumulationSteps} steps) is not supported with ZeRO-2/3");
        if (t.GlobalBatchSize % t.GradientAccumulationSteps != 0)
            md.Error("model_param.global_batch_size", 0, 0, I(t.GlobalBatchSize), $"must be divisible by gradient_accumulation_steps ({t.GradientAccumulationSteps})");

        var batch = t.GlobalBatchSize / t.GradientAccumulationSteps;
        var dpDense = moe ? p.Train.Dp * p.Train.Ep : p.Train.Dp;
        var miniBatch = batch;
        if (t.RunType == RunType.Training)
        {
            if (batch % dpDense != 0)
                md.Error("model_param.global_batch_size", 0, 0, I(t.GlobalBatchSize), moe
                    ? $"the batch per accumulation step ({batch}) must be divisible by parallelism.train.dp × ep ({dpDense}) for MoE models"
                    : $"the batch per accumulation step ({batch}) must be divisible by parallelism.train.dp ({p.Train.Dp})");
            else
            {
                miniBatch = batch / dpDense;
                if (miniBatch % p.MicroBatches != 0)
                    md.Error("model_param.global_batch_size", 0, 0, I(t.GlobalBatchSize), $"the batch per data-parallel rank ({miniBatch}) must be divisible by parallelism.mb ({p.MicroBatches})");
            }
            if (!moe && p.Train.Ep > 1)
                hw.Error("parallelism.train.ep", 0, 0, I(p.Train.Ep), "must be 1 when the model has no MoE layers");
        }

        VisionRules.Check(hardware, model.Mode, t, hw, md);
        CheckShapes(p, t, hw);
        CheckSchedule(p, t, hw);
        if (moe) CheckMoe(hardware, t, hw, md, batch, dpDense, miniBatch);
        return Finish(hardware, model, hw, md);
    }

    // Shapes the reference accepts silently although they do not map onto the devices; estimates round up per rank.
    private static void CheckShapes(ParallelismConfig p, TransformerConfig t, DiagnosticBag hw)
    {
        if (p.Tp > 1 && t.Attention.NumHeads % p.Tp != 0)
            hw.Warning("parallelism.tp", 0, 0, I(p.Tp),
                $"does not divide attention.num_heads ({t.Attention.NumHeads}); per-rank work is rounded up, so the estimate is optimistic about balance");
        if (p.Tp > 1 && t.Attention.KvHeads > 1 && t.Attention.KvHeads != t.Attention.NumHeads && t.Attention.KvHeads % p.Tp != 0 && p.Tp % t.Attention.KvHeads != 0)
            hw.Warning("parallelism.tp", 0, 0, I(p.Tp), $"neither divides nor is a multiple of attention.kv_heads ({t.Attention.KvHeads})");
        if (p.Pp > t.NumLayers)
            hw.Warning("parallelism.pp", 0, 0, I(p.Pp),
                $"exceeds num_layers ({t.NumLayers}); {p.Pp - t.NumLayers} pipeline stage(s) hold no transformer layer");
        if (p.Cp > 1 && t.SeqLen % p.Cp != 0)
            hw.Warning("parallelism.cp", 0, 0, I(p.Cp), $"does not divide seq_len ({t.SeqLen}); the last context shard is padded");
    }

    // Our pipeline schedules (parallelism.pipeline_schedule): what each needs from the shape of the model and batch.
    private static void CheckSchedule(ParallelismConfig p, TransformerConfig t, DiagnosticBag hw)
    {
        var schedule = p.Schedule;
        if (!Enum.IsDefined(schedule.Kind))
        {
            hw.Error("parallelism.pipeline_schedule", 0, 0, schedule.Kind.ToString(), "must be one of " + string.Join(", ", PipelineSchedule.YamlNames));
            return;
        }
        var interleaved = schedule.Kind == PipelineScheduleKind.Interleaved1F1B;
        if (interleaved && schedule.VirtualStages < 2)
        {
            hw.Error("parallelism.virtual_stages", 0, 0, I(schedule.VirtualStages), "must be >= 2 with interleaved_1f1b (1f1b is the schedule with one chunk per stage)");
            return;
        }
        if (!interleaved && schedule.VirtualStages != 1)
        {
            hw.Error("parallelism.virtual_stages", 0, 0, I(schedule.VirtualStages), $"applies only to interleaved_1f1b (the schedule here is {schedule.YamlName})");
            return;
        }
        if (schedule.Kind == PipelineScheduleKind.GPipe) return;
        if (t.RunType != RunType.Training)
        {
            hw.Warning("parallelism.pipeline_schedule", 0, 0, schedule.YamlName, "applies to training only; inference runs forward passes in order");
            return;
        }
        if (schedule.Kind != PipelineScheduleKind.Interleaved1F1B) return;
        var v = schedule.VirtualStages;
        if (p.Pp < 2)
        {
            hw.Error("parallelism.pipeline_schedule", 0, 0, schedule.YamlName, $"needs pp >= 2 (pp is {p.Pp}); with one stage there is nothing to interleave, use 1f1b or gpipe");
            return;
        }
        if (t.NumLayers % p.Pp != 0)
            hw.Error("parallelism.virtual_stages", 0, 0, I(v),
                $"interleaved_1f1b needs the same number of layers on every stage, but num_layers ({t.NumLayers}) does not divide by pp ({p.Pp})");
        else if (t.NumLayers / p.Pp % v != 0)
            hw.Error("parallelism.virtual_stages", 0, 0, I(v),
                $"must divide the layers per stage (num_layers {t.NumLayers} / pp {p.Pp} = {t.NumLayers / p.Pp}) so that every model chunk holds whole layers");
        if (p.MicroBatches % p.Pp != 0)
            hw.Error("parallelism.mb", 0, 0, I(p.MicroBatches),
                $"must be a multiple of pp ({p.Pp}) with interleaved_1f1b: each model chunk runs the micro-batches in groups of pp, as Megatron-LM does");
    }

    private static void CheckMoe(HardwareConfig hardware, TransformerConfig t, DiagnosticBag hw, DiagnosticBag md, int batch, int dpDense, int miniBatch)
    {
        var p = hardware.Parallelism;
        var experts = t.Moe.NumExperts;
        if (t.RunType == RunType.Inference)
        {
            var group = p.Tp * Math.Max(1, p.Inference.MoeDp);
            if (group > experts)
                hw.Error("parallelism.inference.moe_dp", 0, 0, I(p.Inference.MoeDp), $"the MoE group tp × moe_dp = {group} exceeds the {experts} experts");
            else if (experts % group != 0)
                hw.Error("parallelism.inference.moe_dp", 0, 0, I(p.Inference.MoeDp), $"the {experts} experts must divide by the MoE group tp × moe_dp = {group}");
        }
        else
        {
            if (p.Tp > 1 && p.Train.Ep > 1 && !p.TpSp)
                hw.Error("parallelism.tp_sp", 0, 0, "false", "MoE with tp > 1 and ep > 1 needs sequence parallelism (tp_sp: true)");
            var group = p.Train.Ep;
            if (group > experts)
                hw.Error("parallelism.train.ep", 0, 0, I(group), $"exceeds the {experts} experts");
            else if (experts % group != 0)
                hw.Error("parallelism.train.ep", 0, 0, I(group), $"the {experts} experts must divide by ep");
            else
            {
                var effectiveBatch = p.Pp > 1 ? miniBatch / p.MicroBatches : dpDense <= 1 ? batch : miniBatch;
                var seqPerRank = (t.SeqLen + Math.Max(1, p.Cp) - 1) / Math.Max(1, p.Cp);
                var dispatched = (long)effectiveBatch * seqPerRank * t.Moe.TopK;
                if (dispatched % group != 0)
                    md.Error("model_param.global_batch_size", 0, 0, I(t.GlobalBatchSize),
                        $"routed tokens ({effectiveBatch} × {seqPerRank} × top_k {t.Moe.TopK} = {dispatched}) must divide by ep ({group})");
                else if (dispatched / group % (experts / group) != 0)
                    md.Error("model_param.global_batch_size", 0, 0, I(t.GlobalBatchSize),
                        $"routed tokens per rank ({dispatched / group}) must divide by the experts per rank ({experts / group})");
            }
            if (hardware.Software.DpZeroStage >= 2)
                hw.Error("sw_param.dp_zero_stage", 0, 0, I(hardware.Software.DpZeroStage), "MoE training does not support ZeRO-2/3 yet");
        }
        if (hardware.Network.FaultyLinks.Count > 0)
            hw.Error("network.faulty_links", 0, 0, null, "MoE models cannot be combined with faulty links yet");
    }

    private static ValidatedRun Finish(HardwareConfig hardware, ModelConfig model, DiagnosticBag hw, DiagnosticBag md)
    {
        var all = hw.Items.Concat(md.Items).ToList();
        if (all.Any(d => d.Severity == DiagnosticSeverity.Error))
            throw new ConfigurationException(all.OrderBy(d => d.Severity == DiagnosticSeverity.Error ? 0 : 1).ToList());
        var resolved = model.Transformer is { BatchScope: BatchScope.AllReplicas } t
            ? model with { Transformer = t with { GlobalBatchSize = t.GlobalBatchSize / hardware.Parallelism.Inference.ReplicaCount, BatchScope = BatchScope.PerReplica } }
            : model;
        return new ValidatedRun(hardware, resolved, new Common.EquatableArray<ConfigDiagnostic>(all));
    }

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}
