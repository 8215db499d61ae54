using System.Globalization;
using RapidLlm.Common;
using RapidLlm.Configuration;

namespace RapidLlm.Results;

/// <summary>
/// The last line of defence between the model's math and a user: an estimate whose math fails (an overflow, a tiling
/// that finds no tile, an allocation that cannot be made) or whose figures are not finite, or negative, becomes a
/// <see cref="ConfigurationException"/> that names the input most likely to blame (the one furthest from common
/// settings) instead of a stack trace, a NaN or a negative time.
/// </summary>
internal static class EstimateChecks
{
    /// <summary>Runs <paramref name="estimate"/> and checks every figure of <paramref name="table"/>'s result.</summary>
    /// <exception cref="ConfigurationException">The math failed or gave a figure no real run has.</exception>
    public static T Run<T>(HardwareConfig hardware, ModelConfig model, string hardwareSource, string modelSource, Func<T> estimate, Func<T, ResultTable> table)
    {
        T result;
        try
        {
            result = estimate();
        }
        catch (ConfigurationException e) when (e.Problems.Any(d => d.Source is "<hardware>" or "<model>"))
        {
            // Limits found while estimating name the configuration generically; give them the files' names.
            throw new ConfigurationException(e.Problems.Select(d => d.Source switch
            {
                "<hardware>" => d with { Source = hardwareSource },
                "<model>" => d with { Source = modelSource },
                _ => d,
            }).ToList());
        }
        catch (Exception e) when (IsModelMath(e))
        {
            throw Blame(hardware, model, hardwareSource, modelSource, $"the estimate could not be computed for this configuration ({e.GetType().Name}: {e.Message})");
        }

        if (Nonsense(table(result)) is { } row)
        {
            throw Blame(hardware, model, hardwareSource, modelSource,
                $"the estimate's {row.Metric.Trim()} came out as {SpecChecker.ValueText(row.Value)}, which no real run gives; the model's math breaks down for this configuration");
        }

        return result;
    }

    /// <summary>Exceptions the model's math throws on inputs it cannot handle (not the ones with their own meaning).</summary>
    public static bool IsModelMath(Exception e) => e is ArithmeticException or InvalidOperationException or ArgumentException
        or IndexOutOfRangeException or OutOfMemoryException or InsufficientExecutionStackException or NotSupportedException
        or KeyNotFoundException or NullReferenceException;

    /// <summary>The first figure that is not finite, is negative (other than headroom) or is a zero total time.</summary>
    public static ResultRow? Nonsense(ResultTable table)
    {
        foreach (var row in table.Rows)
        {
            var signed = row.Metric.Contains("headroom", StringComparison.Ordinal);
            if (!double.IsFinite(row.Value) || (!signed && row.Value < 0)) return row;
        }

        var first = table.Rows.Count > 0 ? table.Rows[0] : null;
        return first is { Unit: ResultUnit.Seconds, Value: <= 0 } ? first : null;
    }

    private static ConfigurationException Blame(HardwareConfig hardware, ModelConfig model, string hardwareSource, string modelSource, string message)
    {
        var (inHardware, path, value) = FurthestFromCommon(hardware, model);
        var diagnostic = new ConfigDiagnostic(DiagnosticSeverity.Error, inHardware ? hardwareSource : modelSource, path, 0, 0,
            value.ToString("R", CultureInfo.InvariantCulture),
            message + "; this is the setting furthest from common values, so try a more usual one");
        return new ConfigurationException([diagnostic]);
    }

    /// <summary>The setting whose value is the most orders of magnitude away from a common one.</summary>
    internal static (bool InHardware, string Path, double Value) FurthestFromCommon(HardwareConfig hardware, ModelConfig model)
    {
        var p = hardware.Parallelism;
        var t = hardware.Technology;
        var candidates = new List<(bool, string, double, double)>
        {
            (true, "parallelism.tp", p.Tp, 8), (true, "parallelism.cp", p.Cp, 2), (true, "parallelism.pp", p.Pp, 8),
            (true, "parallelism.mb", p.MicroBatches, 16), (true, "parallelism.train.dp", p.Train.Dp, 64), (true, "parallelism.train.ep", p.Train.Ep, 8),
            (true, "parallelism.inference.replica_count", p.Inference.ReplicaCount, 8),
            (true, "tech_param.core.nominal_flop_rate_per_mcu", t.Core.NominalFlopRatePerMcu, 512), (true, "tech_param.core.num_bundles", t.Core.NumBundles ?? 108, 132),
            (true, "tech_param.core.operating_frequency", t.Core.OperatingFrequencyHz ?? 1.5e9, 1.5e9), (true, "tech_param.core.num_mcu_per_bundle", t.Core.NumMcuPerBundle, 4),
            (true, "tech_param.core.FMA_d1", t.Core.FmaD1, 8), (true, "tech_param.core.FMA_d2", t.Core.FmaD2, 4),
            (true, "tech_param.DRAM.size", t.Dram.SizeBytes, 80 * (double)(1L << 30)), (true, "tech_param.DRAM.bandwidth", t.Dram.BandwidthBytesPerSecond, 2e12),
            (true, "tech_param.SRAM-L2.size", t.L2.SizeBytes, 40 * (double)(1 << 20)), (true, "tech_param.SRAM-L2.bandwidth", t.L2.BandwidthBytesPerSecond, 7e12),
            (true, "tech_param.SRAM-L1.size", t.L1.SizeBytes, 20 * (double)(1 << 20)), (true, "tech_param.SRAM-L1.bandwidth", t.L1.BandwidthBytesPerSecond, 2e13),
            (true, "tech_param.SRAM-R.size", t.Register.SizeBytes, 27 * (double)(1 << 20)), (true, "tech_param.SRAM-R.bandwidth", t.Register.BandwidthBytesPerSecond, 1.3e14),
        };
        for (var i = 0; i < hardware.Network.Dimensions.Count; i++)
        {
            candidates.Add((true, $"network.dimensions[{i}].topology.bandwidth", hardware.Network.Dimensions[i].Topology.BandwidthBytesPerSecond, 5e10));
        }

        if (model.Transformer is { } m)
        {
            candidates.AddRange(
            [
                (false, "model_param.num_layers", m.NumLayers, 80), (false, "model_param.hidden_dim", m.HiddenDim, 8192),
                (false, "model_param.intermediate_size", m.IntermediateSize, 28672), (false, "model_param.vocab_size", Math.Max(1, m.VocabSize), 128256),
                (false, "model_param.seq_len", m.SeqLen, 8192), (false, "model_param.global_batch_size", m.GlobalBatchSize, 512),
                (false, "model_param.attention.num_heads", m.Attention.NumHeads, 64), (false, "model_param.attention.kv_heads", m.Attention.KvHeads, 8),
                (false, "model_param.gradient_accumulation_steps", m.GradientAccumulationSteps, 2), (false, "model_param.moe.num_experts", m.Moe.NumExperts, 8),
            ]);
        }
        else if (model.Gemm is { } g)
        {
            candidates.AddRange([(false, "model_param.M", g.M, 8192), (false, "model_param.K", g.K, 8192), (false, "model_param.N", g.N, 8192)]);
        }

        var best = candidates[0];
        var bestScore = -1.0;
        foreach (var candidate in candidates)
        {
            var (_, _, value, common) = candidate;
            var score = value > 0 && double.IsFinite(value) ? Math.Abs(Math.Log(value / common)) : double.PositiveInfinity;
            if (score > bestScore)
            {
                bestScore = score;
                best = candidate;
            }
        }

        return (best.Item1, best.Item2, best.Item3);
    }
}
