using System.Collections.Concurrent;
using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Simulation;
using RapidLlm.Hardware;

namespace RapidLlm.Validation;

/// <summary>
/// Predicts measured GPU entries with one hardware file, the way a command-line user would: the file is set to one
/// GPU (every parallelism degree 1, no sequence parallelism, analytical backend), the entry's hardware overlay is
/// merged in, and the entry's model files run. Layer quantities are differences of a 2-layer and a 1-layer run
/// (prefill for the forward, training step for forward + backward), which is what a JSON-only runner can compute.
/// </summary>
/// <param name="maxDegreeOfParallelism">Threads; -1 for the default.</param>
public sealed class GpuMeasurementRunner(int maxDegreeOfParallelism = -1)
{
    private static readonly string SingleGpu = ParallelismOverlay.Create(tp: 1, tensorSequenceParallel: false);

    /// <summary>Predicts every entry with the hardware document <paramref name="hardwareYaml"/>.</summary>
    /// <param name="entries">The entries.</param>
    /// <param name="hardwareYaml">The hardware YAML text.</param>
    /// <param name="sourceName">The hardware file's name, for messages.</param>
    /// <returns>One result per entry, in order.</returns>
    public IReadOnlyList<GpuPointResult> Run(IReadOnlyList<GpuMeasurement> entries, string hardwareYaml, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(hardwareYaml);
        var devices = new ConcurrentDictionary<string, Lazy<DeviceModels>>(StringComparer.Ordinal);
        var baseText = YamlOverlay.ForceAnalytical(YamlOverlay.Merge(hardwareYaml, SingleGpu), out _);
        var results = new GpuPointResult[entries.Count];
        Parallel.For(0, entries.Count, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism }, i =>
        {
            var entry = entries[i];
            try
            {
                var text = YamlOverlay.Merge(baseText, entry.HardwareOverlay);
                var device = devices.GetOrAdd(text, t => new Lazy<DeviceModels>(() => new DeviceModels(HardwareConfig.FromYamlText(t, sourceName)))).Value;
                results[i] = new GpuPointResult(entry, Predict(entry, device), null);
            }
            catch (Exception e) when (e is ConfigurationException or UnsupportedFeatureException or InvalidOperationException or FormatException or IOException)
            {
                results[i] = new GpuPointResult(entry, null, $"{e.GetType().Name}: {e.Message.Split('\n')[0]}");
            }
        });
        return results;
    }

    private static double Predict(GpuMeasurement entry, DeviceModels device) => entry.Quantity switch
    {
        GpuQuantity.GemmForward or GpuQuantity.GemmForwardBackward => Gemm(device, entry.Run("main")),
        GpuQuantity.Prefill => Inference(device, entry.Run("main")).PrefillSeconds,
        GpuQuantity.DecodeStep => Inference(device, entry.Run("main")).DecodeSeconds,
        GpuQuantity.LayerForward => Inference(device, entry.Run("inf_L2")).PrefillSeconds - Inference(device, entry.Run("inf_L1")).PrefillSeconds,
        GpuQuantity.LayerForwardBackward => Training(device, entry.Run("train_L2")) - Training(device, entry.Run("main")),
        GpuQuantity.TrainingStep => Training(device, entry.Run("main")),
        _ => throw new InvalidOperationException($"unknown quantity {entry.Quantity}"),
    };

    private static double Gemm(DeviceModels device, string modelFile) => Simulation(device, modelFile).EstimateGemm().TotalSeconds;

    private static Inference.InferenceEstimate Inference(DeviceModels device, string modelFile) =>
        Simulation(device, modelFile).EstimateInference(includeMemory: false);

    private static double Training(DeviceModels device, string modelFile) =>
        Simulation(device, modelFile).EstimateTraining(includeMemory: false).TimePerBatchSeconds;

    // The library's one wiring point, on the entry's device (its cost models and GEMM memo shared by the entry's runs).
    private static Simulation.LlmSimulation Simulation(DeviceModels device, string modelFile) =>
        RapidLlm.Simulation.LlmSimulation.Create().Hardware(device.Config).Model(modelFile).ShareDevices(device.For).Build();
}
