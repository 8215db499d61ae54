namespace RapidLlm.Operations.Moe;

/// <summary>Which experts of the hot rank a bucket covers.</summary>
internal enum ExpertBucketKind
{
    /// <summary>All local experts at the balanced load.</summary>
    Uniform,
    /// <summary>The single hot expert.</summary>
    Hot,
    /// <summary>The remaining, colder local experts.</summary>
    Cold,
}
