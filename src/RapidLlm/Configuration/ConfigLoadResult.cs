using RapidLlm.Common;

namespace RapidLlm.Configuration;

/// <summary>A configuration loaded from YAML, with the warnings found and the schema it was written in.</summary>
/// <typeparam name="T">The configuration type.</typeparam>
/// <param name="Value">The normalised configuration.</param>
/// <param name="Source">The file or source name.</param>
/// <param name="Schema">The schema the file used.</param>
/// <param name="Warnings">Non-fatal problems.</param>
public sealed record ConfigLoadResult<T>(T Value, string Source, SchemaVersion Schema, EquatableArray<ConfigDiagnostic> Warnings)
{
    /// <summary>Line and column of each YAML path in the file; <see cref="SourcePositions.None"/> for text built in code.</summary>
    internal SourcePositions Positions { get; init; } = SourcePositions.None;
}
