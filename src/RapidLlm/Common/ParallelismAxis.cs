namespace RapidLlm.Common;

/// <summary>A parallelism axis whose traffic uses one network link.</summary>
public enum ParallelismAxis
{
    /// <summary>Tensor parallelism.</summary>
    Tp,
    /// <summary>Context parallelism.</summary>
    Cp,
    /// <summary>Expert parallelism.</summary>
    Ep,
    /// <summary>Pipeline parallelism (the seed's <c>lp</c>).</summary>
    Pp,
    /// <summary>Data parallelism.</summary>
    Dp,
}
