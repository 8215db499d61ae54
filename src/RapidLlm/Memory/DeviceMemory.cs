namespace RapidLlm.Memory;

/// <summary>Memory of one device over a simulation, in bytes (<c>…Gib</c> properties give GiB).</summary>
/// <param name="DeviceId">Device id.</param>
/// <param name="StaticBytes">Allocated at time 0 and never freed.</param>
/// <param name="EndBytes">Held when the simulation ends.</param>
/// <param name="PeakBytes">Highest amount held.</param>
/// <param name="AtPeak">Components at the peak.</param>
public sealed record DeviceMemory(int DeviceId, double StaticBytes, double EndBytes, double PeakBytes, MemoryComponentBreakdown AtPeak)
{
    /// <summary>Bytes per GiB.</summary>
    public const double BytesPerGib = 1024.0 * 1024.0 * 1024.0;

    /// <summary>Static memory in GiB.</summary>
    public double StaticGib => StaticBytes / BytesPerGib;

    /// <summary>End memory in GiB.</summary>
    public double EndGib => EndBytes / BytesPerGib;

    /// <summary>Peak memory in GiB.</summary>
    public double PeakGib => PeakBytes / BytesPerGib;
}
