using RapidLlm.Configuration.Yaml;

namespace RapidLlm.Configuration;

/// <summary>
/// Reads <c>performance_model</c> (<c>reference</c> or <c>calibrated</c>) and the <c>calibration</c> block of a
/// hardware file. Every calibration key is optional and defaults to <see cref="CalibrationConfig.Default"/>.
/// </summary>
internal static class PerformanceModelReader
{
    private static readonly Dictionary<string, PerformanceModelKind> Kinds = new(StringComparer.Ordinal)
    {
        ["reference"] = PerformanceModelKind.Reference,
        ["calibrated"] = PerformanceModelKind.Calibrated,
    };

    public static PerformanceModelConfig Read(MappingReader root)
    {
        var kind = root.Choice("performance_model", Kinds, required: false) ?? PerformanceModelKind.Reference;
        var block = root.Mapping("calibration", required: false);
        if (kind == PerformanceModelKind.Reference)
        {
            if (block is not null)
                root.Error("calibration", root.Get("calibration"), "is only read by the calibrated model; add 'performance_model: calibrated' or remove the block");
            return PerformanceModelConfig.Reference;
        }

        return PerformanceModelConfig.Calibrated(block is null ? CalibrationConfig.Default : ReadCalibration(block));
    }

    private static CalibrationConfig ReadCalibration(MappingReader c)
    {
        var d = CalibrationConfig.Default;
        var compute = d.Compute;
        if (c.Mapping("compute", required: false) is { } m)
        {
            var (tileM, tileN) = Tile(m, compute);
            compute = new CalibratedComputeConfig(
                Fraction(m, "tensor_efficiency", compute.TensorEfficiency),
                m.Double("fp8_speedup", compute.Fp8Speedup, min: 1, max: 8),
                tileM, tileN,
                m.Int("gemm_min_split_k", compute.MinSplitK, min: 16),
                m.Double("gemm_tile_overhead_k", compute.TileOverheadK, min: 0, max: 1e6));
            m.Finish();
        }

        var memory = d.Memory;
        if (c.Mapping("memory", required: false) is { } mem)
        {
            memory = new CalibratedMemoryConfig(
                Fraction(mem, "hbm_efficiency", memory.HbmEfficiency), Fraction(mem, "elementwise_efficiency", memory.ElementwiseEfficiency));
            mem.Finish();
        }

        var kernels = d.Kernels;
        if (c.Mapping("kernels", required: false) is { } k)
        {
            kernels = new CalibratedKernelConfig(
                k.Double("eager_launch", kernels.EagerLaunchSeconds, min: 0, max: 1e-3),
                k.Double("kernel_gap", kernels.KernelGapSeconds, min: 0, max: 1e-3),
                k.Bool("decode_cuda_graphs", kernels.DecodeCudaGraphs));
            k.Finish();
        }

        var attention = d.Attention;
        if (c.Mapping("attention", required: false) is { } a)
        {
            attention = new CalibratedAttentionConfig(
                Fraction(a, "flash_forward_efficiency", attention.FlashForwardEfficiency),
                Fraction(a, "flash_backward_efficiency", attention.FlashBackwardEfficiency),
                a.Double("flash_overhead_tokens", attention.FlashOverheadTokens, min: 0, max: 1e6),
                a.Double("flash_pair_overhead_flops", attention.FlashPairOverheadFlops, min: 0, max: 1e4));
            a.Finish();
        }

        var collectives = d.Collectives;
        if (c.Mapping("collectives", required: false) is { } n)
        {
            collectives = new CalibratedCollectiveConfig(
                n.Double("latency", collectives.LatencySeconds, min: 0, max: 1e-2),
                Fraction(n, "link_efficiency", collectives.LinkEfficiency));
            n.Finish();
        }

        var power = d.Power;
        if (c.Mapping("power", required: false) is { } p)
        {
            var idle = p.Double("idle", power.IdleWatts, min: 0, max: 1e5);
            var tdp = p.Double("tdp", power.TdpWatts, min: 0, max: 1e5, exclusiveMin: true);
            if (tdp < idle) p.Error("tdp", p.Get("tdp") ?? p.Node, $"must be at least the idle power ({idle} W)");
            power = new CalibratedPowerConfig(idle, tdp);
            p.Finish();
        }

        c.Finish();
        return new CalibrationConfig(compute, memory, kernels, attention, collectives, power);
    }

    private static double Fraction(MappingReader m, string key, double fallback) =>
        m.Double(key, fallback, min: 0, max: 1, exclusiveMin: true);

    private static (int M, int N) Tile(MappingReader m, CalibratedComputeConfig fallback)
    {
        var node = m.Get("gemm_tile");
        if (node is null) return (fallback.TileM, fallback.TileN);
        if (node is YamlSequence { Items.Count: 2 } s
            && ScalarConversion.TryInt(s.Items[0], out var a, out _) && ScalarConversion.TryInt(s.Items[1], out var b, out _)
            && a is >= 8 and <= 1024 && b is >= 8 and <= 1024)
        {
            return (a, b);
        }

        m.Error("gemm_tile", node, "must be a list of two tile sizes [rows, columns] between 8 and 1024, for example [128, 256]");
        return (fallback.TileM, fallback.TileN);
    }
}
