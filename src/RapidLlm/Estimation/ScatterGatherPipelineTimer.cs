using RapidLlm.Graphs;
using RapidLlm.Network;

namespace RapidLlm.Estimation;

/// <summary>
/// Megatron-LM's scatter/gather optimisation of pipeline sends, for the calibrated model: each of a stage's tp ranks
/// sends 1/tp of the activation over its own link to its peer on the next stage, which all-gathers the pieces over the
/// tensor-parallel link. With sequence parallelism the activation is already split along the sequence over the tp ranks,
/// so each rank sends its shard and nothing is gathered. Every other communication is priced by the wrapped timer.
/// </summary>
internal sealed class ScatterGatherPipelineTimer : ICommunicationTimer
{
    private readonly ICommunicationTimer _inner;
    private readonly int _tensorParallel;
    private readonly bool _sequenceParallel;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The timer of every other communication (and of the pieces).</param>
    /// <param name="tensorParallel">Ranks per stage that share the send.</param>
    /// <param name="sequenceParallel">Whether the activation is already sequence-parallel (no gather).</param>
    public ScatterGatherPipelineTimer(ICommunicationTimer inner, int tensorParallel, bool sequenceParallel)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _tensorParallel = Math.Max(1, tensorParallel);
        _sequenceParallel = sequenceParallel;
    }

    /// <inheritdoc />
    public double CollectiveSeconds(CollectiveKind kind, double sizeBytes, int participants, ParallelismAxis axis)
    {
        if (kind != CollectiveKind.PointToPoint || axis != ParallelismAxis.Pp || _tensorParallel == 1)
            return _inner.CollectiveSeconds(kind, sizeBytes, participants, axis);
        var piece = sizeBytes / _tensorParallel;
        var send = _inner.CollectiveSeconds(CollectiveKind.PointToPoint, piece, participants, ParallelismAxis.Pp);
        return _sequenceParallel ? send : send + _inner.CollectiveSeconds(CollectiveKind.AllGather, piece, _tensorParallel, ParallelismAxis.Tp);
    }
}
