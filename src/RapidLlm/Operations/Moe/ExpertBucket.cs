namespace RapidLlm.Operations.Moe;

/// <summary>One batched expert GEMM of the hot rank.</summary>
/// <param name="Experts">Experts in the bucket (the GEMM batch).</param>
/// <param name="TokensPerExpert">Tokens each of them processes.</param>
/// <param name="Kind">Which experts these are.</param>
internal readonly record struct ExpertBucket(int Experts, long TokensPerExpert, ExpertBucketKind Kind);
