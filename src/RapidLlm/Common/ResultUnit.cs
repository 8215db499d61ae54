namespace RapidLlm.Common;

/// <summary>The unit of a <see cref="ResultRow"/> value; values are always stored in the SI base unit named here.</summary>
public enum ResultUnit
{
    /// <summary>A plain number (a count or a ratio).</summary>
    None,
    /// <summary>Seconds.</summary>
    Seconds,
    /// <summary>Bytes (printed in binary units: KiB, MiB, GiB).</summary>
    Bytes,
    /// <summary>Joules.</summary>
    Joules,
    /// <summary>Tokens per second.</summary>
    TokensPerSecond,
    /// <summary>A fraction in [0, 1] (printed as a percentage).</summary>
    Fraction,
}
