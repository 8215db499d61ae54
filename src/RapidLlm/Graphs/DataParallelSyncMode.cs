namespace RapidLlm.Graphs;

/// <summary>When data-parallel gradient synchronisation is issued (<c>dp_microbatch</c>).</summary>
internal enum DataParallelSyncMode
{
    /// <summary>After every micro-batch's backward (<c>every_mb</c>).</summary>
    EveryMicroBatch,
    /// <summary>Only after the last-processed micro-batch (<c>last_mb</c>); ZeRO-3 still syncs every micro-batch.</summary>
    LastMicroBatch,
}
