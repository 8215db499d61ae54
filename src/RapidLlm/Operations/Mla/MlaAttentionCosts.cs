using RapidLlm.Common;
using RapidLlm.Network;

namespace RapidLlm.Operations.Mla;

/// <summary>
/// Training and prefill costs of multi-head latent attention. Each stage (projection, attention, output projection)
/// is priced as one fused kernel: the FLOPs and traffic of its component GEMMs are summed and a single multi-level
/// roofline turns them into time, as the reference does for MLA.
/// </summary>
internal static class MlaAttentionCosts
{
    internal const int SoftmaxForwardFlops = 7;
    internal const int SoftmaxForwardAccesses = 4;
    private const int SoftmaxBackwardFlops = 4;
    private const int SoftmaxBackwardAccesses = 3;

    /// <summary>The GEMMs of one MLA layer over a full sequence (training or prefill).</summary>
    private sealed record Shapes(
        GemmShape DownQ, GemmShape DownKv, GemmShape UpQ, GemmShape UpKv,
        GemmShape Score, GemmShape Output, GemmShape OutProj);

    private static Shapes For(MlaDims mla, long hidden, long batch, long sequence)
    {
        var tokens = batch * sequence;
        var h = mla.NumHeads;
        return new Shapes(
            GemmShape.Single(tokens, hidden, mla.QLoraRank),
            GemmShape.Single(tokens, hidden, mla.KvLoraRank + mla.QkRopeHeadDim),
            GemmShape.Single(tokens, mla.QLoraRank, h * mla.QkHeadDim),
            GemmShape.Single(tokens, mla.KvLoraRank, h * (mla.QkNopeHeadDim + mla.VHeadDim)),
            new GemmShape(batch * h, sequence, mla.QkHeadDim, sequence),
            new GemmShape(batch * h, sequence, sequence, mla.VHeadDim),
            GemmShape.Single(tokens, h * mla.VHeadDim, hidden));
    }

    /// <summary>Costs <c>qkv_proj</c>, <c>attention</c> (with its parts) and <c>output_proj</c>.</summary>
    public static (OperationCost Qkv, OperationCost Attention, EquatableArray<OperationCost> Parts, OperationCost OutputProjection)
        Estimate(LayerCostContext c, MlaDims mla, long batch, long sequence)
    {
        var hidden = c.Model.HiddenDim;
        var g = For(mla, hidden, batch, sequence);
        var cpVisible = c.Mode is ParallelismMode.Context or ParallelismMode.TensorContextHybrid;
        var tpReduce = c.Mode switch
        {
            ParallelismMode.Tensor => CollectiveKind.AllReduce,
            ParallelismMode.TensorSequence or ParallelismMode.TensorContextHybrid => CollectiveKind.ReduceScatter,
            _ => (CollectiveKind?)null,
        };

        // Projection: both down-projections and both up-projections.
        (GemmShape, GemmRole)[] projection =
            [(g.DownQ, GemmRole.MlaDownProjection), (g.DownKv, GemmRole.MlaDownProjection), (g.UpQ, GemmRole.Qkv), (g.UpKv, GemmRole.Qkv)];
        var projF = cpVisible
            ? Comm(c, CollectiveKind.AllGather, LatentBytes(c, g, c.Precision.Activations), c.Cp)
            : NoComm;
        var down = ShardedGemm.Of(g.DownQ, GemmRole.MlaDownProjection, c.Parallelism);
        // The replicated down-projections feed every tp rank, so their input gradients (q, kv and rotary slices) are reduced.
        var projB = tpReduce is { } projKind
            ? Comm(c, projKind, Math.Ceiling(c.Precision.GradCommunication * (double)down.M * down.Batch
                                             * (mla.QLoraRank + mla.KvLoraRank + mla.QkRopeHeadDim)), c.Tp)
            : NoComm;
        var qkv = new OperationCost("qkv_proj",
            Composite(c, projection, backward: false, 0, projF),
            Composite(c, projection, backward: true, mla.ProjectionStageParameters(hidden), projB));

        var (attention, parts) = Attention(c, g, cpVisible);

        // Output projection.
        (GemmShape, GemmRole)[] output = [(g.OutProj, GemmRole.OutputProjection)];
        var outSlice = ShardedGemm.Of(g.OutProj, GemmRole.OutputProjection, c.Parallelism);
        var outF = tpReduce is { } outKind
            ? Comm(c, outKind, Math.Ceiling(c.Precision.Activations * (double)g.OutProj.Batch * outSlice.M * g.OutProj.N), c.Tp)
            : NoComm;
        var outB = cpVisible
            ? Comm(c, CollectiveKind.AllGather, LatentBytes(c, g, c.Precision.Activations), c.Cp)
            : NoComm;
        var outProj = new OperationCost("output_proj",
            Composite(c, output, backward: false, 0, outF),
            Composite(c, output, backward: true, mla.OutputParameters(hidden), outB));
        return (qkv, attention, parts, outProj);
    }

    private static (OperationCost Attention, EquatableArray<OperationCost> Parts) Attention(LayerCostContext c, Shapes g, bool cpVisible)
    {
        var flash = c.Workload.FlashAttention;
        var training = c.Workload.Phase == RunPhase.Training;
        var act = c.Precision.Activations;
        MemoryAccessBytes? scoreMemF = null, scoreMemB = null, outMemF = null, outMemB = null;
        double recomputeLocal = 0, recomputeGlobal = 0, softmaxRecomputeFlops = 0;
        var localScores = Math.Ceiling((double)g.Score.Batch * g.Score.M * g.Score.N / Math.Max(1, c.Tp * c.Cp));
        if (flash)
        {
            // The fused kernel streams Q, the expanded K/V and the context through DRAM once (twice for K/V and
            // the context in backward); the score matrix never leaves the chip.
            var query = QueryBytes(c, g, act);
            var cache = CacheBytes(c, g, act);
            var context = ContextBytes(c, g, act);
            scoreMemF = c.DramOnly(query + cache);
            scoreMemB = c.DramOnly(query + 2 * cache);
            outMemF = c.DramOnly(context);
            outMemB = c.DramOnly(2 * context);
            if (training && !c.Workload.FullRecomputation)
            {
                var (local, global, _) = ForwardStats(c, g.Score, GemmRole.AttentionScore);
                recomputeLocal = local;
                recomputeGlobal = global;
                softmaxRecomputeFlops = localScores * (SoftmaxForwardFlops + 1);
            }
        }

        var scoreB = cpVisible
            ? Comm(c, CollectiveKind.ReduceScatter, LatentBytes(c, g, c.Precision.GradCommunication), c.Cp)
            : NoComm;
        (GemmShape, GemmRole)[] score = [(g.Score, GemmRole.AttentionScore)];
        (GemmShape, GemmRole)[] output = [(g.Output, GemmRole.AttentionOutput)];
        var scoreF = Composite(c, score, backward: false, 0, NoComm, memoryOverride: scoreMemF);
        var scoreBack = Composite(c, score, backward: true, 0, scoreB, recomputeLocal, recomputeGlobal, scoreMemB);

        var softmaxF = Softmax(c, localScores, SoftmaxForwardFlops + 1, SoftmaxForwardAccesses);
        var softmaxB = Softmax(c, localScores, SoftmaxBackwardFlops + 1, SoftmaxBackwardAccesses);
        if (flash && training && !c.Workload.FullRecomputation)
        {
            // The flash backward recomputes the softmax from the saved statistics.
            var bytes = act * localScores * SoftmaxForwardAccesses;
            var time = c.DramRoofline(softmaxRecomputeFlops, bytes) + c.Overhead;
            softmaxB = softmaxB with
            {
                ComputeTimeSeconds = softmaxB.ComputeTimeSeconds + time,
                Flops = softmaxB.Flops + softmaxRecomputeFlops,
                MemoryAccesses = softmaxB.MemoryAccesses.Plus(c.DramOnly(bytes)),
            };
        }

        var outF = Composite(c, output, backward: false, 0, NoComm, memoryOverride: outMemF);
        var outBack = Composite(c, output, backward: true, 0, NoComm, memoryOverride: outMemB);

        var parts = new[]
        {
            new OperationCost("attention_score", scoreF, scoreBack),
            new OperationCost("attention_scale_softmax", softmaxF, softmaxB),
            new OperationCost("attention_output", outF, outBack),
        };
        return (new OperationCost("attention", Sum(scoreF, softmaxF, outF), Sum(scoreBack, softmaxB, outBack)), parts);
    }

    /// <summary>The attention block as one operator; its communication is the score stage's.</summary>
    internal static DirectionCost Sum(DirectionCost score, DirectionCost softmax, DirectionCost output) => new(
        score.ComputeTimeSeconds + softmax.ComputeTimeSeconds + output.ComputeTimeSeconds,
        score.CommTimeSeconds,
        score.CommBytes,
        score.Flops + softmax.Flops + output.Flops,
        score.MemoryAccesses.Plus(softmax.MemoryAccesses).Plus(output.MemoryAccesses),
        score.Collectives);

    internal static DirectionCost Softmax(LayerCostContext c, double elements, int flopsPerElement, int accesses)
    {
        var flops = elements * flopsPerElement;
        var bytes = c.Precision.Activations * elements * accesses;
        return new DirectionCost(c.DramRoofline(flops, bytes) + c.Overhead, 0, 0, flops, c.DramOnly(bytes),
            EquatableArray<CollectiveCall>.Empty);
    }

    internal static (double Bytes, CollectiveCall? Call) NoComm => (0, null);

    internal static (double Bytes, CollectiveCall? Call) Comm(LayerCostContext c, CollectiveKind kind, double bytes, int participants)
    {
        bytes = Math.Ceiling(bytes);
        if (bytes <= 0 || participants <= 1) return (bytes, null);
        return (bytes, c.Collective(kind, bytes, participants, ParallelismAxis.Tp));
    }

    internal static DirectionCost Composite(
        LayerCostContext c, (GemmShape Shape, GemmRole Role)[] components, bool backward, long gradAccumElements,
        (double Bytes, CollectiveCall? Call) comm, double extraLocalFlops = 0, double extraGlobalFlops = 0,
        MemoryAccessBytes? memoryOverride = null)
    {
        double local = 0, global = 0;
        var memory = MemoryAccessBytes.None;
        foreach (var (shape, role) in components)
        {
            var (l, gl, m) = backward ? BackwardStats(c, shape, role) : ForwardStats(c, shape, role);
            local += l;
            global += gl;
            memory = memory.Plus(m);
        }
        local += extraLocalFlops;
        global += extraGlobalFlops;
        if (memoryOverride is { } overridden) memory = overridden;

        double compute = 0;
        if (local > 0)
        {
            var levels = new double[c.Models.MemoryLevelCount];
            for (var i = 0; i < levels.Length; i++) levels[i] = Math.Ceiling(memory.At(i));
            compute = c.Models.Roofline.Seconds(local, levels) + c.Overhead;
        }
        if (backward && gradAccumElements > 0) compute += c.GradientAccumulationSeconds(gradAccumElements);
        return new DirectionCost(compute, comm.Call?.TimeSeconds ?? 0, (long)Math.Ceiling(comm.Bytes), global, memory,
            LayerCostContext.Calls(comm.Call));
    }

    private static (double Local, double Global, MemoryAccessBytes Memory) ForwardStats(LayerCostContext c, GemmShape g, GemmRole role)
    {
        if (g.Batch <= 0 || g.M <= 0 || g.K <= 0 || g.N <= 0) return (0, 0, MemoryAccessBytes.None);
        var s = ShardedGemm.Of(g, role, c.Parallelism);
        var e = c.GemmNoOverhead(s.M, s.K, s.N);
        var local = 2.0 * s.Batch * s.M * s.K * s.N;
        return (local, g.Flops, Scale(LayerCostContext.Levels(e), s.Batch));
    }

    private static (double Local, double Global, MemoryAccessBytes Memory) BackwardStats(LayerCostContext c, GemmShape g, GemmRole role)
    {
        if (g.Batch <= 0 || g.M <= 0 || g.K <= 0 || g.N <= 0) return (0, 0, MemoryAccessBytes.None);
        var s = ShardedGemm.Of(g, role, c.Parallelism);
        var inputGrad = c.GemmNoOverhead(s.M, s.N, s.K);
        var weightGrad = c.GemmNoOverhead(s.K, s.M, s.N);
        var local = 4.0 * s.Batch * s.M * s.K * s.N;
        var global = 4.0 * g.Batch * g.M * g.K * g.N;
        var memory = Scale(LayerCostContext.Levels(inputGrad), s.Batch).Plus(Scale(LayerCostContext.Levels(weightGrad), s.Batch));
        return (local, global, memory);
    }

    private static MemoryAccessBytes Scale(MemoryAccessBytes m, long factor) =>
        factor <= 0 ? MemoryAccessBytes.None
        : m.IsReported ? new MemoryAccessBytes(new EquatableArray<double>(m.PerLevel.Select(v => v * factor))) : m;

    /// <summary>Output elements of a rank's slice, times cp when the whole context is visible.</summary>
    private static double OutputElements(LayerCostContext c, GemmShape g, GemmRole role, bool visibleCp)
    {
        var s = ShardedGemm.Of(g, role, c.Parallelism);
        var elements = (double)(s.Batch * s.M * s.N);
        if (visibleCp && c.Cp > 1) elements *= c.Cp;
        return elements;
    }

    /// <summary>The latent K/V state of the whole context (what CP exchanges instead of expanded K and V).</summary>
    private static double LatentBytes(LayerCostContext c, Shapes g, double precision) =>
        Math.Ceiling(OutputElements(c, g.DownKv, GemmRole.MlaDownProjection, visibleCp: true) * precision);

    private static double QueryBytes(LayerCostContext c, Shapes g, double precision) =>
        Math.Ceiling(OutputElements(c, g.UpQ, GemmRole.Qkv, visibleCp: false) * precision);

    private static double ContextBytes(LayerCostContext c, Shapes g, double precision) =>
        Math.Ceiling(OutputElements(c, g.Output, GemmRole.AttentionOutput, visibleCp: false) * precision);

    /// <summary>The expanded K and V over the whole context, as the local attention reads them.</summary>
    private static double CacheBytes(LayerCostContext c, Shapes g, double precision)
    {
        var score = ShardedGemm.Of(g.Score, GemmRole.AttentionScore, c.Parallelism);
        var output = ShardedGemm.Of(g.Output, GemmRole.AttentionOutput, c.Parallelism);
        var elements = (double)(score.Batch * g.Score.N * g.Score.K + output.Batch * g.Output.K * g.Output.N);
        return Math.Ceiling(elements * precision);
    }
}
