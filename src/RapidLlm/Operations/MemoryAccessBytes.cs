using RapidLlm.Common;

namespace RapidLlm.Operations;

/// <summary>
/// Bytes an operator moves at each memory level, innermost first. Empty means the reference reports no
/// traffic for the operator (for example backward passes and single-device attention GEMMs).
/// </summary>
/// <param name="PerLevel">Bytes per level (level 0 first), or empty.</param>
internal readonly record struct MemoryAccessBytes(EquatableArray<double> PerLevel)
{
    /// <summary>No reported traffic.</summary>
    public static MemoryAccessBytes None => new(EquatableArray<double>.Empty);

    /// <summary>Whether any level is reported.</summary>
    public bool IsReported => PerLevel.Count > 0;

    /// <summary>Bytes at a level, 0 when not reported.</summary>
    /// <param name="level">The level.</param>
    /// <returns>Bytes.</returns>
    public double At(int level) => level < PerLevel.Count ? PerLevel[level] : 0.0;

    /// <summary>Bytes at the outermost reported level (DRAM), 0 when none.</summary>
    public double DramBytes => PerLevel.Count > 0 ? PerLevel[PerLevel.Count - 1] : 0.0;

    /// <summary>Traffic that only touches DRAM, as the reference records a scalar byte count.</summary>
    /// <param name="levelCount">Levels in the hierarchy.</param>
    /// <param name="bytes">DRAM bytes.</param>
    /// <returns>Zeros except the last level.</returns>
    public static MemoryAccessBytes DramOnly(int levelCount, double bytes)
    {
        var levels = new double[levelCount];
        levels[levelCount - 1] = bytes;
        return new(levels);
    }

    /// <summary>Level-wise sum; a side that is not reported adds nothing.</summary>
    /// <param name="other">The other traffic.</param>
    /// <returns>The sum.</returns>
    public MemoryAccessBytes Plus(MemoryAccessBytes other)
    {
        if (!other.IsReported) return this;
        if (!IsReported) return other;
        var sum = new double[Math.Max(PerLevel.Count, other.PerLevel.Count)];
        for (var i = 0; i < sum.Length; i++) sum[i] = At(i) + other.At(i);
        return new(sum);
    }
}
