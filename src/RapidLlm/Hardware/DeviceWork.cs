namespace RapidLlm.Hardware;

/// <summary>Work a set of GPUs does in one phase: tensor FLOPs, bytes through HBM and bytes over links, summed over the GPUs.</summary>
/// <param name="Flops">Floating-point operations.</param>
/// <param name="HbmBytes">Bytes read from and written to device memory.</param>
/// <param name="LinkBytes">Bytes sent over network links.</param>
internal readonly record struct DeviceWork(double Flops, double HbmBytes, double LinkBytes)
{
    /// <summary>No work.</summary>
    public static DeviceWork None => default;

    /// <summary>The sum of two amounts of work.</summary>
    /// <param name="a">One amount.</param>
    /// <param name="b">The other.</param>
    public static DeviceWork operator +(DeviceWork a, DeviceWork b) => new(a.Flops + b.Flops, a.HbmBytes + b.HbmBytes, a.LinkBytes + b.LinkBytes);

    /// <summary>The work scaled by <paramref name="factor"/>.</summary>
    /// <param name="a">The work.</param>
    /// <param name="factor">The factor.</param>
    public static DeviceWork operator *(DeviceWork a, double factor) => new(a.Flops * factor, a.HbmBytes * factor, a.LinkBytes * factor);

    /// <summary>The sum of two amounts of work (named alternative to <c>+</c>).</summary>
    /// <param name="other">The other amount.</param>
    public DeviceWork Add(DeviceWork other) => this + other;

    /// <summary>The work scaled by <paramref name="factor"/> (named alternative to <c>*</c>).</summary>
    /// <param name="factor">The factor.</param>
    public DeviceWork Multiply(double factor) => this * factor;
}
