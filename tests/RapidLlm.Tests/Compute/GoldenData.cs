using System.Globalization;
using System.Text.Json;
using RapidLlm.Common;
using RapidLlm.Hardware;

namespace RapidLlm.Tests.Compute;

/// <summary>Reads the reference's golden files copied under data/golden.</summary>
internal static class GoldenData
{
    public static string PathOf(string fileName) =>
        Path.Combine(TestContext.CurrentContext.TestDirectory, "data", "golden", fileName);

    /// <summary>Rows of a golden CSV as column → cell dictionaries (the files have no quoted cells).</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> ReadCsv(string fileName)
    {
        var lines = File.ReadAllLines(PathOf(fileName));
        var header = lines[0].Split(',');
        var rows = new List<IReadOnlyDictionary<string, string>>(lines.Length - 1);
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var cells = line.Split(',');
            var row = new Dictionary<string, string>(header.Length);
            for (var c = 0; c < header.Length; c++)
            {
                row[header[c]] = cells[c];
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Parses a Python repr float (including inf).</summary>
    public static double Number(string cell) => cell switch
    {
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        "nan" => double.NaN,
        _ => double.Parse(cell, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    public static long Integer(string cell) => long.Parse(cell, CultureInfo.InvariantCulture);

    public static Dataflow ParseDataflow(string value) => value switch
    {
        "none" => Dataflow.None,
        "best" => Dataflow.Best,
        "wst" => Dataflow.WeightStationary,
        "ast" => Dataflow.ActivationStationary,
        "ost" => Dataflow.OutputStationary,
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "Unknown dataflow."),
    };

    /// <summary>A golden hardware configuration: the derived device plus the software values the GEMM model needs.</summary>
    public sealed record Device(HardwareModel Hardware, double KernelOverheadSeconds, double ActivationBytes);

    /// <summary>Loads one of a100, h100, v100, waferscale; the dataflow overrides the configured one.</summary>
    public static Device LoadDevice(string key, Dataflow? dataflow = null)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(PathOf("compute_hardware.json")));
        var entry = document.RootElement.GetProperty("hardware").GetProperty(key);
        var core = entry.GetProperty("core");
        var fma = core.GetProperty("FMA_dims");
        var coreModel = new CoreModel(
            core.GetProperty("num_bundle").GetInt32(),
            core.GetProperty("num_mcu").GetInt32(),
            core.GetProperty("operating_freq").GetDouble(),
            core.GetProperty("throughput_flops_per_s").GetDouble(),
            fma[0].GetInt32(),
            fma[1].GetInt32(),
            dataflow ?? ParseDataflow(core.GetProperty("dataflow").GetString()!),
            core.GetProperty("nominal_energy_per_flop").GetDouble());
        var levels = entry.GetProperty("memory_levels").EnumerateArray().Select(level => new MemoryLevel(
            level.GetProperty("type").GetString() switch
            {
                "SRAM-R" => MemoryKind.Register,
                "SRAM-L1" => MemoryKind.L1,
                "SRAM-L2" => MemoryKind.L2,
                _ => MemoryKind.Dram,
            },
            level.GetProperty("scope").GetString() switch
            {
                "mcu" => MemoryScope.Mcu,
                "mcu-bundle" => MemoryScope.McuBundle,
                _ => MemoryScope.Global,
            },
            level.GetProperty("size_bytes").GetDouble(),
            level.GetProperty("size_per_bundle_bytes").GetDouble(),
            level.GetProperty("throughput_bytes_per_s").GetDouble(),
            level.GetProperty("latency_s").GetDouble(),
            level.GetProperty("dynamic_energy_per_bit").GetDouble())).ToArray();
        return new Device(
            new HardwareModel(coreModel, new EquatableArray<MemoryLevel>(levels)),
            entry.GetProperty("kernel_launch_overhead_s").GetDouble(),
            entry.GetProperty("activation_bytes").GetDouble());
    }

    /// <summary>|actual − expected| ≤ tolerance·|expected|, with equal infinities accepted.</summary>
    public static bool Close(double actual, double expected, double relativeTolerance) =>
        actual.Equals(expected) || Math.Abs(actual - expected) <= relativeTolerance * Math.Abs(expected);
}
