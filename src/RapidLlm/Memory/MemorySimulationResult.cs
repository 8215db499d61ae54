namespace RapidLlm.Memory;

/// <summary>Outcome of one memory simulation.</summary>
internal sealed class MemorySimulationResult : IEquatable<MemorySimulationResult>
{
    private readonly double[] _finishTimesSeconds;

    internal MemorySimulationResult(double endTimeSeconds, double[] finishTimesSeconds, IReadOnlyList<DeviceMemory> devices)
    {
        EndTimeSeconds = endTimeSeconds;
        _finishTimesSeconds = finishTimesSeconds;
        Devices = devices;
    }

    /// <summary>Time of the last event (shorter than the training time: transformer collectives are 0 s here).</summary>
    public double EndTimeSeconds { get; }

    /// <summary>Per-device memory, indexed by device id.</summary>
    public IReadOnlyList<DeviceMemory> Devices { get; }

    /// <summary>Highest device peak, in GiB.</summary>
    public double PeakGib => Devices.Count == 0 ? 0.0 : Devices.Max(d => d.PeakGib);

    /// <summary>The device with the highest peak (the first one on ties).</summary>
    public DeviceMemory? PeakDevice => Devices.Count == 0 ? null : Devices.MaxBy(d => d.PeakBytes);

    /// <summary>Finish times by vertex index (NaN for vertices that never ran).</summary>
    public IReadOnlyList<double> FinishTimesSeconds => _finishTimesSeconds;

    /// <summary>The peak of the busiest device in bytes.</summary>
    public double PeakBytes => Devices.Count == 0 ? 0.0 : Devices.Max(d => d.PeakBytes);

    /// <summary>Equal when the end time, every device and every finish time are equal.</summary>
    public bool Equals(MemorySimulationResult? other) =>
        other is not null && (ReferenceEquals(this, other)
            || (EndTimeSeconds.Equals(other.EndTimeSeconds) && Devices.SequenceEqual(other.Devices) && _finishTimesSeconds.AsSpan().SequenceEqual(other._finishTimesSeconds)));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as MemorySimulationResult);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(EndTimeSeconds, Devices.Count, _finishTimesSeconds.Length);
}
