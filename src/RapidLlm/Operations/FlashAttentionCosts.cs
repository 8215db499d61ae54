using RapidLlm.Common;
using RapidLlm.Network;

namespace RapidLlm.Operations;

/// <summary>
/// The FlashAttention kernel as HEAD (317a2cb) models it: per-head tile GEMMs over the causal (on-or-below diagonal)
/// tiles only (every tile for a bidirectional vision encoder), scaled by the heads of this rank, with one kernel overhead per GEMM family added after scaling.
/// </summary>
internal static class FlashAttentionCosts
{
    private const int SoftmaxForwardFlops = 7;
    private const int SoftmaxBackwardFlops = 4;

    /// <summary>Forward kernel time and its DRAM traffic (read Q, K, V once and write the output).</summary>
    public static (double Seconds, double DramBytes) Forward(LayerCostContext c, long batch, long sequence)
    {
        if (c.Models.Calibrated is { } calibrated) return calibrated.FlashForward(c, batch, sequence);
        var t = Tiles.Of(c, sequence);
        var act = c.Precision.Activations;
        var heads = batch * c.Model.NumHeads / (double)Math.Max(1, c.Tp);

        var load = PreloadSeconds(c, t);
        var score = c.Models.Gemm.FlashTileSeconds(t.Br, t.D, t.Bc, t.Br * t.D * act, 0) * t.Active;
        var softmax = c.DramRoofline(SoftmaxForwardFlops * t.Br * t.Bc, 1) * t.Active;
        var outputBytes = t.Br * t.D * act;
        var output = c.Models.Gemm.FlashTileSeconds(t.Br, t.Bc, t.D, outputBytes, outputBytes) * t.Active;

        score = score * heads + c.Overhead;
        softmax *= heads;
        output = output * heads + c.Overhead;

        var dramBytes = 2 * sequence * (c.Model.QuerySize + t.D * c.Model.KvHeads) * act;
        return (load + score + softmax + output, dramBytes);
    }

    /// <summary>
    /// Backward kernel time (dV, dP, dS, dQ, plus the score/softmax recompute unless the whole layer is recomputed)
    /// and the reduce-scatter of dK/dV over cp.
    /// </summary>
    public static (double Seconds, CollectiveCall? Scatter, double ScatterBytes) Backward(LayerCostContext c, long batch, long sequence)
    {
        if (c.Models.Calibrated is { } calibrated) return calibrated.FlashBackward(c, batch, sequence);
        var t = Tiles.Of(c, sequence);
        var act = c.Precision.Activations;
        var heads = batch * c.Model.NumHeads / (double)Math.Max(1, c.Tp);
        var gemm = c.Models.Gemm;

        var load = PreloadSeconds(c, t);
        var score = gemm.FlashTileSeconds(t.Br, t.D, t.Bc, t.Br * t.D * act, 0) * t.Active;
        var softmax = c.DramRoofline(SoftmaxForwardFlops * t.Br * t.Bc, 1) * t.Active;
        var dV = gemm.FlashTileSeconds(t.Bc, t.Br, t.D, t.Br * t.D * act, 0) * t.Active;
        var dP = gemm.FlashTileSeconds(t.Br, t.D, t.Bc, 0, 0) * t.Active;
        var dS = c.DramRoofline(SoftmaxBackwardFlops * t.Br * t.Bc, 1) * t.Active;
        var dQ = gemm.FlashTileSeconds(t.Br, t.Bc, t.D, 0, 0) * t.Active;

        score = score * heads + c.Overhead;
        softmax *= heads;
        dV = dV * heads + c.Overhead;
        dP = dP * heads + c.Overhead;
        dS *= heads;
        dQ = dQ * heads + c.Overhead;
        // Selective recompute: the scores and softmax are rebuilt unless full recomputation already reruns the layer.
        var recompute = c.Workload.FullRecomputation ? 0.0 : score + softmax;
        var time = load + recompute + dV + dP + dS + dQ;

        // dK and dV return to their owners over cp; the bytes are reported even when cp = 1.
        var bytes = c.Precision.GradCommunication * batch * sequence * c.Model.HiddenDim * 2 / c.Tp;
        CollectiveCall? call = bytes > 0 ? c.Collective(CollectiveKind.ReduceScatter, bytes, c.Cp, ParallelismAxis.Tp) : null;
        return (time, call, bytes);
    }

    /// <summary>Preloading one K and V tile per SM from DRAM.</summary>
    private static double PreloadSeconds(LayerCostContext c, Tiles t) =>
        c.DramRoofline(0, t.Bc * t.D * 2 * c.Models.NumBundles * c.Precision.Activations);

    /// <summary>Tile sizes and the number of causal tiles of one head.</summary>
    private readonly record struct Tiles(long D, long Bc, long Br, long Active)
    {
        public static Tiles Of(LayerCostContext c, long sequence)
        {
            var shardSequence = ShardedGemm.CeilDiv(sequence, Math.Max(1, c.Cp));
            var d = c.Model.HeadDim;
            var bc = c.Workload.AttentionTileSize ?? throw new InvalidOperationException("FlashAttention needs a tile size.");
            var br = Math.Min(bc, d);
            var tr = ShardedGemm.CeilDiv(shardSequence, br);
            var tc = ShardedGemm.CeilDiv(shardSequence, bc);
            return new(d, bc, br, c.Model.CausalAttention ? CausalTiles(tr, tc, br, bc) : tr * tc);
        }

        /// <summary>Query-row tiles × the key tiles at or left of the diagonal (whole diagonal tiles count fully).</summary>
        private static long CausalTiles(long tr, long tc, long br, long bc)
        {
            long active = 0;
            for (long r = 0; r < tr; r++)
            {
                var lastKeyTile = Math.Min(((r + 1) * br - 1) / bc, tc - 1);
                active += lastKeyTile + 1;
            }
            return active;
        }
    }
}
