using System.Globalization;

namespace RapidLlm.Configuration;

/// <summary>An allowed interval of a numeric setting, with its unit for messages.</summary>
/// <param name="Min">Smallest allowed value.</param>
/// <param name="Max">Largest allowed value.</param>
/// <param name="Unit">Unit for messages, e.g. "bytes per second"; empty for counts.</param>
/// <param name="MinExclusive">The minimum itself is not allowed (the value must be above it).</param>
internal readonly record struct ValueRange(double Min, double Max, string Unit = "", bool MinExclusive = false)
{
    /// <summary>Whether <paramref name="value"/> is finite and inside the interval.</summary>
    public bool Contains(double value) =>
        double.IsFinite(value) && (MinExclusive ? value > Min : value >= Min) && value <= Max;

    /// <summary>"must be between 1 and 1,024" and similar.</summary>
    public string Describe()
    {
        var unit = Unit.Length == 0 ? "" : " " + Unit;
        return MinExclusive
            ? $"must be greater than {Format(Min)} and at most {Format(Max)}{unit}"
            : $"must be between {Format(Min)} and {Format(Max)}{unit}";
    }

    /// <summary>A readable number: integers with thousands separators, others in short scientific form.</summary>
    public static string Format(double value)
    {
        if (double.IsNaN(value)) return "NaN";
        if (double.IsInfinity(value)) return value > 0 ? "infinity" : "-infinity";
        var exponent = Math.Log10(Math.Abs(value));
        if (value != 0 && Math.Abs(value) >= 1e6 && exponent == Math.Floor(exponent)) return (value < 0 ? "-" : "") + "1e" + exponent.ToString(CultureInfo.InvariantCulture);
        if (value == Math.Floor(value) && Math.Abs(value) < 1e10) return value.ToString("N0", CultureInfo.InvariantCulture);
        var text = value.ToString("G4", CultureInfo.InvariantCulture);
        return text.Replace("E+", "e", StringComparison.Ordinal).Replace("E-", "e-", StringComparison.Ordinal);
    }
}

/// <summary>
/// The allowed range of every numeric setting. The bounds are generous (one to three orders of magnitude beyond any
/// device or model built so far) but keep every estimate finite and fast; docs/configuration.md lists them.
/// </summary>
internal static class ConfigRanges
{
    private const double KiB = 1024, MiB = KiB * 1024, GiB = MiB * 1024, TiB = GiB * 1024, PiB = TiB * 1024;

    /// <summary>Most devices one run may model (tp·cp·pp·dp·ep, or tp·cp·pp·replicas for inference): 2^20.</summary>
    public const int MaxDevices = 1 << 20;

    /// <summary>Most pipeline stages times micro-batches (the pipeline graph has a node per pair).</summary>
    public const int MaxStageMicroBatches = 1 << 16;

    // Parallelism.
    public static readonly ValueRange TensorParallel = new(1, 1024);
    public static readonly ValueRange ContextParallel = new(1, 1024);
    public static readonly ValueRange PipelineStages = new(1, 1024);
    public static readonly ValueRange MicroBatches = new(1, 65536);
    public static readonly ValueRange DataParallel = new(1, MaxDevices);
    public static readonly ValueRange ExpertParallel = new(1, 1024);
    public static readonly ValueRange Replicas = new(1, MaxDevices);
    public static readonly ValueRange MoeDataParallel = new(1, 1024);

    // Software.
    public static readonly ValueRange KernelLaunchOverhead = new(0, 1, "seconds");
    public static readonly ValueRange HostToDeviceBandwidth = new(1e3, 1e18, "bytes per second");
    public static readonly ValueRange ZeroStage = new(0, 3);
    public static readonly ValueRange ConstantMemory = new(0, PiB, "bytes");
    public static readonly ValueRange GradientAccumulationOverhead = new(0, 3600, "seconds");
    public static readonly ValueRange ElementBytes = new(0, 16, "bytes per element", MinExclusive: true);

    // Core.
    public static readonly ValueRange FlopsPerCyclePerMcu = new(0, 65536, "FLOP per cycle", MinExclusive: true);
    public static readonly ValueRange EnergyPerFlop = new(0, 1e-6, "joules");
    public static readonly ValueRange McusPerBundle = new(1, 1024);
    public static readonly ValueRange FmaDimension = new(1, 1024);
    /// <summary>Fraction of the nominal rate achieved; fitted files use values a little above 1.</summary>
    public static readonly ValueRange Utilization = new(0, 10, MinExclusive: true);
    public static readonly ValueRange Bundles = new(1, 1_000_000);
    public static readonly ValueRange ClockHz = new(1e6, 1e11, "Hz");
    public static readonly ValueRange AreaPerMcu = new(0, 1e6, "mm²", MinExclusive: true);
    public static readonly ValueRange PowerPerMcu = new(0, 1e6, "watts");
    public static readonly ValueRange Voltage = new(0, 100, "volts");

    // Memories.
    public static readonly ValueRange DramBytes = new(MiB, PiB, "bytes");
    public static readonly ValueRange SramBytes = new(KiB, 16 * TiB, "bytes");
    public static readonly ValueRange MemoryBandwidth = new(1e6, 1e18, "bytes per second");
    public static readonly ValueRange EnergyPerBit = new(0, 1e-6, "joules per bit");
    public static readonly ValueRange LatencySeconds = new(0, 1, "seconds");

    // Network.
    public static readonly ValueRange LinkBandwidth = new(1e3, 1e18, "bytes per second");
    public static readonly ValueRange Fraction = new(0, 1);
    public static readonly ValueRange SuperPodCount = new(1, MaxDevices);

    // Model.
    public static readonly ValueRange GlobalBatch = new(1, 16_777_216);
    public static readonly ValueRange AccumulationSteps = new(1, 65536);
    public static readonly ValueRange SequenceLength = new(1, 16_777_216);
    public static readonly ValueRange HiddenSize = new(1, 1_048_576);
    public static readonly ValueRange FeedForwardSize = new(1, 4_194_304);
    public static readonly ValueRange MoeFeedForwardSize = new(0, 4_194_304);
    public static readonly ValueRange Vocabulary = new(1, 16_777_216);
    public static readonly ValueRange VitVocabulary = new(0, 16_777_216);
    public static readonly ValueRange Layers = new(1, 4096);
    public static readonly ValueRange Heads = new(1, 65536);
    public static readonly ValueRange HeadSize = new(1, 65536);
    public static readonly ValueRange AttentionTile = new(1, 1_048_576);
    public static readonly ValueRange LatentRank = new(1, 65536);
    public static readonly ValueRange Experts = new(1, 4096);
    public static readonly ValueRange SharedExperts = new(0, 1024);
    public static readonly ValueRange LayerIndex = new(0, 4096);
    public static readonly ValueRange ImageSize = new(1, 65536);
    public static readonly ValueRange GemmDimension = new(1, 1_073_741_824);

    /// <summary>Most tokens one global batch may hold (global_batch_size × seq_len): 2^34.</summary>
    public const double MaxTokensPerBatch = 17_179_869_184;
}
