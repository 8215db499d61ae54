namespace RapidLlm.Common;

/// <summary>One network link as the analytical model sees it.</summary>
/// <param name="BandwidthBytesPerSecond">Effective bandwidth (bandwidth × util).</param>
/// <param name="LatencySeconds">Latency per message or ring step.</param>
internal readonly record struct Link(double BandwidthBytesPerSecond, double LatencySeconds);
