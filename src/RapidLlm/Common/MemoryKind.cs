namespace RapidLlm.Common;

/// <summary>The kind of a memory level (the reference's SRAM-R, SRAM-L1, SRAM-L2, DRAM).</summary>
internal enum MemoryKind
{
    /// <summary>Register file (<c>SRAM-R</c>).</summary>
    Register,
    /// <summary>Shared memory / L1 (<c>SRAM-L1</c>).</summary>
    L1,
    /// <summary>Last-level cache (<c>SRAM-L2</c>).</summary>
    L2,
    /// <summary>Device DRAM / HBM (<c>DRAM</c>).</summary>
    Dram,
}
