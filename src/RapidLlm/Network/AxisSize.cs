using RapidLlm.Common;

namespace RapidLlm.Network;

/// <summary>The active size of one axis.</summary>
/// <param name="Axis">The axis.</param>
/// <param name="Size">Its size.</param>
internal readonly record struct AxisSize(ParallelismAxis Axis, int Size);
