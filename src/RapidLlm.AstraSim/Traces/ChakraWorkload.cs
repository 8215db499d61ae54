using RapidLlm.AstraSim.Chakra;

namespace RapidLlm.AstraSim.Traces;

/// <summary>A graph converted to AstraSim's inputs: one trace per rank, communicator groups and a manifest.</summary>
/// <param name="Traces">Trace of each rank, index = rank (dp-major: rank = dp·stages + stage).</param>
/// <param name="CommGroups">Communicator groups by id (comm_groups.json); empty when every collective spans all ranks.</param>
/// <param name="StageCount">Distinct hardware ids (stages) in the graph.</param>
/// <param name="DataParallel">Data-parallel replicas simulated.</param>
internal sealed record ChakraWorkload(
    IReadOnlyList<ChakraTrace> Traces,
    IReadOnlyDictionary<string, IReadOnlyList<int>> CommGroups,
    int StageCount,
    int DataParallel);
