using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Network;
using RapidLlm.Results;

namespace RapidLlm.Simulation;

/// <summary>Estimates GEMM mode (one matrix multiply, sharded, with backward and data-parallel reduction).</summary>
internal interface IGemmModeEstimator
{
    /// <summary>Estimates the GEMM described by <paramref name="config"/>.</summary>
    /// <param name="config">Shape, backward flag and shard axis.</param>
    /// <param name="tp">Tensor-parallel degree.</param>
    /// <param name="dp">Data-parallel degree.</param>
    /// <param name="tpLink">Link used by tensor-parallel traffic.</param>
    /// <param name="dpLink">Link used by data-parallel traffic.</param>
    GemmModeEstimate Estimate(GemmConfig config, int tp, int dp, Link tpLink, Link dpLink);
}
