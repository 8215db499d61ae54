namespace RapidLlm.Validation;

/// <summary>Another tool's errors next to ours on exactly the points where that tool published a prediction.</summary>
/// <param name="Tool">The tool.</param>
/// <param name="Theirs">The tool's errors on those points.</param>
/// <param name="Ours">Our errors on the same points.</param>
public sealed record ToolComparison(string Tool, ErrorStatistics Theirs, ErrorStatistics Ours);
