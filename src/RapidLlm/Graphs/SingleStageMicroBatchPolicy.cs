namespace RapidLlm.Graphs;

/// <summary>
/// How micro-batches after the first are started on a single-stage pipeline (pp = 1 with several
/// micro-batches), where no stage boundary leaves stage 0. See docs/differences.md. Pipelines with more
/// stages than layers (one layer on stage 0, the LM head on the last stage) keep the reference's graph
/// under either policy, so they time as the reference does.
/// </summary>
internal enum SingleStageMicroBatchPolicy
{
    /// <summary>
    /// Corrected behaviour: micro-batch b's LM head precedes micro-batch b+1's embedding in forward, and
    /// micro-batch b's embedding backward precedes micro-batch b−1's LM-head backward, so every
    /// micro-batch runs, in GPipe order (all forwards, then backwards in reverse order). Only applied
    /// when pp = 1.
    /// </summary>
    Chain,

    /// <summary>
    /// Reference behaviour (7ffb3e2 and 317a2cb): later embeddings get no predecessor, so micro-batches
    /// ≥ 1 are unreachable and the simulated time covers micro-batch 0 only. For parity checks.
    /// </summary>
    ReproduceReference,
}
