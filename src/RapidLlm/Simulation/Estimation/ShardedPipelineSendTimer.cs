using RapidLlm.Common;
using RapidLlm.Graphs;
using RapidLlm.Network;

namespace RapidLlm.Simulation;

/// <summary>
/// Stage-to-stage sends under sequence parallelism, for the calibrated model: the activation is already split along the
/// sequence over a stage's tp ranks, so each rank sends its 1/tp shard over its own link to its peer on the next stage,
/// and the sends run side by side. Every other communication is priced by the wrapped timer.
/// </summary>
internal sealed class ShardedPipelineSendTimer : ICommunicationTimer
{
    private readonly ICommunicationTimer _inner;
    private readonly int _tensorParallel;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The timer of every communication (and of one shard's send).</param>
    /// <param name="tensorParallel">Ranks per stage, each sending one shard.</param>
    public ShardedPipelineSendTimer(ICommunicationTimer inner, int tensorParallel)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _tensorParallel = Math.Max(1, tensorParallel);
    }

    /// <inheritdoc />
    public double CollectiveSeconds(CollectiveKind kind, double sizeBytes, int participants, ParallelismAxis axis) =>
        kind == CollectiveKind.PointToPoint && axis == ParallelismAxis.Pp
            ? _inner.CollectiveSeconds(kind, sizeBytes / _tensorParallel, participants, axis)
            : _inner.CollectiveSeconds(kind, sizeBytes, participants, axis);
}
