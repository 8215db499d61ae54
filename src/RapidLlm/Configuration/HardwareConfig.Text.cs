using System.Globalization;

namespace RapidLlm.Configuration;

public sealed partial record HardwareConfig
{
    /// <summary>
    /// One readable line: compute, memory, parallelism, network and backend, e.g.
    /// <c>108 × 4 MCUs at 1.41 GHz (312 TFLOP/s peak), 80 GiB DRAM at 2,132 GB/s; tp 2+sp, cp 1, pp 1 (mb 1), dp 1, ep 1; 3 network dimension(s); Analytical backend</c>.
    /// </summary>
    public override string ToString()
    {
        var core = Technology.Core;
        var bundles = core.NumBundles ?? 0;
        var hz = core.OperatingFrequencyHz ?? 0;
        var peak = bundles * core.NumMcuPerBundle * core.NominalFlopRatePerMcu * hz;
        var dram = Technology.Dram;
        var p = Parallelism;
        return string.Create(CultureInfo.InvariantCulture,
            $"{bundles} × {core.NumMcuPerBundle} MCUs at {hz / 1e9:0.###} GHz ({peak / 1e12:0.#} TFLOP/s peak), "
            + $"{dram.SizeBytes / (1L << 30):0.##} GiB DRAM at {dram.BandwidthBytesPerSecond / 1e9:N0} GB/s; "
            + $"tp {p.Tp}{(p.TpSp ? "+sp" : "")}, cp {p.Cp}, pp {p.Pp} (mb {p.MicroBatches}), dp {p.Train.Dp}, ep {p.Train.Ep}; "
            + $"{Network.Dimensions.Count} network dimension(s); {ExecutionBackend.Kind}{(ExecutionBackend.Astra is { } a ? " " + a.Mode : "")} backend");
    }
}
