using RapidLlm.Common;
using RapidLlm.Network;

namespace RapidLlm.Operations.Moe;

/// <summary>
/// Costs one MoE decoder layer for a training or prefill pass. Attention, norms and the vocabulary operators are the
/// dense layer's; the MLP becomes batched expert GEMMs sized by token routing on the hot rank, preceded by a router
/// and wrapped in a dispatch and a combine exchange over the expert-parallel group.
/// </summary>
internal static class MoeLayerCostEstimator
{
    private const int RouterSoftmaxForwardFlops = 7;
    private const int RouterSoftmaxForwardAccesses = 4;
    private const int RouterSoftmaxBackwardFlops = 4;
    private const int RouterSoftmaxBackwardAccesses = 3;

    /// <summary>Costs the MoE layer (and the embedding and LM head), forward and backward.</summary>
    /// <param name="workload">The dense workload of the model (its MLP width is replaced by the expert width).</param>
    /// <param name="moe">The MoE layer.</param>
    /// <param name="models">The device models.</param>
    /// <returns>The costs.</returns>
    /// <exception cref="ArgumentException">The workload or the MoE spec is invalid, or tokens do not route evenly.</exception>
    public static MoeLayerOperationCosts Estimate(TransformerWorkload workload, MoeLayerSpec moe, OperationCostModels models)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(moe);
        moe.Validate();
        var expertWorkload = workload with { Model = workload.Model with { IntermediateSize = moe.ExpertIntermediateSize } };
        MoeTokenRouting? routing = null;
        OperationCost? router = null, dispatch = null, combine = null;
        var layer = LayerCostEstimator.Estimate(expertWorkload, models, (c, shapes) =>
        {
            routing = MoeTokenRouting.For(moe, workload.BatchSize, workload.SequenceLength, c.Cp);
            var profile = moe.Imbalance;
            router = Router(c, routing.TokensOwned, shapes.Ffn1.K, moe.NumExperts);
            var d = c.Model.HiddenDim;
            var forwardBytes = Math.Ceiling(c.Precision.Activations * routing.TokensDispatched * d);
            var backwardBytes = Math.Ceiling(c.Precision.GradCommunication * routing.TokensDispatched * d);
            dispatch = Exchange(c, "moe_dispatch", moe, profile, forwardBytes, backwardBytes);
            combine = Exchange(c, "moe_combine", moe, profile, forwardBytes, backwardBytes);
            var ffn1 = ExpertFfn(c, "ffn1", moe, routing, profile, shapes.Ffn1, GemmRole.Ffn1);
            var ffn2 = ExpertFfn(c, "ffn2", moe, routing, profile, shapes.Ffn2, GemmRole.Ffn2);
            return (ffn1, Activation(c, moe, routing, shapes), ffn2);
        });

        // The reference adds the MoE-only operators after the dense layer's sum, in this order.
        var nodes = layer.Nodes with
        {
            TransformerForwardSeconds = layer.Nodes.TransformerForwardSeconds
                                        + router!.Forward.TotalTimeSeconds + dispatch!.Forward.TotalTimeSeconds + combine!.Forward.TotalTimeSeconds,
            TransformerBackwardSeconds = layer.Nodes.TransformerBackwardSeconds
                                         + router.Backward!.TotalTimeSeconds + dispatch.Backward!.TotalTimeSeconds + combine.Backward!.TotalTimeSeconds,
        };
        return new MoeLayerOperationCosts(layer with { Nodes = nodes }, router, dispatch, combine, routing!);
    }

    /// <summary>The activation runs on the hot rank's routed tokens and again on the shared experts' tokens.</summary>
    private static OperationCost Activation(LayerCostContext c, MoeLayerSpec moe, MoeTokenRouting routing, LayerGemmShapes shapes)
    {
        var width = moe.TensorShardedExperts ? ShardedGemm.Of(shapes.Ffn1, GemmRole.Ffn1, c.Parallelism).N : shapes.Ffn1.N;
        var forward = PointwiseCosts.ActivationForward(c, routing.TokensLocal, width);
        var backward = PointwiseCosts.ActivationBackward(c, routing.TokensLocal, width);
        if (routing.TokensShared > 0)
        {
            forward += PointwiseCosts.ActivationForward(c, routing.TokensShared, width);
            backward += PointwiseCosts.ActivationBackward(c, routing.TokensShared, width);
        }
        return new OperationCost("gelu", DirectionCost.ComputeOnly(forward), DirectionCost.ComputeOnly(backward));
    }

    /// <summary>Gating: a (tokens × D)·(D × E) GEMM and a softmax over the expert logits, on the tokens this rank owns.</summary>
    private static OperationCost Router(LayerCostContext c, long tokens, long hidden, long experts)
    {
        var logits = (double)tokens * experts;
        var forward = RouterForwardSeconds(c, tokens, hidden, experts);
        var backward = c.GemmSeconds(tokens, experts, hidden) + c.GemmSeconds(hidden, tokens, experts)
                       + c.DramRoofline(logits * RouterSoftmaxBackwardFlops, c.Precision.Activations * logits * RouterSoftmaxBackwardAccesses)
                       + c.Overhead;
        return new OperationCost("router", DirectionCost.ComputeOnly(forward), DirectionCost.ComputeOnly(backward));
    }

    /// <summary>The forward gating kernel: logits GEMM, then the softmax over the experts.</summary>
    internal static double RouterForwardSeconds(LayerCostContext c, long tokens, long hidden, long experts)
    {
        var logits = (double)tokens * experts;
        return c.GemmSeconds(tokens, hidden, experts)
               + c.DramRoofline(logits * RouterSoftmaxForwardFlops, c.Precision.Activations * logits * RouterSoftmaxForwardAccesses)
               + c.Overhead;
    }

    private static OperationCost Exchange(
        LayerCostContext c, string name, MoeLayerSpec moe, MoeImbalanceProfile profile, double forwardBytes, double backwardBytes) =>
        new(name, ExchangeDirection(c, moe, profile, forwardBytes), ExchangeDirection(c, moe, profile, backwardBytes));

    /// <summary>One direction of a dispatch or combine exchange of <paramref name="bytes"/>.</summary>
    internal static DirectionCost ExchangeDirection(LayerCostContext c, MoeLayerSpec moe, MoeImbalanceProfile profile, double bytes)
    {
        var split = MoeCommDecomposition.Of(bytes, moe.RoutingGroup, profile);
        var (seconds, calls) = ExchangeSeconds(c, split);
        return new DirectionCost(0, seconds, (long)bytes, 0, MemoryAccessBytes.None, calls);
    }

    /// <summary>The balanced all-to-all and the hot rank's residual transfers overlap; the slower one finishes the exchange.</summary>
    internal static (double Seconds, EquatableArray<CollectiveCall> Calls) ExchangeSeconds(LayerCostContext c, MoeCommDecomposition split)
    {
        var calls = new List<CollectiveCall>(2);
        double allToAll = 0, residual = 0;
        if (split.AllToAllBytes > 0 && split.RoutingGroup > 1)
        {
            var call = c.Collective(CollectiveKind.AllToAll, split.AllToAllBytes, split.RoutingGroup, ParallelismAxis.Ep);
            allToAll = call.TimeSeconds;
            calls.Add(call);
        }
        if (split.ResidualPerSenderBytes > 0)
        {
            var call = c.Collective(CollectiveKind.PointToPoint, split.ResidualPerSenderBytes, 2, ParallelismAxis.Ep);
            residual = call.TimeSeconds;
            calls.Add(call);
        }
        return (Math.Max(allToAll, residual), calls.ToArray());
    }

    /// <summary>
    /// An expert FFN GEMM on the hot rank: one batched GEMM per routing bucket, then the shared experts on every owned
    /// token. Decode steps ask for the forward only (<paramref name="includeBackward"/> false).
    /// </summary>
    internal static OperationCost ExpertFfn(
        LayerCostContext c, string name, MoeLayerSpec moe, MoeTokenRouting routing, MoeImbalanceProfile profile,
        GemmShape shape, GemmRole role, bool includeBackward = true)
    {
        var cp = Math.Max(1, c.Cp);
        var groups = routing.ComputeBuckets(profile)
            .Select(b => (Experts: (long)b.Experts, Rows: b.TokensPerExpert * cp))
            .ToList();
        if (routing.TokensShared > 0) groups.Add((moe.SharedExperts, routing.TokensOwned * cp));

        var forward = Zero;
        var backward = Zero;
        foreach (var (experts, rows) in groups)
        {
            var g = GemmShape.Single(rows, shape.K, shape.N);
            forward = Add(forward, Batched(c, experts, g, role, moe.TensorShardedExperts, forward: true));
            if (includeBackward) backward = Add(backward, Batched(c, experts, g, role, moe.TensorShardedExperts, forward: false));
        }
        return new OperationCost(name, forward, includeBackward ? backward with { Flops = 0, MemoryAccesses = MemoryAccessBytes.None } : null);
    }

    private static DirectionCost Zero { get; } = DirectionCost.ComputeOnly(0);

    private static DirectionCost Add(DirectionCost a, DirectionCost b) => new(
        a.ComputeTimeSeconds + b.ComputeTimeSeconds,
        a.CommTimeSeconds + b.CommTimeSeconds,
        a.CommBytes + b.CommBytes,
        a.Flops + b.Flops,
        a.MemoryAccesses.Plus(b.MemoryAccesses),
        new EquatableArray<CollectiveCall>(a.Collectives.Concat(b.Collectives)));

    /// <summary>
    /// <paramref name="experts"/> identical expert GEMMs run back to back. Their tensor-parallel collectives are issued
    /// as one fused collective over all experts' bytes where the mode reduces after the GEMM.
    /// </summary>
    private static DirectionCost Batched(LayerCostContext c, long experts, GemmShape g, GemmRole role, bool tensorSharded, bool forward)
    {
        if (experts <= 0 || g.M <= 0 || g.K <= 0 || g.N <= 0) return Zero;
        var one = (forward, tensorSharded) switch
        {
            (true, true) => ShardedGemmCosts.Forward(c, g, role),
            (true, false) => ShardedGemmCosts.SingleForward(c, g, role),
            (false, true) => ShardedGemmCosts.Backward(c, g, role),
            (false, false) => ShardedGemmCosts.SingleBackward(c, g, role),
        };
        var bytes = (long)Math.Ceiling(one.CommBytes) * experts;
        var commSeconds = one.CommSeconds * experts;
        EquatableArray<CollectiveCall> calls = one.Call is { Participants: > 1 } call
            ? new[] { call with { SizeBytes = call.SizeBytes * experts, TimeSeconds = call.TimeSeconds * experts } }
            : EquatableArray<CollectiveCall>.Empty;
        if (tensorSharded && bytes > 0 && experts > 1 && FusedCollective(c, role, forward) is { } kind)
        {
            var fused = c.Collective(kind, bytes, c.Tp, ParallelismAxis.Tp);
            if (fused.TimeSeconds != 0)
            {
                commSeconds = fused.TimeSeconds;
                calls = new[] { fused };
            }
        }
        return new DirectionCost(one.ComputeSeconds * experts, commSeconds, bytes, one.Flops * experts,
            Scale(one.Memory, experts), calls);
    }

    /// <summary>The collective that follows a row-parallel expert GEMM (FFN2 forward, FFN1 backward), if the mode has one.</summary>
    private static CollectiveKind? FusedCollective(LayerCostContext c, GemmRole role, bool forward)
    {
        if (c.Tp <= 1) return null;
        var reduces = forward ? role == GemmRole.Ffn2 : role == GemmRole.Ffn1;
        if (!reduces) return null;
        return c.Mode switch
        {
            ParallelismMode.Tensor => CollectiveKind.AllReduce,
            ParallelismMode.TensorSequence or ParallelismMode.TensorContextHybrid => CollectiveKind.ReduceScatter,
            _ => null,
        };
    }

    private static MemoryAccessBytes Scale(MemoryAccessBytes m, long factor) =>
        m.IsReported ? new MemoryAccessBytes(new EquatableArray<double>(m.PerLevel.Select(v => v * factor))) : m;
}
