using RapidLlm.Graphs;
using RapidLlm.Operations;

namespace RapidLlm.Memory;

/// <summary>
/// Output elements one rank produces for each GEMM of a layer, after the mode's sharding (the
/// reference's GEMM shard descriptor): tensor modes split heads (attention batch), column-parallel
/// outputs (qkv, ffn1) and the vocabulary; context modes split the query rows and, for scores, the keys.
/// </summary>
internal static class ShardedOutputElements
{
    private enum Gemm
    {
        Qkv,
        AttentionScore,
        AttentionOutput,
        OutputProjection,
        Ffn1,
        Ffn2,
        Linear,
    }

    public static double QkvProjection(MemoryEstimatorInput m, MemoryPhaseInput p)
    {
        if (m.Mla is { } mla)
        {
            // MLA's projection stage outputs both latents, the rotary key, the queries and, in training and prefill,
            // the expanded keys and values; a decode step produces the absorbed queries instead.
            var expanded = IsDecode(p) ? mla.NumHeads * mla.KvLoraRank : mla.NumHeads * (mla.QkNopeHeadDim + mla.VHeadDim);
            var width = mla.QLoraRank + mla.KvLoraRank + mla.QkRopeHeadDim + (mla.NumHeads * mla.QkHeadDim) + expanded;
            return Elements(m, Gemm.Qkv, 1, (long)p.BatchSize * p.SequenceLength, width);
        }

        var (_, q, kv) = AttentionSizes(m);
        return Elements(m, Gemm.Qkv, 1, (long)p.BatchSize * p.SequenceLength, q + (2L * kv));
    }

    public static double AttentionScore(MemoryEstimatorInput m, MemoryPhaseInput p)
    {
        if (m.Mla is { } mla)
        {
            return Elements(m, Gemm.AttentionScore, p.BatchSize * mla.NumHeads, p.SequenceLength, p.AttentionKeyLength);
        }

        var (kvHeads, shared) = HeadGroups(m);
        return Elements(m, Gemm.AttentionScore, (long)p.BatchSize * kvHeads, (long)p.SequenceLength * shared, p.AttentionKeyLength);
    }

    public static double AttentionOutput(MemoryEstimatorInput m, MemoryPhaseInput p)
    {
        if (m.Mla is { } mla)
        {
            // A decode step's context stays in the latent space until the output stage expands it.
            var width = IsDecode(p) ? mla.KvLoraRank : mla.VHeadDim;
            return Elements(m, Gemm.AttentionOutput, p.BatchSize * mla.NumHeads, p.SequenceLength, width);
        }

        var (kvHeads, shared) = HeadGroups(m);
        var (headDim, _, _) = AttentionSizes(m);
        return Elements(m, Gemm.AttentionOutput, (long)p.BatchSize * kvHeads, (long)p.SequenceLength * shared, headDim);
    }

    public static double OutputProjection(MemoryEstimatorInput m, MemoryPhaseInput p) =>
        Elements(m, Gemm.OutputProjection, 1, (long)p.BatchSize * p.SequenceLength, m.HiddenDim);

    public static double Ffn1(MemoryEstimatorInput m, MemoryPhaseInput p) =>
        Elements(m, Gemm.Ffn1, 1, (long)p.BatchSize * p.SequenceLength, m.GatedMlp ? 2L * m.IntermediateSize : m.IntermediateSize);

    public static double Ffn2(MemoryEstimatorInput m, MemoryPhaseInput p) =>
        Elements(m, Gemm.Ffn2, 1, (long)p.BatchSize * p.SequenceLength, m.HiddenDim);

    public static double Linear(MemoryEstimatorInput m, MemoryPhaseInput p) =>
        Elements(m, Gemm.Linear, 1, (long)p.BatchSize * p.SequenceLength, m.VocabularySize);

    /// <summary>Head dim, query width and key/value width.</summary>
    /// <summary>A decode step attends over more keys than it has query tokens; prefill and training over as many.</summary>
    private static bool IsDecode(MemoryPhaseInput p) => p.AttentionKeyLength != p.SequenceLength;

    public static (int HeadDim, long QuerySize, long KeyValueSize) AttentionSizes(MemoryEstimatorInput m)
    {
        var headDim = m.HeadDim ?? (m.HiddenDim / m.Heads);
        return (headDim, (long)m.Heads * headDim, (long)(m.KeyValueHeads ?? m.Heads) * headDim);
    }

    private static (int KvHeads, int Shared) HeadGroups(MemoryEstimatorInput m)
    {
        var kvHeads = m.KeyValueHeads ?? m.Heads;
        if (kvHeads <= 0 || m.Heads % kvHeads != 0)
        {
            throw new ArgumentException("Heads must be a multiple of key/value heads.", nameof(m));
        }

        return (kvHeads, m.Heads / kvHeads);
    }

    private static double Elements(MemoryEstimatorInput m, Gemm gemm, long batch, long rows, long columns)
    {
        var tp = Math.Max(1, m.TensorParallel);
        var cp = Math.Max(1, m.ContextParallel);
        static long Ceil(long a, long b) => (a + b - 1) / b;
        switch (m.Mode)
        {
            case ParallelismMode.Tensor:
            case ParallelismMode.TensorSequence:
                switch (gemm)
                {
                    case Gemm.AttentionScore or Gemm.AttentionOutput:
                        batch = Ceil(batch, tp);
                        break;
                    case Gemm.Qkv or Gemm.Ffn1:
                        columns = Ceil(columns, tp);
                        break;
                    case Gemm.Linear:
                        columns = Ceil(columns, tp * cp);
                        break;
                }

                break;
            case ParallelismMode.Context:
                rows = Ceil(rows, cp);
                if (gemm == Gemm.AttentionScore)
                {
                    columns = Ceil(columns, cp);
                }

                break;
            case ParallelismMode.TensorContextHybrid:
                rows = Ceil(rows, cp);
                switch (gemm)
                {
                    case Gemm.AttentionScore:
                        batch = Ceil(batch, tp);
                        columns = Ceil(columns, cp);
                        break;
                    case Gemm.AttentionOutput:
                        batch = Ceil(batch, tp);
                        break;
                    case Gemm.Qkv or Gemm.Ffn1 or Gemm.Linear:
                        columns = Ceil(columns, tp);
                        break;
                }

                break;
        }

        return (double)(batch * rows * columns);
    }
}
