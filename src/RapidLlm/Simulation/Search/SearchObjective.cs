namespace RapidLlm.Search;

/// <summary>What a configuration search ranks the candidates that fit by.</summary>
public enum SearchObjective
{
    /// <summary>Training: the shortest time per batch first (the default for training).</summary>
    TimePerBatch,

    /// <summary>The most tokens per second first: aggregate decode throughput for inference (its default), trained tokens for training.</summary>
    Throughput,

    /// <summary>Inference: the shortest time to first token first.</summary>
    TimeToFirstToken,
}
