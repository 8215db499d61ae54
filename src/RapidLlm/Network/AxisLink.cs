using RapidLlm.Common;

namespace RapidLlm.Network;

/// <summary>The link of one axis.</summary>
/// <param name="Axis">The axis.</param>
/// <param name="Link">Its link (bandwidth × util, latency).</param>
internal readonly record struct AxisLink(ParallelismAxis Axis, Link Link);
