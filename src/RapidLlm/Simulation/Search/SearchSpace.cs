using RapidLlm.Common;
using RapidLlm.Configuration;

namespace RapidLlm.Search;

/// <summary>
/// The candidate list of a search, in its fixed order: tp, sequence parallelism (on before off), cp, pp, ep,
/// micro-batches, ZeRO stage, recompute and schedule (training) or tp, sequence parallelism, cp, pp and batch
/// (inference), each ascending. Only shapes the model allows are listed; the
/// validator still has the last word on each candidate.
/// </summary>
internal static class SearchSpace
{
    public static IReadOnlyList<SearchPoint> Enumerate(HardwareConfig hardware, TransformerConfig model, SearchOptions options)
    {
        var n = options.Gpus;
        if (n < 1) throw new SearchSpaceException("gpus", $"gpus: must be at least 1 (got {n}).");
        var divisors = Divisors(n);
        var heads = model.Attention.NumHeads;
        var kv = model.Attention.KvHeads;
        var tps = Axis("tp", options.TensorParallel, divisors.Where(tp => tp <= options.MaxTensorParallel && heads % tp == 0
                && (kv <= 1 || kv == heads || kv % tp == 0 || tp % kv == 0)),
            $"no divisor of {n} GPUs up to the largest tensor-parallel degree ({options.MaxTensorParallel}) divides the {heads} attention heads{(kv != heads ? $" and fits the {kv} KV heads" : "")}");
        var cps = Axis("cp", options.ContextParallel, divisors.Where(cp => model.SeqLen % cp == 0),
            $"no divisor of {n} GPUs divides the sequence length ({model.SeqLen})");
        var pps = Axis("pp", options.PipelineStages, divisors.Where(pp => pp <= model.NumLayers && model.NumLayers % pp == 0),
            $"no divisor of {n} GPUs divides the {model.NumLayers} layers");
        var layouts = TensorLayouts(tps, options.SequenceParallel);
        return model.RunType == RunType.Training
            ? Training(hardware, model, options, layouts, cps, pps, divisors)
            : Inference(model, options, layouts, cps, pps);
    }

    /// <summary>Each tensor-parallel degree with the sequence-parallel choices it has: one at tp 1, the allowed ones above.</summary>
    private static (int Tp, bool Sp)[] TensorLayouts(int[] tps, EquatableArray<bool> sequenceParallel)
    {
        bool[] choices = sequenceParallel.Count > 0 ? [.. sequenceParallel.Distinct().OrderDescending()] : [true];
        return [.. tps.SelectMany(tp => tp == 1 ? [(tp, true)] : choices.Select(sp => (tp, sp)))];
    }

    private static List<SearchPoint> Training(
        HardwareConfig hardware, TransformerConfig model, SearchOptions options, (int Tp, bool Sp)[] tps, int[] cps, int[] pps, int[] divisors)
    {
        var n = options.Gpus;
        var moe = model.UsesMoe;
        var eps = moe
            ? Axis("ep", options.ExpertParallel, divisors.Where(ep => model.Moe.NumExperts % ep == 0), $"no divisor of {n} GPUs divides the {model.Moe.NumExperts} experts")
            : Axis("ep", options.ExpertParallel, [1], "a dense model has no experts: ep must be 1");
        var steps = Math.Max(1, model.GradientAccumulationSteps);
        var batch = model.GlobalBatchSize / steps;
        var recomputes = options.FullRecompute.Count > 0 ? options.FullRecompute.Distinct().Order().ToArray() : [false, true];
        // ZeRO-2/3 is not supported with MoE training or with gradient accumulation.
        var maxZero = moe || steps > 1 ? 1 : 3;
        var points = new List<SearchPoint>();
        bool anyDp = false, anyMb = false, anyZero = false, anySchedule = false;
        foreach (var (tp, sp) in tps)
        foreach (var cp in cps)
        foreach (var pp in pps)
        foreach (var ep in eps)
        {
            var fixedGpus = (long)tp * cp * pp * ep;
            if (n % fixedGpus != 0) continue;
            // Experts sharded over tp and ep together need sequence parallelism (the validator's rule).
            if (moe && tp > 1 && ep > 1 && !sp) continue;
            var dp = (int)(n / fixedGpus);
            if (options.DataParallel.Count > 0 && !options.DataParallel.Contains(dp)) continue;
            var replicas = moe ? dp * ep : dp;
            if (batch % replicas != 0) continue;
            anyDp = true;
            var miniBatch = batch / replicas;
            foreach (var mb in Divisors(miniBatch))
            {
                if (options.MicroBatches.Count > 0 && !options.MicroBatches.Contains(mb)) continue;
                anyMb = true;
                var zeros = dp == 1
                    ? [0]
                    : Enumerable.Range(0, maxZero + 1).Where(z => options.ZeroStages.Count == 0 || options.ZeroStages.Contains(z)).ToArray();
                anyZero |= zeros.Length > 0;
                var schedules = Schedules(hardware, model, options, pp, mb);
                anySchedule |= schedules.Count > 0;
                foreach (var zero in zeros)
                foreach (var recompute in recomputes)
                foreach (var schedule in schedules)
                {
                    points.Add(new SearchPoint
                    {
                        RunType = RunType.Training, TensorParallel = tp, SequenceParallel = sp, ContextParallel = cp, PipelineStages = pp, DataParallel = dp, ExpertParallel = ep,
                        MicroBatches = mb, ZeroStage = zero, FullRecompute = recompute, Schedule = schedule,
                    });
                }
            }
        }

        if (!anyDp)
            throw new SearchSpaceException("dp", moe
                ? $"dp: no tp × cp × pp × ep of the allowed values leaves a data-parallel degree dp with dp × ep dividing the batch per step ({batch}) on {n} GPUs"
                : $"dp: no tp × cp × pp of the allowed values leaves a data-parallel degree that divides the batch per step ({batch}) on {n} GPUs");
        if (!anyMb) throw new SearchSpaceException("mb", "mb: no allowed micro-batch count divides the batch per data-parallel rank of any candidate");
        if (!anyZero) throw new SearchSpaceException("zero_stage", $"zero_stage: no allowed ZeRO stage is possible (this model supports 0-{maxZero} with data parallelism)");
        if (!anySchedule) throw new SearchSpaceException("pipeline_schedule", "pipeline_schedule: no allowed pipeline schedule fits any candidate's stages, layers and micro-batches");
        if (points.Count == 0) throw new SearchSpaceException("recompute", "recompute: no recompute choice is allowed");
        return points;
    }

    /// <summary>The schedules a (pp, mb) pair can run: one stage runs GPipe; several try the allowed schedules that fit.</summary>
    private static List<PipelineSchedule> Schedules(HardwareConfig hardware, TransformerConfig model, SearchOptions options, int pp, int mb)
    {
        if (pp == 1) return [PipelineSchedule.GPipe];
        var layersPerStage = model.NumLayers / pp;
        IEnumerable<PipelineSchedule> wanted = options.Schedules.Count > 0
            ? options.Schedules
            : options.SearchSchedules
                ? [PipelineSchedule.GPipe, PipelineSchedule.OneFOneB, .. Divisors(layersPerStage).Where(v => v >= 2).Select(PipelineSchedule.Interleaved)]
                : [hardware.Parallelism.Schedule];
        var fitting = new List<PipelineSchedule>();
        foreach (var schedule in wanted.Distinct())
        {
            if (schedule.Kind != PipelineScheduleKind.Interleaved1F1B) fitting.Add(schedule);
            else if (schedule.VirtualStages >= 2 && layersPerStage % schedule.VirtualStages == 0 && mb % pp == 0) fitting.Add(schedule);
        }

        return [.. fitting.OrderBy(s => s.Kind).ThenBy(s => s.VirtualStages)];
    }

    private static List<SearchPoint> Inference(TransformerConfig model, SearchOptions options, (int Tp, bool Sp)[] tps, int[] cps, int[] pps)
    {
        var n = options.Gpus;
        var batches = options.Batches.Count > 0
            ? options.Batches.Where(b => b >= 1).Distinct().Order().ToArray()
            : PowersOfTwoBelow(model.GlobalBatchSize).Append(model.GlobalBatchSize).Distinct().Order().ToArray();
        if (batches.Length == 0) throw new SearchSpaceException("batch", "batch: no allowed batch is at least 1");
        var points = new List<SearchPoint>();
        foreach (var (tp, sp) in tps)
        foreach (var cp in cps)
        foreach (var pp in pps)
        {
            var fixedGpus = (long)tp * cp * pp;
            if (n % fixedGpus != 0) continue;
            var replicas = (int)(n / fixedGpus);
            if (options.Replicas.Count > 0 && !options.Replicas.Contains(replicas)) continue;
            foreach (var batch in batches)
            {
                points.Add(new SearchPoint
                {
                    RunType = RunType.Inference, TensorParallel = tp, SequenceParallel = sp, ContextParallel = cp, PipelineStages = pp, Replicas = replicas, Batch = batch,
                });
            }
        }

        if (points.Count == 0)
            throw new SearchSpaceException("replicas", $"replicas: no tp × cp × pp of the allowed values leaves an allowed replica count on {n} GPUs");
        return points;
    }

    private static int[] Axis(string name, EquatableArray<int> wanted, IEnumerable<int> allowed, string why)
    {
        var values = allowed.ToArray();
        if (wanted.Count > 0)
        {
            var kept = values.Where(wanted.Contains).ToArray();
            if (kept.Length == 0)
                throw new SearchSpaceException(name, $"{name}: none of the requested values ({string.Join(", ", wanted)}) is possible ({(values.Length == 0 ? why : "possible: " + string.Join(", ", values))})");
            return kept;
        }

        if (values.Length == 0) throw new SearchSpaceException(name, $"{name}: {why}");
        return values;
    }

    internal static IEnumerable<int> PowersOfTwoBelow(int limit)
    {
        // long: doubling past 2^30 would wrap an int and never reach the limit.
        for (long p = 1; p < limit; p *= 2) yield return (int)p;
    }

    /// <summary>The divisors of <paramref name="n"/>, ascending, found in O(√n) steps (none for n &lt; 1).</summary>
    internal static int[] Divisors(int n)
    {
        var small = new List<int>();
        var large = new List<int>();
        // long: d * d, and d itself for n near int.MaxValue, would wrap an int.
        for (long d = 1; d * d <= n; d++)
        {
            if (n % d != 0) continue;
            small.Add((int)d);
            if (d * d != n) large.Add((int)(n / d));
        }

        large.Reverse();
        return [.. small, .. large];
    }
}
