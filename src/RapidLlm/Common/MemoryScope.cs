namespace RapidLlm.Common;

/// <summary>How a memory level's capacity is shared.</summary>
internal enum MemoryScope
{
    /// <summary>One pool for the whole device.</summary>
    Global,
    /// <summary>One pool per MCU bundle (SM).</summary>
    McuBundle,
    /// <summary>One pool per MCU.</summary>
    Mcu,
}
