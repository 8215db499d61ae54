using RapidLlm.Common;
using RapidLlm.Network;

namespace RapidLlm.Operations;

/// <summary>
/// Forward and backward cost of one GEMM sharded under the layer's parallelism mode, with the collective the
/// mode attaches to it (reference: the <c>*_gemm_forward/backward</c> family of the training class).
/// Every collective here rides the tp link, even when it spans the cp group, as in the reference.
/// </summary>
internal static class ShardedGemmCosts
{
    /// <summary>Forward pass. <paramref name="decode"/> selects the decode-step variants of CP attention and QKV.</summary>
    public static GemmPass Forward(LayerCostContext c, GemmShape g, GemmRole role, bool decode = false) => c.Mode switch
    {
        ParallelismMode.Tensor or ParallelismMode.TensorSequence => TensorForward(c, g, role),
        ParallelismMode.Context => ContextForward(c, g, role, decode),
        ParallelismMode.TensorContextHybrid => HybridForward(c, g, role, decode),
        _ => SingleForward(c, g, role),
    };

    /// <summary>Backward pass: activation-gradient and weight-gradient GEMMs plus gradient accumulation.</summary>
    public static GemmPass Backward(LayerCostContext c, GemmShape g, GemmRole role) => c.Mode switch
    {
        ParallelismMode.Tensor or ParallelismMode.TensorSequence => TensorBackward(c, g, role),
        ParallelismMode.Context => ContextBackward(c, g, role),
        ParallelismMode.TensorContextHybrid => HybridBackward(c, g, role),
        _ => SingleBackward(c, g, role),
    };

    private static bool IsAttention(GemmRole role) => role is GemmRole.AttentionScore or GemmRole.AttentionOutput;

    /// <summary>An attention GEMM runs as one batched kernel: per-product time × products + one overhead.</summary>
    private static (double Seconds, MemoryAccessBytes Memory) BatchedAttention(
        LayerCostContext c, long m, long k, long n, double products)
    {
        var e = c.GemmNoOverhead(m, k, n);
        return (e.TimeSeconds * products + c.Overhead, LayerCostContext.Levels(e));
    }

    private static double BatchedAttentionSeconds(LayerCostContext c, long m, long k, long n, long batch, double scale) =>
        c.GemmNoOverhead(m, k, n).TimeSeconds * batch * scale + c.Overhead;

    // ---- single device ----

    public static GemmPass SingleForward(LayerCostContext c, GemmShape g, GemmRole role)
    {
        if (IsAttention(role))
        {
            // The single-device path reports no traffic for attention GEMMs.
            var t = c.GemmNoOverhead(g.M, g.K, g.N).TimeSeconds * g.Batch + c.Overhead;
            return new(t, 0, 0, g.Flops, MemoryAccessBytes.None, null);
        }
        var e = c.Gemm(g.M, g.K, g.N);
        return new(e.TimeSeconds, 0, 0, g.Flops, LayerCostContext.Levels(e), null);
    }

    public static GemmPass SingleBackward(LayerCostContext c, GemmShape g, GemmRole role)
    {
        double time;
        if (IsAttention(role))
        {
            // The reference reuses the forward (m,k,n) shape for the activation gradient here.
            var act = c.GemmNoOverhead(g.M, g.K, g.N).TimeSeconds * g.Batch + c.Overhead;
            var wt = c.GemmNoOverhead(g.K, g.M, g.N).TimeSeconds * g.Batch + c.Overhead;
            time = act + wt;
        }
        else
        {
            time = c.GemmSeconds(g.M, g.N, g.K) + c.GemmSeconds(g.K, g.M, g.N);
        }
        time += c.GradientAccumulationSeconds(GradAccumElements(role, g.K, g.N, g.K, g.N));
        return new(time, 0, 0, 0, MemoryAccessBytes.None, null);
    }

    // ---- tensor parallel (with or without sequence parallelism) ----

    private static GemmPass TensorForward(LayerCostContext c, GemmShape g, GemmRole role)
    {
        var s = ShardedGemm.Of(g, role, c.Parallelism);
        double time;
        MemoryAccessBytes memory;
        double bytes = 0;
        var participants = c.Tp;
        if (IsAttention(role))
        {
            var e = c.GemmNoOverhead(s.M, s.K, s.N);
            time = e.TimeSeconds * g.Batch * s.BatchScale + c.Overhead;
            memory = LayerCostContext.Levels(e);
        }
        else
        {
            var e = c.Gemm(s.M, s.K, s.N);
            time = e.TimeSeconds;
            memory = LayerCostContext.Levels(e);
            if (role is GemmRole.OutputProjection or GemmRole.Ffn2)
            {
                bytes = Math.Ceiling(c.Precision.Activations * g.M * g.N);
            }
            else if (role == GemmRole.LinearSoftmax)
            {
                bytes = Math.Ceiling(c.Precision.Activations * g.M * g.N);
                participants = c.Tp * c.Cp;
            }
        }
        CollectiveCall? call = null;
        if (bytes > 0)
        {
            var kind = role == GemmRole.LinearSoftmax ? CollectiveKind.AllGather
                : c.Mode == ParallelismMode.Tensor ? CollectiveKind.AllReduce : CollectiveKind.ReduceScatter;
            call = c.Collective(kind, bytes, participants, ParallelismAxis.Tp);
        }
        return new(time, call?.TimeSeconds ?? 0, bytes, g.Flops, memory, call);
    }

    private static GemmPass TensorBackward(LayerCostContext c, GemmShape g, GemmRole role)
    {
        var s = ShardedGemm.Of(g, role, c.Parallelism);
        double time;
        double bytes = 0;
        var participants = c.Tp;
        if (IsAttention(role))
        {
            time = BatchedAttentionSeconds(c, s.M, s.N, s.K, g.Batch, s.BatchScale)
                 + BatchedAttentionSeconds(c, s.K, s.M, s.N, g.Batch, s.BatchScale);
        }
        else if (role is GemmRole.Qkv or GemmRole.Ffn1 or GemmRole.LinearSoftmax)
        {
            time = c.GemmSeconds(s.M, s.N, s.K) + c.GemmSeconds(s.K, s.M, s.N);
            bytes = Math.Ceiling(c.Precision.GradCommunication * g.M * g.K);
            if (role == GemmRole.LinearSoftmax) participants = c.Tp * c.Cp;
        }
        else
        {
            time = c.GemmSeconds(s.M, s.N, s.K) + c.GemmSeconds(s.K, s.M, s.N);
        }
        time += c.GradientAccumulationSeconds(GradAccumElements(role, g.K, g.N, s.K, s.N));
        CollectiveCall? call = null;
        if (bytes > 0)
        {
            var kind = role == GemmRole.LinearSoftmax || c.Parallelism.SequenceParallelDegree == 1
                ? CollectiveKind.AllReduce
                : CollectiveKind.ReduceScatter;
            call = c.Collective(kind, bytes, participants, ParallelismAxis.Tp);
        }
        return new(time, call?.TimeSeconds ?? 0, bytes, 0, MemoryAccessBytes.None, call);
    }

    // ---- context parallel ----

    private static GemmPass ContextForward(LayerCostContext c, GemmShape g, GemmRole role, bool decode)
    {
        var s = ShardedGemm.Of(g, role, c.Parallelism);
        if (IsAttention(role))
        {
            var (t, mem) = BatchedAttention(c, s.M, g.K, decode ? s.N : g.N, g.Batch);
            return new(t, 0, 0, g.Flops, mem, null);
        }
        var e = c.Gemm(s.M, g.K, g.N);
        if (role != GemmRole.Qkv)
            return new(e.TimeSeconds, 0, 0, g.Flops, LayerCostContext.Levels(e), null);
        // Every rank gathers the full-context K and V (decode: only the new token's activations).
        var bytes = decode ? s.M * g.K * c.Precision.Activations : c.Workload.ContextKvBytes;
        var call = c.Collective(CollectiveKind.AllGather, bytes, c.Cp, ParallelismAxis.Tp);
        return new(e.TimeSeconds, call.TimeSeconds, bytes, g.Flops, LayerCostContext.Levels(e), call);
    }

    private static GemmPass ContextBackward(LayerCostContext c, GemmShape g, GemmRole role)
    {
        var s = ShardedGemm.Of(g, role, c.Parallelism);
        double time;
        double bytes = 0;
        var kind = CollectiveKind.ReduceScatter;
        if (IsAttention(role))
        {
            // The reference shards only the rows here; the key length stays whole.
            time = BatchedAttentionSeconds(c, s.M, g.N, g.K, g.Batch, 1.0)
                 + BatchedAttentionSeconds(c, g.K, s.M, g.N, g.Batch, 1.0);
            // dK and dV go back to their token owners.
            if (role == GemmRole.AttentionScore) bytes = c.Precision.GradCommunication * g.K * g.N * g.Batch * 2;
        }
        else
        {
            time = c.GemmSeconds(s.M, s.N, s.K) + c.GemmSeconds(s.K, s.M, s.N);
            if (role == GemmRole.OutputProjection)
            {
                // K and V are gathered again for the activation gradients.
                bytes = c.Workload.ContextKvBytes;
                kind = CollectiveKind.AllGather;
            }
        }
        time += c.GradientAccumulationSeconds(GradAccumElements(role, g.K, g.N, s.K, s.N));
        CollectiveCall? call = bytes > 0 ? c.Collective(kind, bytes, c.Cp, ParallelismAxis.Tp) : null;
        return new(time, call?.TimeSeconds ?? 0, bytes, 0, MemoryAccessBytes.None, call);
    }

    // ---- tensor × context ----

    private static GemmPass HybridForward(LayerCostContext c, GemmShape g, GemmRole role, bool decode)
    {
        var s = ShardedGemm.Of(g, role, c.Parallelism);
        GemmCost e;
        double time;
        double bytes = 0;
        var kind = CollectiveKind.ReduceScatter;
        var participants = c.Tp;
        switch (role)
        {
            case GemmRole.AttentionScore:
                e = c.GemmNoOverhead(s.M, s.K, decode ? s.N : g.N);
                time = e.TimeSeconds * g.Batch * s.BatchScale + c.Overhead;
                break;
            case GemmRole.AttentionOutput:
                e = c.GemmNoOverhead(s.M, decode ? s.K : g.K, s.N);
                time = e.TimeSeconds * g.Batch * s.BatchScale + c.Overhead;
                break;
            case GemmRole.Qkv:
                e = c.Gemm(s.M, s.K, s.N);
                time = e.TimeSeconds;
                bytes = decode ? s.M * s.K * c.Precision.Activations : c.Workload.ContextKvBytes / c.Tp;
                kind = CollectiveKind.AllGather;
                participants = c.Cp;
                break;
            case GemmRole.OutputProjection or GemmRole.Ffn2:
                e = c.Gemm(s.M, s.K, s.N);
                time = e.TimeSeconds;
                bytes = Math.Ceiling(c.Precision.Activations * s.M * g.N);
                break;
            case GemmRole.Ffn1:
                e = c.Gemm(s.M, s.K, s.N);
                time = e.TimeSeconds;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(role), role, "Not a hybrid-parallel forward GEMM.");
        }
        CollectiveCall? call = bytes > 0 ? c.Collective(kind, bytes, participants, ParallelismAxis.Tp) : null;
        return new(time, call?.TimeSeconds ?? 0, bytes, g.Flops, LayerCostContext.Levels(e), call);
    }

    private static GemmPass HybridBackward(LayerCostContext c, GemmShape g, GemmRole role)
    {
        var s = ShardedGemm.Of(g, role, c.Parallelism);
        double time;
        double bytes = 0;
        var kind = CollectiveKind.ReduceScatter;
        var participants = c.Tp;
        switch (role)
        {
            case GemmRole.AttentionScore:
                time = BatchedAttentionSeconds(c, s.M, g.N, g.K, g.Batch, s.BatchScale)
                     + BatchedAttentionSeconds(c, g.K, s.M, g.N, g.Batch, s.BatchScale);
                bytes = c.Precision.GradCommunication * g.K * g.N * g.Batch * 2 / c.Tp;
                participants = c.Cp;
                break;
            case GemmRole.AttentionOutput:
                // The reference uses the overhead-inclusive GEMM here and adds no batched-kernel overhead.
                time = c.GemmSeconds(s.M, g.N, g.K) * g.Batch * s.BatchScale
                     + c.GemmSeconds(g.K, s.M, g.N) * g.Batch * s.BatchScale;
                break;
            case GemmRole.Qkv or GemmRole.Ffn1:
                time = c.GemmSeconds(s.M, s.N, s.K) + c.GemmSeconds(s.K, s.M, s.N);
                bytes = Math.Ceiling(c.Precision.GradCommunication * s.M * g.K);
                break;
            case GemmRole.OutputProjection:
                time = c.GemmSeconds(s.M, s.N, s.K) + c.GemmSeconds(s.K, s.M, s.N);
                bytes = c.Workload.ContextKvBytes / c.Tp;
                kind = CollectiveKind.AllGather;
                participants = c.Cp;
                break;
            case GemmRole.Ffn2:
                time = c.GemmSeconds(s.M, s.N, s.K) + c.GemmSeconds(s.K, s.M, s.N);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(role), role, "Not a hybrid-parallel backward GEMM.");
        }
        time += c.GradientAccumulationSeconds(GradAccumElements(role, g.K, g.N, s.K, s.N));
        CollectiveCall? call = bytes > 0 ? c.Collective(kind, bytes, participants, ParallelismAxis.Tp) : null;
        return new(time, call?.TimeSeconds ?? 0, bytes, 0, MemoryAccessBytes.None, call);
    }

    /// <summary>Weight-gradient elements a rank accumulates for one GEMM (attention GEMMs have no weights).</summary>
    private static double GradAccumElements(GemmRole role, long k, long n, long shardK, long shardN) => role switch
    {
        GemmRole.Qkv or GemmRole.Ffn1 or GemmRole.LinearSoftmax => (double)k * shardN,
        GemmRole.OutputProjection or GemmRole.Ffn2 => (double)shardK * n,
        _ => 0,
    };
}
