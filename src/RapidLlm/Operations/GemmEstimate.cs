using RapidLlm.Common;

namespace RapidLlm.Operations;

/// <summary>The cost of one GEMM as the tiled GEMM model reports it.</summary>
/// <param name="TimeSeconds">Time, including the kernel overhead when it was requested.</param>
/// <param name="AccessBytes">Bytes moved at each memory level, innermost first (not divided per SM).</param>
public readonly record struct GemmEstimate(double TimeSeconds, EquatableArray<double> AccessBytes);
