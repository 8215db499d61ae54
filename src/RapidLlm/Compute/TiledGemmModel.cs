using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using RapidLlm.Common;
using RapidLlm.Hardware;

namespace RapidLlm.Compute;

/// <summary>
/// The reference's analytical tiled-GEMM model for a four-level memory hierarchy (registers, L1, L2, DRAM):
/// it searches L1/L2 tilings, prices each with per-level traffic and a roofline, and keeps the fastest.
/// </summary>
/// <remarks>
/// <para>
/// Parity: times and the A0, A2, A3 traffic equal the reference's. Among exactly tied tilings the reference keeps
/// the first in CPython set order; this model keeps the smallest (l2 M, K, N, l1 M, K, N, inner code) instead, so the
/// chosen tiles and A1 may differ from the reference's winner while the time does not.
/// </para>
/// <para>
/// Thread safety: instances are immutable apart from a concurrent memo of results, so one instance can serve
/// many threads.
/// </para>
/// </remarks>
internal sealed class TiledGemmModel
{
    private const int RequiredLevelCount = 4;
    private const double FlashAttentionSmUtil = 0.25; // Dao (2023), as in the reference

    private readonly ConcurrentDictionary<CacheKey, GemmEstimate> _cache = new();
    private readonly double _throughputFlopsPerSecond;
    private readonly double _l1CapacityBytes;
    private readonly double _l2CapacityBytes;
    private readonly LevelRate _l0;
    private readonly LevelRate _l1;
    private readonly LevelRate _l2;
    private readonly LevelRate _dram;

    /// <summary>Creates the GEMM model of a device.</summary>
    /// <param name="hardware">The device; it must have four memory levels for estimates to be possible.</param>
    /// <param name="precisionBytes">Bytes per activation element (e.g. 2.0 for bf16).</param>
    /// <param name="kernelOverheadSeconds">Kernel launch overhead O added to each GEMM.</param>
    /// <param name="constants">The hard-coded device numbers of the reference; <see cref="GemmHeuristicConstants.ReferenceA100"/> when null.</param>
    public TiledGemmModel(
        HardwareModel hardware,
        double precisionBytes,
        double kernelOverheadSeconds,
        GemmHeuristicConstants? constants = null)
    {
        ArgumentNullException.ThrowIfNull(hardware);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(precisionBytes);
        Hardware = hardware;
        PrecisionBytes = precisionBytes;
        KernelOverheadSeconds = kernelOverheadSeconds;
        Constants = constants ?? GemmHeuristicConstants.ReferenceA100;
        _throughputFlopsPerSecond = hardware.Core.ThroughputFlopsPerSecond;
        if (hardware.MemoryLevels.Count == RequiredLevelCount)
        {
            _l0 = new LevelRate(hardware.MemoryLevels[0]);
            _l1 = new LevelRate(hardware.MemoryLevels[1]);
            _l2 = new LevelRate(hardware.MemoryLevels[2]);
            _dram = new LevelRate(hardware.MemoryLevels[3]);
            _l1CapacityBytes = hardware.MemoryLevels[1].SizePerBundleBytes;
            _l2CapacityBytes = hardware.MemoryLevels[2].SizePerBundleBytes;
        }
    }

    /// <summary>The device.</summary>
    public HardwareModel Hardware { get; }

    /// <summary>Bytes per activation element.</summary>
    public double PrecisionBytes { get; }

    /// <summary>Kernel launch overhead O.</summary>
    public double KernelOverheadSeconds { get; }

    /// <summary>The hard-coded device numbers used by the wave and DRAM heuristics.</summary>
    public GemmHeuristicConstants Constants { get; }

    /// <summary>Number of memoised results.</summary>
    public int CachedCount => _cache.Count;

    /// <summary>The estimate for C[M,N] = A[M,K]·B[K,N], memoised per (shape, options).</summary>
    /// <param name="m">Rows of A.</param>
    /// <param name="k">Reduction dimension.</param>
    /// <param name="n">Columns of B.</param>
    /// <param name="options">Overhead and FlashAttention options.</param>
    /// <returns>The fastest tiling.</returns>
    public GemmEstimate Estimate(long m, long k, long n, GemmOptions options = default)
    {
        var key = new CacheKey(m, k, n, options);
        if (_cache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        return _cache.GetOrAdd(key, EstimateUncached(m, k, n, options));
    }

    /// <summary>The memoised estimate's time in seconds.</summary>
    /// <param name="m">Rows of A.</param>
    /// <param name="k">Reduction dimension.</param>
    /// <param name="n">Columns of B.</param>
    /// <param name="options">Overhead and FlashAttention options.</param>
    /// <returns>Seconds.</returns>
    public double TimeSeconds(long m, long k, long n, GemmOptions options = default) =>
        Estimate(m, k, n, options).TimeSeconds;

    /// <summary>Runs the tiling search without the memo.</summary>
    /// <param name="m">Rows of A.</param>
    /// <param name="k">Reduction dimension.</param>
    /// <param name="n">Columns of B.</param>
    /// <param name="options">Overhead and FlashAttention options.</param>
    /// <returns>The fastest tiling.</returns>
    /// <exception cref="NotSupportedException">The device does not have exactly four memory levels.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is below 1.</exception>
    /// <exception cref="InvalidOperationException">Not even a 1×1×1 tile fits the L2 or L1 capacity.</exception>
    public GemmEstimate EstimateUncached(long m, long k, long n, GemmOptions options = default)
    {
        if (Hardware.MemoryLevels.Count != RequiredLevelCount)
        {
            throw new NotSupportedException(
                $"The tiled GEMM model needs exactly 4 memory levels (registers, L1, L2, DRAM); this device has " +
                $"{Hardware.MemoryLevels.Count}. The reference's 2- and 3-level variants draw tiles from a seeded " +
                "random generator and are not ported.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(m, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);

        var lenM = MaximalTileSet.ChainLength(m);
        var lenK = MaximalTileSet.ChainLength(k);
        var lenN = MaximalTileSet.ChainLength(n);
        var maxTiles = lenM * lenK;
        Span<byte> l2FirstFit = stackalloc byte[maxTiles];
        Span<byte> l1FirstFit = stackalloc byte[maxTiles];
        MaximalTileSet.FirstFittingN(m, k, n, PrecisionBytes, _l2CapacityBytes, l2FirstFit);
        MaximalTileSet.FirstFittingN(m, k, n, PrecisionBytes, _l1CapacityBytes, l1FirstFit);
        var l2Tiles = ArrayPool<GemmTile>.Shared.Rent(maxTiles);
        var l1Scratch = ArrayPool<GemmTile>.Shared.Rent(maxTiles);
        var l1Keys = ArrayPool<long>.Shared.Rent(maxTiles * 8);
        try
        {
            var l2Count = MaximalTileSet.Collect(m, k, n, 0, 0, 0, l2FirstFit, l2Tiles);
            if (l2Count == 0)
            {
                throw new InvalidOperationException($"No tile of the GEMM ({m}, {k}, {n}) fits the L2 capacity.");
            }

            var l1Count = CollectL1Candidates(m, k, n, lenM, lenK, lenN, l2Tiles.AsSpan(0, l2Count), l1FirstFit, l1Scratch, ref l1Keys);
            if (l1Count == 0)
            {
                throw new InvalidOperationException($"No tile of the GEMM ({m}, {k}, {n}) fits the L1 capacity.");
            }

            return Search(m, k, n, options, l2Tiles.AsSpan(0, l2Count), l1Keys.AsSpan(0, l1Count));
        }
        finally
        {
            ArrayPool<GemmTile>.Shared.Return(l2Tiles);
            ArrayPool<GemmTile>.Shared.Return(l1Scratch);
            ArrayPool<long>.Shared.Return(l1Keys);
        }
    }

    // The union over x ∈ T2 of T1(x), deduplicated. Each entry packs the L1 tile's chain bit lengths and the index of
    // the first x that produced it (reported as the L0 tile), sorted by ascending tile.
    private int CollectL1Candidates(
        long m, long k, long n, int lenM, int lenK, int lenN,
        ReadOnlySpan<GemmTile> l2Tiles, ReadOnlySpan<byte> l1FirstFit, GemmTile[] scratch, ref long[] keys)
    {
        var count = 0;
        for (var xi = 0; xi < l2Tiles.Length; xi++)
        {
            var x = l2Tiles[xi];
            var produced = MaximalTileSet.Collect(
                m, k, n,
                lenM - MaximalTileSet.ChainLength(x.M),
                lenK - MaximalTileSet.ChainLength(x.K),
                lenN - MaximalTileSet.ChainLength(x.N),
                l1FirstFit, scratch);
            if (count + produced > keys.Length)
            {
                var larger = ArrayPool<long>.Shared.Rent(Math.Max(keys.Length * 2, count + produced));
                keys.AsSpan(0, count).CopyTo(larger);
                ArrayPool<long>.Shared.Return(keys);
                keys = larger;
            }

            for (var t = 0; t < produced; t++)
            {
                var y = scratch[t];
                var code = ((long)MaximalTileSet.ChainLength(y.M) << 14)
                    | ((long)MaximalTileSet.ChainLength(y.K) << 7)
                    | (long)MaximalTileSet.ChainLength(y.N);
                keys[count++] = (code << 32) | (uint)xi;
            }
        }

        var span = keys.AsSpan(0, count);
        span.Sort();
        var unique = 0;
        for (var t = 0; t < count; t++)
        {
            if (unique == 0 || (span[unique - 1] >> 32) != (span[t] >> 32))
            {
                span[unique++] = span[t];
            }
        }

        return unique;
    }

    private static GemmTile DecodeTile(long key, long m, long k, long n)
    {
        var code = key >> 32;
        var bitsM = (int)(code >> 14);
        var bitsK = (int)((code >> 7) & 0x7F);
        var bitsN = (int)(code & 0x7F);
        return new GemmTile(
            m >> (MaximalTileSet.ChainLength(m) - bitsM),
            k >> (MaximalTileSet.ChainLength(k) - bitsK),
            n >> (MaximalTileSet.ChainLength(n) - bitsN));
    }

    private GemmEstimate Search(
        long m, long k, long n, GemmOptions options, ReadOnlySpan<GemmTile> l2Tiles, ReadOnlySpan<long> l1Keys)
    {
        // 128-bit products: huge shapes (dimensions near 2^24) overflow 64 bits; converting the exact integer once gives
        // the same double as the 64-bit product wherever that fits.
        var shape = new ShapeTerms(m, k, n, PrecisionBytes, Hardware.Core, (double)((Int128)m * n * (2 * k - 1)));
        var overhead = options.FlashAttention || options.DisableOverhead ? 0.0 : KernelOverheadSeconds;

        // Decode the L1 candidates once, with their L2/DRAM traffic (which depends on the L1 tile only).
        var candidateCount = l1Keys.Length;
        var l1Tiles = ArrayPool<GemmTile>.Shared.Rent(candidateCount);
        var outerTraffic = ArrayPool<OuterTraffic>.Shared.Rent(candidateCount);
        try
        {
            for (var t = 0; t < candidateCount; t++)
            {
                l1Tiles[t] = DecodeTile(l1Keys[t], m, k, n);
                outerTraffic[t] = TrafficBeyondL1(m, k, n, l1Tiles[t], options, shape);
            }

            var best = BestTiling.None;
            var candidates = new L1Candidates(l1Tiles.AsSpan(0, candidateCount), outerTraffic.AsSpan(0, candidateCount));
            foreach (var l2 in l2Tiles)
            {
                SearchUnderL2Tile(m, k, n, options, shape, overhead, l2, candidates, ref best);
            }

            if (best.L1Index < 0)
            {
                throw new InvalidOperationException($"Every tiling of the GEMM ({m}, {k}, {n}) has an undefined time.");
            }

            // The reported register tile is the first L2 tile whose L1 set produced the winner, clamped to it.
            var source = l2Tiles[(int)(l1Keys[best.L1Index] & 0xFFFFFFFF)];
            var bestL1 = best.L1;
            var l0 = new GemmTile(Math.Min(source.M, bestL1.M), Math.Min(source.K, bestL1.K), Math.Min(source.N, bestL1.N));
            return new GemmEstimate(best.Time, CanonicalInnerLoop(m, k, n), l0, bestL1, best.L2, best.Access);
        }
        finally
        {
            ArrayPool<GemmTile>.Shared.Return(l1Tiles);
            ArrayPool<OuterTraffic>.Shared.Return(outerTraffic);
        }
    }

    // Prices every L1 candidate under one L2 tile and keeps a better one in best; the L2 tile's compute and register
    // time bound all of its candidates from below, so a tile already slower than the best is skipped whole.
    private void SearchUnderL2Tile(
        long m, long k, long n, GemmOptions options, in ShapeTerms shape, double overhead, GemmTile l2,
        L1Candidates candidates, ref BestTiling best)
    {
        var dt = PrecisionBytes;
        long tilesM = CeilDiv(m, l2.M), tilesK = CeilDiv(k, l2.K), tilesN = CeilDiv(n, l2.N);
        var l2TileCount = tilesM * tilesK * tilesN;
        double activeSms = Math.Min(Hardware.Core.NumBundles, l2TileCount);
        var util = options.FlashAttention ? FlashAttentionSmUtil : WaveUtilization(m, n, l2, tilesM * tilesN);
        var throughput = _throughputFlopsPerSecond * util;
        var computeSeconds = throughput == 0 ? double.PositiveInfinity : shape.FlopsAsDouble / throughput;
        var l0Seconds = RidgeLevelSeconds(shape.FlopsAsDouble, shape.L0Bytes, computeSeconds, _l0.Ridge(throughput), _l0);
        if (l0Seconds + overhead > best.Time)
        {
            return; // every candidate under this L2 tile is at least this slow
        }

        var ridgeL1 = _l1.Ridge(throughput);
        var ridgeL2 = _l2.Ridge(throughput);
        var ridgeDram = _dram.Ridge(throughput);

        for (var t = 0; t < candidates.Tiles.Length; t++)
        {
            var y = candidates.Tiles[t];
            var clamped = y.M > l2.M || y.K > l2.K || y.N > l2.N;
            var l1 = clamped ? new GemmTile(Math.Min(y.M, l2.M), Math.Min(y.K, l2.K), Math.Min(y.N, l2.N)) : y;

            // L1 (shared memory): every L2 tile streams its L1 sub-tiles of A and B, and writes C per (m, n).
            long reuseM = CeilDiv(l2.M, l1.M), reuseK = CeilDiv(l2.K, l1.K), reuseN = CeilDiv(l2.N, l1.N);
            var l1Reads = ((double)(l1.M * l1.K) * dt + (double)(l1.K * l1.N) * dt) * (reuseM * reuseN * reuseK);
            var l1Writes = (double)(l1.M * l1.N) * dt * (reuseM * reuseN);
            var l1Bytes = l1Reads * l2TileCount + l1Writes * l2TileCount;
            var time = Math.Max(
                l0Seconds, RidgeLevelSeconds(shape.FlopsAsDouble, l1Bytes / activeSms, computeSeconds, ridgeL1, _l1));
            if (time + overhead > best.Time)
            {
                continue; // already slower than the best, whatever L2 and DRAM add
            }

            var outer = clamped ? TrafficBeyondL1(m, k, n, l1, options, shape) : candidates.Traffic[t];
            time = Math.Max(time, outer.L2Intensity < ridgeL2 ? outer.L2TransferSeconds : computeSeconds);
            time = Math.Max(time, outer.DramIntensity < ridgeDram ? outer.DramTransferSeconds : computeSeconds);
            time += overhead;

            if (time > best.Time)
            {
                continue;
            }

            var metric = double.Hypot(outer.DramBytes, outer.L2Bytes);
            if (time < best.Time || metric < best.Metric
                || (metric == best.Metric && IsCanonicallySmaller(l2, l1, best.L2, best.L1)))
            {
                best = new BestTiling(
                    time, metric, l2, l1, t, new GemmAccessBytes(shape.L0Bytes, l1Bytes, outer.L2Bytes, outer.DramBytes));
            }
        }
    }

    // L2 and DRAM traffic of one L1 tile, with the per-level roofline terms that do not depend on utilisation.
    private OuterTraffic TrafficBeyondL1(long m, long k, long n, GemmTile l1, GemmOptions options, in ShapeTerms shape)
    {
        double l2Bytes, dramBytes;
        if (options.FlashAttention)
        {
            l2Bytes = options.FlashReadBytesL2 + options.FlashWriteBytesL2;
            dramBytes = 0;
        }
        else
        {
            var rows = CeilDiv(m, l1.M);
            var cols = CeilDiv(n, l1.N);
            var l2Reads = cols * shape.MkBytes + rows * shape.KnBytes;
            l2Bytes = l2Reads + shape.MnBytes;
            dramBytes = DramBytes(m, k, n, l1, rows, cols, l2Reads, shape);
        }

        return new OuterTraffic(
            l2Bytes,
            dramBytes,
            l2Bytes == 0 ? double.PositiveInfinity : shape.FlopsAsDouble / l2Bytes,
            TransferSeconds(l2Bytes, _l2),
            dramBytes == 0 ? double.PositiveInfinity : shape.FlopsAsDouble / dramBytes,
            TransferSeconds(dramBytes, _dram));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double TransferSeconds(double bytes, in LevelRate level) =>
        (level.BandwidthBytesPerSecond == 0 || bytes == 0 ? double.PositiveInfinity : bytes / level.BandwidthBytesPerSecond)
        + level.LatencySeconds;

    // The simplified DRAM reuse-distance model: cold misses of A/B L1 tiles plus a capacity-pressure share.
    private double DramBytes(long m, long k, long n, GemmTile l1, long rows, long cols, double l2Reads, in ShapeTerms shape)
    {
        var tileA = l1.M * l1.K;
        var tileB = l1.K * l1.N;
        var tileC = l1.M * l1.N;
        // The reference subtracts SM-count C tiles (elements) from a byte capacity; kept for parity.
        var capacity = _l2CapacityBytes - Constants.SmCount * tileC;
        var kBlocks = CeilDiv(k, l1.K);
        var coldMisses = rows * kBlocks * tileA + cols * kBlocks * tileB;
        var workingSet = rows * tileA + cols * tileB;
        long capacityMisses = 0;
        if (workingSet > capacity)
        {
            var excess = Math.Min(1.0, (workingSet - capacity) / Math.Max(1, workingSet));
            capacityMisses = (long)(coldMisses * excess);
        }

        var writes = shape.TotalBytes > capacity * PrecisionBytes ? (long)shape.MnBytes : 0;
        var transfers = (double)((Int128)rows * cols * kBlocks * Math.Max(1, tileA + tileB));
        var reads = (long)(l2Reads * (coldMisses + capacityMisses) / transfers);
        return reads + writes;
    }

    // Wave quantisation of the L2-tile grid over the SMs, with the reference's A100 occupancy heuristics.
    private double WaveUtilization(long m, long n, GemmTile l2, long gridSize)
    {
        var c = Constants;
        var operandBytes = PrecisionBytes * (l2.M * l2.K + l2.K * l2.N);
        var computeSeconds = 2 * (l2.M * l2.N * l2.K) / c.PeakFlopsPerSecond;
        var loadSeconds = operandBytes / c.DramBandwidthBytesPerSecond;
        var stages = loadSeconds < computeSeconds ? c.ShallowPipelineStages : c.DeepPipelineStages;
        var sharedBytes = operandBytes * stages;
        if (sharedBytes > _l1CapacityBytes)
        {
            return 1.0;
        }

        var registers = l2.M * l2.N + c.RegistersPerOperandRow * (l2.M + l2.N);
        if (registers > c.RegistersPerSm)
        {
            return 1.0;
        }

        var sharedBlocks = Math.Floor(_l1CapacityBytes / sharedBytes);
        double registerBlocks = c.RegistersPerSm / registers;
        var waves = gridSize / Math.Min(sharedBlocks, registerBlocks) / c.SmCount;
        var fullWaves = Math.Floor(waves);
        var partial = waves - fullWaves;
        return (fullWaves + partial * partial) / waves;
    }

    // With no cost difference between inner loops, the canonical winner takes the smallest allowed code.
    private GemmInnerLoop CanonicalInnerLoop(long m, long k, long n)
    {
        var dataflow = Hardware.Core.Dataflow;
        if (dataflow == Dataflow.Best)
        {
            dataflow = m >= k && m >= n ? Dataflow.WeightStationary
                : k >= m && k >= n ? Dataflow.OutputStationary
                : Dataflow.ActivationStationary;
        }

        return dataflow switch
        {
            Dataflow.WeightStationary => GemmInnerLoop.K, // candidates K, N (K alone when K = N)
            Dataflow.ActivationStationary => k == m ? GemmInnerLoop.K : GemmInnerLoop.M, // candidates K, M (K alone when K = M)
            Dataflow.OutputStationary => GemmInnerLoop.M, // candidates M, N (M alone when M = N)
            _ => GemmInnerLoop.M, // candidates K, N, M
        };
    }

    private static bool IsCanonicallySmaller(GemmTile l2, GemmTile l1, GemmTile bestL2, GemmTile bestL1)
    {
        if (l2.M != bestL2.M) return l2.M < bestL2.M;
        if (l2.K != bestL2.K) return l2.K < bestL2.K;
        if (l2.N != bestL2.N) return l2.N < bestL2.N;
        if (l1.M != bestL1.M) return l1.M < bestL1.M;
        if (l1.K != bestL1.K) return l1.K < bestL1.K;
        return l1.N < bestL1.N;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long CeilDiv(long a, long b) => (a + b - 1) / b;

    // Roofline.LevelTimeSeconds with the ridge point and the compute time hoisted out of the candidate loop.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double RidgeLevelSeconds(double flops, double bytes, double computeSeconds, double ridge, in LevelRate level)
    {
        var intensity = bytes == 0 ? double.PositiveInfinity : flops / bytes;
        return intensity < ridge ? TransferSeconds(bytes, level) : computeSeconds;
    }

    private readonly struct LevelRate(MemoryLevel level)
    {
        public readonly double BandwidthBytesPerSecond = level.ThroughputBytesPerSecond;
        public readonly double LatencySeconds = level.LatencySeconds;

        public double Ridge(double throughput) =>
            BandwidthBytesPerSecond == 0 ? double.PositiveInfinity : throughput / BandwidthBytesPerSecond;
    }

    // Quantities that depend only on the GEMM shape.
    private readonly struct ShapeTerms
    {
        public readonly double FlopsAsDouble;
        public readonly double L0Bytes;
        public readonly double MkBytes;
        public readonly double KnBytes;
        public readonly double MnBytes;
        public readonly double TotalBytes;

        public ShapeTerms(long m, long k, long n, double dt, CoreModel core, double flops)
        {
            FlopsAsDouble = flops;
            MkBytes = (double)(m * k) * dt;
            KnBytes = (double)(k * n) * dt;
            MnBytes = (double)(m * n) * dt;
            TotalBytes = MkBytes + KnBytes + MnBytes;
            L0Bytes = SystolicBytes(m, k, n, dt, core, flops);
        }

        // Operand loads through the FMA array plus partial-sum stores, divided by the dataflow's reuse.
        private static double SystolicBytes(long m, long k, long n, double dt, CoreModel core, double flops)
        {
            long fx = core.FmaD1, fy = core.FmaD2;
            var reuse = core.Dataflow switch
            {
                Dataflow.Best => Math.Max(Math.Max(CeilDiv(m, fx), CeilDiv(n, fx)), CeilDiv(k, fy)),
                Dataflow.WeightStationary => CeilDiv(m, fx),
                Dataflow.ActivationStationary => CeilDiv(n, fx),
                Dataflow.OutputStationary => CeilDiv(k, fy),
                _ => 1L,
            };
            var loads = flops * 2.0 * fy / (fx * (2 * fy - 1)) * dt;
            var stores = flops / (reuse * (2 * fy - 1)) * dt;
            return loads + stores;
        }
    }

    // Traffic below L1 and its roofline terms: intensity (flop/byte) and memory-bound time per level.
    private readonly record struct OuterTraffic(
        double L2Bytes,
        double DramBytes,
        double L2Intensity,
        double L2TransferSeconds,
        double DramIntensity,
        double DramTransferSeconds);

    // The decoded L1 candidates and the L2/DRAM traffic of each (unclamped), side by side.
    private readonly ref struct L1Candidates(ReadOnlySpan<GemmTile> tiles, ReadOnlySpan<OuterTraffic> traffic)
    {
        public ReadOnlySpan<GemmTile> Tiles { get; } = tiles;
        public ReadOnlySpan<OuterTraffic> Traffic { get; } = traffic;
    }

    // The best tiling so far: its time, its tie-breaking traffic metric, tiles and the index of its L1 candidate.
    private readonly record struct BestTiling(
        double Time, double Metric, GemmTile L2, GemmTile L1, int L1Index, GemmAccessBytes Access)
    {
        public static BestTiling None => new(double.PositiveInfinity, double.PositiveInfinity, default, default, -1, default);
    }

    private readonly record struct CacheKey(long M, long K, long N, GemmOptions Options);
}
