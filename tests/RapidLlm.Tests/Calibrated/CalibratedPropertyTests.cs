using System.Globalization;
using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Simulation;
using RapidLlm.Hardware;
using RapidLlm.Network;

namespace RapidLlm.Tests.Calibrated;

/// <summary>
/// Physical bounds the calibrated model must respect on seeded random configurations of the three calibrated presets:
/// no decode step beats streaming its weights and KV cache at the achievable bandwidth, no GEMM beats the datasheet
/// tensor rate, a busy GPU draws between its idle power and its TDP, and spreading the same work over more GPUs never
/// uses much less energy.
/// </summary>
public class CalibratedPropertyTests
{
    private const int Samples = 24;
    private static readonly string[] Presets = ["H100_SXM5_80GB.yaml", "H200_SXM_141GB.yaml", "a100_80GB.yaml"];

    private sealed record Model(int Layers, int Hidden, int Heads, int KvHeads, int Ffn, int Vocab, int Batch, int Sequence, int Tp);

    private static IEnumerable<(string Preset, Model Model)> RandomCases(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < Samples; i++)
        {
            var hidden = new[] { 2048, 4096, 5120, 8192 }[random.Next(4)];
            var heads = hidden / 128;
            var kv = random.Next(2) == 0 ? heads : 8;
            var tp = new[] { 1, 2, 4, 8 }[random.Next(4)];
            var ffn = (int)(hidden * (2.5 + random.NextDouble() * 1.5)) / 256 * 256;
            yield return (Presets[i % Presets.Length], new Model(
                random.Next(2, 48), hidden, heads, kv, ffn, random.Next(2) == 0 ? 32000 : 128256,
                1 << random.Next(0, 7), 128 << random.Next(0, 7), tp));
        }
    }

    private static HardwareConfig Hardware(string preset, int tp) => HardwareConfig.FromYamlText(
        RapidLlm.Configuration.YamlOverlay.Merge(File.ReadAllText(GpuData.Preset(preset)),
            $"parallelism: {{tp: {tp}, tp_sp: false, cp: 1, pp: 1, mb: 1, train: {{dp: 1, ep: 1, tp_ep: true}}, inference: {{replica_count: 1, moe_dp: 1}}}}\nsw_param: {{full_recomputation: false}}\n"),
        preset);

    private static TransformerConfig Transformer(HardwareConfig hardware, Model m, string runType, int decode)
    {
        var yaml = string.Create(CultureInfo.InvariantCulture, $$"""
            model_param:
              mode: LLM
              run_type: {{runType}}
              tied_embeddings: false
              model_type: llama
              global_batch_size: {{m.Batch}}
              gradient_accumulation_steps: 1
              seq_len: {{m.Sequence + decode}}
              {{(runType == "inference" ? $"decode_len: {decode}" : "")}}
              hidden_dim: {{m.Hidden}}
              attention: {attention_type: {{(m.KvHeads == m.Heads ? "mha" : "gqa")}}, num_heads: {{m.Heads}}, kv_heads: {{m.KvHeads}}, use_flashattention: true, attention_tile_size: 128}
              moe: {num_experts: 1, top_k: 1, moe_intermediate_size: {{m.Ffn}}, n_shared_experts: 0, moe_layer_freq: 1, first_k_dense_replace: {{m.Layers}}}
              intermediate_size: {{m.Ffn}}
              vocab_size: {{m.Vocab}}
              num_layers: {{m.Layers}}
            """);
        return ConfigValidator.Validate(hardware, ModelConfig.FromYamlText(yaml, "model.yaml")).Model.Transformer!;
    }

    [TestCase(1)]
    [TestCase(2)]
    public void ADecodeStepIsNeverFasterThanStreamingWeightsAndKvCache(int seed)
    {
        Assert.Multiple(() =>
        {
            foreach (var (preset, m) in RandomCases(seed))
            {
                var hardware = Hardware(preset, m.Tp);
                var step = new LlmInferenceEstimator(new DeviceModels(hardware)).Estimate(Transformer(hardware, m, "inference", 1), includeMemory: false).DecodeSeconds;
                var bytesPerElement = hardware.Software.Precision.ParametersBytes;
                var headDim = m.Hidden / m.Heads;
                double layerWeights = (double)m.Hidden * (m.Heads + 2 * m.KvHeads) * headDim + (double)m.Heads * headDim * m.Hidden + 3.0 * m.Hidden * m.Ffn;
                var weights = bytesPerElement * (m.Layers * layerWeights + (double)m.Vocab * m.Hidden) / m.Tp;
                var kv = 2.0 * m.Layers * m.Batch * (m.Sequence + 1) * m.KvHeads * headDim * hardware.Software.Precision.KvCacheBytes / m.Tp;
                var bandwidth = HardwareDerivation.Derive(hardware).Dram.ThroughputBytesPerSecond * hardware.PerformanceModel.Calibration!.Memory.HbmEfficiency;
                Assert.That(step, Is.GreaterThanOrEqualTo((weights + kv) / bandwidth * (1 - 1e-9)), $"{preset} {m}");
            }
        });
    }

    [TestCase(3)]
    [TestCase(4)]
    public void AGemmIsNeverFasterThanItsFlopsAtTheDatasheetRate(int seed)
    {
        var random = new Random(seed);
        Assert.Multiple(() =>
        {
            for (var i = 0; i < 60; i++)
            {
                var preset = Presets[i % Presets.Length];
                var hardware = Hardware(preset, 1);
                int Dim() => (int)Math.Round(Math.Exp(random.NextDouble() * Math.Log(40000)));
                int m = Dim(), k = Dim(), n = Dim();
                var estimate = new DeviceModels(hardware).GemmModeEstimator(hardware.Software.Precision)
                    .Estimate(new GemmConfig(m, k, n, false, GemmShardAxis.Row), 1, 1, new Link(1e11, 1e-6), new Link(1e10, 1e-6));
                var peak = HardwareDerivation.Derive(hardware).Core.ThroughputFlopsPerSecond;
                Assert.That(estimate.TotalSeconds, Is.GreaterThanOrEqualTo(2.0 * m * (double)n * k / peak), $"{preset} {m}×{k}×{n}");
            }
        });
    }

    [TestCase(5)]
    [TestCase(6)]
    public void ABusyGpuDrawsBetweenItsIdlePowerAndItsTdp(int seed)
    {
        Assert.Multiple(() =>
        {
            foreach (var (preset, m) in RandomCases(seed))
            {
                var hardware = Hardware(preset, m.Tp);
                var power = hardware.PerformanceModel.Calibration!.Power;
                var device = new DeviceModels(hardware);
                var inference = new LlmInferenceEstimator(device).Estimate(Transformer(hardware, m, "inference", 16), includeMemory: false);
                Assert.That(inference.AveragePowerWattsPerGpu, Is.InRange(power.IdleWatts, power.TdpWatts), $"inference {preset} {m}");
                var training = new TrainingEstimator(device).Estimate(Transformer(hardware, m with { Sequence = Math.Min(m.Sequence, 4096) }, "training", 0), includeMemory: false);
                Assert.That(training.Energy!.AveragePowerWattsPerGpu, Is.InRange(power.IdleWatts, power.TdpWatts), $"training {preset} {m}");
                Assert.That(training.Energy.TotalJoules, Is.EqualTo(training.Energy.AveragePowerWattsPerGpu * training.NumGpus * training.TimePerBatchSeconds).Within(1e-9).Percent);
            }
        });
    }

    [TestCase(7)]
    public void MoreGpusNeverUseMuchLessEnergyForTheSameWork(int seed)
    {
        Assert.Multiple(() =>
        {
            foreach (var (preset, m) in RandomCases(seed).Where(c => c.Model.Heads % 8 == 0 && c.Model.KvHeads % 8 == 0))
            {
                double Inference(int tp)
                {
                    var hardware = Hardware(preset, tp);
                    return new LlmInferenceEstimator(new DeviceModels(hardware)).Estimate(Transformer(hardware, m with { Tp = tp }, "inference", 16), includeMemory: false).Energy.TotalJoules;
                }

                double Training(int tp)
                {
                    var hardware = Hardware(preset, tp);
                    return new TrainingEstimator(new DeviceModels(hardware)).Estimate(Transformer(hardware, m with { Tp = tp, Sequence = 1024 }, "training", 0), includeMemory: false).Energy!.TotalJoules;
                }

                var single = Inference(1);
                var train = Training(1);
                foreach (var tp in new[] { 2, 8 })
                {
                    Assert.That(Inference(tp), Is.GreaterThanOrEqualTo(0.95 * single), $"inference tp {tp} vs 1, {preset} {m}");
                    Assert.That(Training(tp), Is.GreaterThanOrEqualTo(0.95 * train), $"training tp {tp} vs 1, {preset} {m}");
                }
            }
        });
    }
}
