using System.Globalization;
using System.Text;
using RapidLlm.Common;

namespace RapidLlm.Inference;

/// <summary>The outcome of one inference estimate: prefill, sampled decode and what follows from them.</summary>
public sealed record InferenceEstimate
{
    /// <summary>Creates the estimate.</summary>
    /// <param name="settings">The settings used.</param>
    /// <param name="prefillSeconds">Prefill makespan (0 without a prompt).</param>
    /// <param name="decodeSeconds">Integrated decode time (0 without decode).</param>
    /// <param name="timeToFirstTokenSeconds">Prefill + the first decode step (just prefill without decode), or the serving engine's.</param>
    /// <param name="samples">Simulated decode steps, in step order.</param>
    /// <param name="rates">Per-sequence decode rates; null without decode.</param>
    /// <param name="throughput">Aggregate decode throughput; null without decode.</param>
    /// <param name="kvCache">KV-cache byte counters.</param>
    /// <param name="energy">Energy per phase and per token.</param>
    internal InferenceEstimate(
        InferenceSettings settings, double prefillSeconds, double decodeSeconds, double timeToFirstTokenSeconds, EquatableArray<DecodeSample> samples,
        DecodeRates? rates, AggregateDecodeThroughput? throughput, KvCacheTraffic kvCache, InferenceEnergy energy)
    {
        Settings = settings;
        PrefillSeconds = prefillSeconds;
        DecodeSeconds = decodeSeconds;
        TimeToFirstTokenSeconds = timeToFirstTokenSeconds;
        Samples = samples;
        Rates = rates;
        Throughput = throughput;
        KvCache = kvCache;
        Energy = energy;
    }

    /// <summary>The settings used (lengths, batch, replicas, sampling, energy accounting).</summary>
    internal InferenceSettings Settings { get; init; }

    /// <summary>Prompt tokens per sequence (prefilled).</summary>
    public int PromptTokens => Settings.PrefillLength;

    /// <summary>Generated tokens per sequence (decoded).</summary>
    public int GeneratedTokens => Settings.DecodeLength;

    /// <summary>Sequences one replica serves together.</summary>
    public int BatchSize => Settings.BatchSize;

    /// <summary>Independent replicas (data-parallel copies of the deployment); they multiply throughput and change no time.</summary>
    public int ReplicaCount => Settings.ReplicaCount;

    /// <summary>Prefill makespan (0 without a prompt).</summary>
    public double PrefillSeconds { get; init; }

    /// <summary>Integrated decode time (0 without decode).</summary>
    public double DecodeSeconds { get; init; }

    /// <summary>
    /// Prefill + the first decode step (just prefill without decode); under a serving engine (<see cref="Serving"/>) the
    /// request's overhead and the prefill, which emits the first token.
    /// </summary>
    public double TimeToFirstTokenSeconds { get; init; }

    /// <summary>Simulated decode steps, in step order.</summary>
    internal EquatableArray<DecodeSample> Samples { get; init; }

    /// <summary>Per-sequence decode rates; null without decode.</summary>
    internal DecodeRates? Rates { get; init; }

    /// <summary>Aggregate decode throughput; null without decode.</summary>
    internal AggregateDecodeThroughput? Throughput { get; init; }

    /// <summary>KV-cache byte counters.</summary>
    internal KvCacheTraffic KvCache { get; init; }

    /// <summary>Energy per phase and per token.</summary>
    public InferenceEnergy Energy { get; init; }

    /// <summary>Decode steps the estimate simulated (the others are interpolated between them).</summary>
    public int SampledDecodeSteps => Samples.Count;

    /// <summary>One sequence's generated tokens per second over the whole decode; null without decode.</summary>
    public double? DecodeTokensPerSecondPerSequence => Rates?.OverallTokensPerSecond;

    /// <summary>Generated tokens per second over every sequence of every replica, averaged over the whole decode; null without decode.</summary>
    public double? DecodeTokensPerSecond => Throughput?.OverallTokensPerSecond;

    /// <summary>KV-cache bytes read from memory over the whole decode.</summary>
    public double KvCacheDecodeFetchBytes => KvCache.DecodeFetchBytes;

    /// <summary>How the decode samples were integrated; null without decode.</summary>
    internal DecodeIntegral? Integral { get; init; }

    /// <summary>Prefill + decode.</summary>
    public double TotalSeconds => PrefillSeconds + DecodeSeconds;

    /// <summary>
    /// One request's times under the hardware's serving engine (<c>serving</c>); null when the bare kernels are priced.
    /// With an engine, <see cref="PrefillSeconds"/> is the time to first token, <see cref="DecodeSeconds"/> the O − 1
    /// decode steps (under continuous batching including the other requests' fused prefills) and
    /// <see cref="TotalSeconds"/> the request time.
    /// </summary>
    public ServingEstimate? Serving { get; init; }

    /// <summary>Per-GPU memory of prefill and the final decode step, when it was estimated.</summary>
    public RapidLlm.Memory.MemoryEstimate? Memory { get; init; }

    /// <summary>
    /// Average power of one GPU of the replica over the run: total energy / (GPUs per replica × total time); 0 without time.
    /// </summary>
    public double AveragePowerWattsPerGpu =>
        TotalSeconds > 0 ? Energy.TotalJoules / (Math.Max(1, Settings.GpusPerReplica) * TotalSeconds) : 0;

    /// <summary>True when there was no prompt to prefill.</summary>
    public bool PrefillSkipped => Settings.PrefillLength == 0;

    /// <summary>True when no token was generated.</summary>
    public bool DecodeSkipped => Settings.DecodeLength == 0;

    /// <summary>A short multi-line summary with units.</summary>
    /// <returns>Text.</returns>
    public override string ToString()
    {
        var s = Settings;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"Inference: {s.PrefillLength} prompt + {s.DecodeLength} generated tokens, batch {s.BatchSize} × {s.ReplicaCount} replica(s)").AppendLine();
        text.Append(CultureInfo.InvariantCulture, $"  prefill               {Seconds(PrefillSeconds)}").AppendLine();
        text.Append(CultureInfo.InvariantCulture, $"  decode                {Seconds(DecodeSeconds)} ({Samples.Count} sampled steps)").AppendLine();
        text.Append(CultureInfo.InvariantCulture, $"  total                 {Seconds(TotalSeconds)}").AppendLine();
        text.Append(CultureInfo.InvariantCulture, $"  time to first token   {Seconds(TimeToFirstTokenSeconds)}").AppendLine();
        if (Rates is { } r && Throughput is { } t)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"  per-sequence rate     start {Rate(r.StartTokensPerSecond)}, mid (step {r.MidpointStep}) {Rate(r.MidpointTokensPerSecond)}, end {Rate(r.EndTokensPerSecond)}, overall {Rate(r.OverallTokensPerSecond)}").AppendLine();
            text.Append(CultureInfo.InvariantCulture,
                $"  aggregate throughput  start {Rate(t.StartTokensPerSecond)}, mid {Rate(t.MidpointTokensPerSecond)}, end {Rate(t.EndTokensPerSecond)}, overall {Rate(t.OverallTokensPerSecond)}").AppendLine();
        }

        text.Append(CultureInfo.InvariantCulture,
            $"  KV cache              prefill store {Quantity.Bytes(KvCache.PrefillStoreBytes)}, decode store {Quantity.Bytes(KvCache.DecodeStoreBytes)}, decode fetch {Quantity.Bytes(KvCache.DecodeFetchBytes)}").AppendLine();
        text.Append(CultureInfo.InvariantCulture,
            $"  energy ({Energy.Accounting})  prefill {Joules(Energy.PrefillJoules)}, decode {Joules(Energy.DecodeJoules)}, total {Joules(Energy.TotalJoules)} ({Joules(Energy.TotalJoulesPerToken)} per token)");
        if (Memory is { } memory) text.AppendLine().Append("  memory                ").Append(memory.ToString().Replace("Memory: peak ", "peak ", StringComparison.Ordinal));
        return text.ToString();
    }

    private static string Seconds(double value) => Quantity.Seconds(value);

    private static string Joules(double value) => Quantity.Joules(value);

    private static string Rate(double value) => Quantity.Rate(value, "tok");

    /// <summary>The figures of this estimate with units (memory rows included when memory was estimated).</summary>
    /// <returns>The table every text form prints from.</returns>
    public ResultTable ToTable()
    {
        var s = Settings;
        var rows = new List<ResultRow>
        {
            new("prompt tokens", s.PrefillLength, ResultUnit.None),
            new("generated tokens", s.DecodeLength, ResultUnit.None),
            new("batch per replica", s.BatchSize, ResultUnit.None),
            new("replicas", s.ReplicaCount, ResultUnit.None),
            new("total time", TotalSeconds, ResultUnit.Seconds),
            new("prefill", PrefillSeconds, ResultUnit.Seconds),
            new("decode", DecodeSeconds, ResultUnit.Seconds),
            new("time to first token", TimeToFirstTokenSeconds, ResultUnit.Seconds),
        };
        if (Rates is { } r)
        {
            rows.Add(new("per-sequence rate, start", r.StartTokensPerSecond, ResultUnit.TokensPerSecond));
            rows.Add(new("per-sequence rate, end", r.EndTokensPerSecond, ResultUnit.TokensPerSecond));
            rows.Add(new("per-sequence rate, overall", r.OverallTokensPerSecond, ResultUnit.TokensPerSecond));
        }

        if (Throughput is { } t) rows.Add(new("aggregate throughput, overall", t.OverallTokensPerSecond, ResultUnit.TokensPerSecond));
        if (Serving is { } engine)
        {
            rows.Add(new("request time (serving engine)", engine.RequestSeconds, ResultUnit.Seconds));
            rows.Add(new("inter-token latency (serving engine)", engine.InterTokenLatencySeconds, ResultUnit.Seconds));
            rows.Add(new("output tokens per second per replica (serving engine)", engine.OutputTokensPerSecond, ResultUnit.TokensPerSecond));
        }

        rows.Add(new("KV cache fetched in decode", KvCache.DecodeFetchBytes, ResultUnit.Bytes));
        rows.Add(new("energy", Energy.TotalJoules, ResultUnit.Joules));
        rows.Add(new("energy per token", Energy.TotalJoulesPerToken, ResultUnit.Joules));
        if (Memory is { } memory) rows.AddRange(memory.ToTable().Rows);
        return new ResultTable($"Inference estimate{(Memory is { Report.Fits: false } ? ": does not fit in memory" : "")}", rows);
    }

    /// <summary>A Markdown table of the figures, with units.</summary>
    /// <returns>Markdown ending in a newline.</returns>
    public string ToMarkdown() => ToTable().ToMarkdown();

    /// <summary>CSV <c>metric,value,unit</c>, values in SI base units.</summary>
    /// <returns>CSV text.</returns>
    public string ToCsv() => ToTable().ToCsv();

    /// <summary>JSON <c>{"title", "metrics": [{"metric", "value", "unit"}]}</c>, values in SI base units.</summary>
    /// <param name="indented">Indent the output; default true.</param>
    /// <returns>JSON text.</returns>
    public string ToJson(bool indented = true) => ToTable().ToJson(indented);
}
