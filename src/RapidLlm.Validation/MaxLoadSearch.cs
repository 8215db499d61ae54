using System.Globalization;
using RapidLlm.Configuration;
using RapidLlm.Simulation;
using RapidLlm.Execution;

namespace RapidLlm.Validation;

/// <summary>
/// Predicts throughput at maximum load as a static batch: the largest batch per replica whose inference memory peak
/// (prefill and final decode step) fits the device, found by doubling and then bisection up to
/// <see cref="MaxBatch"/>, then one time estimate at that batch. Serving stacks at maximum load keep as many requests
/// in flight as the KV cache allows, so the memory-limited batch is the closest static stand-in.
/// </summary>
/// <param name="MaxBatch">Upper bound on the batch per replica (the serving stack's own cap).</param>
/// <param name="TensorFormat">
/// <c>sw_param.precision.tensor_format</c> for both devices (for example <c>fp8</c> or <c>bf16</c>). The byte width drives
/// weights, KV cache and traffic; the compute rate does not change with it, which the H200/H100 ratio largely cancels.
/// </param>
public sealed record MaxLoadSearch(int MaxBatch = 1024, string TensorFormat = "fp8")
{
    /// <summary>Predicts one device's maximum-load throughput.</summary>
    /// <param name="hardwareFile">Base hardware YAML (a preset).</param>
    /// <param name="modelFile">Base inference model YAML.</param>
    /// <param name="gpus">GPUs of the system.</param>
    /// <param name="tp">Tensor-parallel degree per replica.</param>
    /// <param name="inputTokens">Prompt tokens per request.</param>
    /// <param name="outputTokens">Generated tokens per request.</param>
    /// <exception cref="InvalidOperationException">Batch 1 does not fit.</exception>
    public MaxLoadThroughput Predict(string hardwareFile, string modelFile, int gpus, int tp, int inputTokens, int outputTokens)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatch, 1);
        var overlay = ParallelismOverlay.Create(tp: tp) + string.Create(CultureInfo.InvariantCulture,
            $"sw_param:\n  precision:\n    tensor_format: {TensorFormat}\n");
        var hardwareText = YamlOverlay.Merge(File.ReadAllText(hardwareFile), overlay);
        var modelBase = File.ReadAllText(modelFile);
        var hardware = HardwareConfig.LoadYamlText(hardwareText, hardwareFile);
        DeviceModels? device = null;

        // The library's one wiring point; every batch shares the device's cost models.
        LlmSimulation At(int batch)
        {
            var modelText = YamlOverlay.Merge(modelBase, ParallelismOverlay.ModelParams(
                ("seq_len", inputTokens + outputTokens), ("decode_len", outputTokens), ("global_batch_size", batch)));
            var simulation = LlmSimulation.Create().Hardware(hardware).Model(ModelConfig.LoadYamlText(modelText, modelFile))
                .ShareDevices(h => (device ??= new DeviceModels(h)).For(h))
                // The search prices the device analytically, whatever backend its file names.
                .UseBackend(AnalyticalBackend.Instance).Build();
            _ = simulation.Model.Transformer ?? throw new UnsupportedFeatureException("max-load search needs an LLM model file.");
            return simulation;
        }

        bool Fits(int batch) => At(batch).EstimateMemory().Report.Fits;

        if (!Fits(1)) throw new InvalidOperationException($"batch 1 does not fit {Path.GetFileName(hardwareFile)} at TP {tp}.");
        int fits = 1, fails = 0;
        while (fails == 0 && fits < MaxBatch)
        {
            var next = Math.Min(2 * fits, MaxBatch);
            if (Fits(next)) fits = next;
            else fails = next;
        }

        // Memory grows monotonically with batch, so bisection between the last fit and the first failure is exact.
        while (fails > fits + 1)
        {
            var mid = fits + (fails - fits) / 2;
            if (Fits(mid)) fits = mid;
            else fails = mid;
        }

        var estimate = At(fits).EstimateInference();
        var report = estimate.Memory!.Report;
        return new MaxLoadThroughput(fits, Math.Max(1, gpus / tp), estimate.TotalSeconds, report.PeakGib,
            report.CapacityGib ?? double.NaN, outputTokens);
    }
}
