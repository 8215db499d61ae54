using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Network;

namespace RapidLlm.AstraSim.Configs;

/// <summary>What one AstraSim run needs from the network: how many ranks and which parallelism axes they span.</summary>
/// <param name="RunType">Training or inference (selects the active axis sizes).</param>
/// <param name="NpusCount">Ranks in the run.</param>
/// <param name="AxesFilter">Only these axes may supply dimensions; null lets every axis compete (tp first).</param>
/// <param name="Flatten2DTo1D">Single-collective microbenchmarks simulate 2-D topologies as one ring/mesh/hypercube.</param>
/// <param name="SyntheticPairAxes">Set for one-rank graphs padded to two ranks: a synthetic 2-NPU dimension modelled on
/// the first dimension carrying one of these axes.</param>
/// <param name="FaultyLinksOverride">Faulty links to write instead of the hardware config's.</param>
internal sealed record AstraNetworkRequest(
    RunType RunType,
    int NpusCount,
    EquatableArray<ParallelismAxis>? AxesFilter = null,
    bool Flatten2DTo1D = false,
    EquatableArray<ParallelismAxis>? SyntheticPairAxes = null,
    EquatableArray<FaultyLink>? FaultyLinksOverride = null);
