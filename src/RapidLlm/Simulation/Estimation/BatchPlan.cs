using RapidLlm.Graphs;

namespace RapidLlm.Simulation;

/// <summary>
/// How a global batch is split: per gradient-accumulation step, per data-parallel replica and per pipeline micro-batch,
/// and the batch each transformer operation is costed at.
/// </summary>
/// <param name="StepBatch">Sequences per gradient-accumulation step (global batch / steps).</param>
/// <param name="ReplicaBatch">Sequences per data-parallel replica, rounded up.</param>
/// <param name="MicroBatch">Sequences per pipeline micro-batch, rounded up (the replica batch without a pipeline).</param>
/// <param name="EffectiveBatch">The batch every operation is costed at.</param>
internal sealed record BatchPlan(long StepBatch, long ReplicaBatch, long MicroBatch, long EffectiveBatch)
{
    /// <summary>The bookkeeping for a training step.</summary>
    /// <param name="globalBatch">Sequences per optimizer step.</param>
    /// <param name="accumulationSteps">Gradient-accumulation steps.</param>
    /// <param name="dp">Data-parallel replicas.</param>
    /// <param name="pp">Pipeline stages.</param>
    /// <param name="microBatches">Micro-batches per step.</param>
    /// <param name="singleStage">
    /// How one stage runs several micro-batches: <see cref="SingleStageMicroBatchPolicy.Chain"/> splits the replica's
    /// batch into them, as with a pipeline; <see cref="SingleStageMicroBatchPolicy.ReproduceReference"/> keeps the
    /// reference's bookkeeping, where a single stage's micro-batch is the whole replica batch.
    /// </param>
    public static BatchPlan ForTraining(long globalBatch, int accumulationSteps, int dp, int pp, int microBatches, SingleStageMicroBatchPolicy singleStage)
    {
        var step = globalBatch / accumulationSteps;
        var replica = CeilDiv(step, dp);
        var split = pp > 1 || singleStage == SingleStageMicroBatchPolicy.Chain;
        var micro = split ? CeilDiv(replica, microBatches) : replica;
        var effective = split ? micro : dp > 1 ? replica : step;
        return new BatchPlan(step, replica, micro, effective);
    }

    /// <summary>The bookkeeping for inference, where the batch belongs to one replica.</summary>
    /// <param name="batch">Sequences served together by one replica.</param>
    /// <param name="pp">Pipeline stages.</param>
    /// <param name="microBatches">Micro-batches.</param>
    public static BatchPlan ForInference(long batch, int pp, int microBatches)
    {
        var micro = pp > 1 ? CeilDiv(batch, microBatches) : batch;
        return new BatchPlan(batch, batch, micro, pp > 1 ? micro : batch);
    }

    private static long CeilDiv(long a, long b) => (a + b - 1) / b;
}
