using RapidLlm.Common;

namespace RapidLlm.Operations;

/// <summary>The cost of one GEMM as the operation costs consume it (time and per-level traffic).</summary>
/// <param name="TimeSeconds">Time, including the kernel overhead when it was requested.</param>
/// <param name="AccessBytes">Bytes moved at each memory level, innermost first (not divided per SM).</param>
internal readonly record struct GemmCost(double TimeSeconds, EquatableArray<double> AccessBytes);
