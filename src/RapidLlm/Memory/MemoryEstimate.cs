using RapidLlm.Common;

namespace RapidLlm.Memory;

/// <summary>
/// The memory estimate of a run: the peak against the capacity (<see cref="Report"/>), each device's memory in the pass
/// that peaks highest (<see cref="Devices"/>) and the components at the peak (<see cref="PeakBreakdown"/>).
/// </summary>
public sealed record MemoryEstimate
{
    internal MemoryEstimate(MemoryCapacityReport report, EquatableArray<MemorySimulationResult> simulations)
    {
        Report = report;
        Simulations = simulations;
        var peakPass = simulations.Where(s => s.PeakDevice is not null).MaxBy(s => s.PeakGib);
        Devices = peakPass is null ? default : new EquatableArray<DeviceMemory>(peakPass.Devices);
        PeakBreakdown = peakPass?.PeakDevice?.AtPeak;
    }

    /// <summary>Peak versus capacity.</summary>
    public MemoryCapacityReport Report { get; init; }

    /// <summary>The simulated passes: training one step; inference the prefill, then the final decode step (either may be absent).</summary>
    internal EquatableArray<MemorySimulationResult> Simulations { get; }

    /// <summary>The memory data of each simulation, in the same order.</summary>
    internal EquatableArray<MemoryData> Data { get; init; }

    /// <summary>
    /// Every simulated device's memory, by device id, in the pass with the highest peak: the training step, or for
    /// inference the prefill or the final decode step (<see cref="MemoryCapacityReport.PrefillPeakGib"/> and
    /// <see cref="MemoryCapacityReport.DecodePeakGib"/> give both peaks). Empty when nothing was simulated.
    /// </summary>
    public EquatableArray<DeviceMemory> Devices { get; }

    /// <summary>Component breakdown of the device with the overall peak.</summary>
    public MemoryComponentBreakdown? PeakBreakdown { get; }

    /// <summary>Equal when the reports and every simulated pass's per-device memory are equal.</summary>
    /// <param name="other">The other estimate.</param>
    /// <returns>Whether they are equal.</returns>
    public bool Equals(MemoryEstimate? other) =>
        other is not null && (ReferenceEquals(this, other)
            || (Report == other.Report && Simulations.Count == other.Simulations.Count
                && Simulations.Zip(other.Simulations).All(pair => pair.First.Devices.SequenceEqual(pair.Second.Devices))));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Report, Devices);

    /// <summary>The figures of this estimate with units: peaks, capacity, headroom and the components at the peak.</summary>
    /// <returns>The table every text form prints from.</returns>
    public ResultTable ToTable()
    {
        const double gib = DeviceMemory.BytesPerGib;
        var r = Report;
        var rows = new List<ResultRow> { new("peak memory per GPU", r.PeakBytes, ResultUnit.Bytes) };
        if (r.Mode == MemoryMode.Inference)
        {
            rows.Add(new("prefill peak per GPU", r.PrefillPeakGib * gib, ResultUnit.Bytes));
            rows.Add(new("final decode peak per GPU", r.DecodePeakGib * gib, ResultUnit.Bytes));
        }

        if (r.CapacityGib is { } capacity)
        {
            rows.Add(new("capacity per GPU", capacity * gib, ResultUnit.Bytes));
            rows.Add(new("headroom per GPU", (capacity - r.PeakGib) * gib, ResultUnit.Bytes));
        }

        if (PeakBreakdown is { } b)
        {
            foreach (var (name, bytes) in new[]
                     {
                         ("weights", b.WeightBytes), ("gradients", b.GradientBytes), ("optimizer states", b.OptimizerBytes),
                         ("activations", b.ActivationBytes), ("KV cache", b.KvCacheBytes), ("ZeRO-3 gathers", b.EphemeralBytes),
                         ("other static", b.OtherStaticBytes),
                     })
            {
                if (bytes != 0) rows.Add(new("at peak: " + name, bytes, ResultUnit.Bytes));
            }
        }

        return new ResultTable($"Memory estimate ({r.Mode.ToString().ToLowerInvariant()}){(r.Fits ? "" : ": does not fit")}", rows);
    }

    /// <summary>One line with units: the peak per GPU against the capacity.</summary>
    /// <returns>Text.</returns>
    public override string ToString()
    {
        const double gib = DeviceMemory.BytesPerGib;
        var r = Report;
        var peak = Quantity.Bytes(r.PeakGib * gib);
        return r.CapacityGib is { } c
            ? $"Memory: peak {peak} per GPU of {Quantity.Bytes(c * gib)} ({(r.Fits ? "fits" : "does not fit")})"
            : $"Memory: peak {peak} per GPU (capacity unknown)";
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
