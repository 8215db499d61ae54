using System.Text;
using System.Text.Json;

namespace RapidLlm.Reports;

/// <summary>Writes a <see cref="ContractResult"/> as the JSON document of the command-line contract.</summary>
internal static class ContractResultJson
{
    /// <summary>Serialises the result to indented JSON.</summary>
    /// <param name="result">The result.</param>
    public static string Serialize(ContractResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("schema", ContractResult.Schema);
            json.WriteString("mode", result.Mode);
            json.WriteString("run_type", result.RunType);
            json.WriteString("execution_backend", result.ExecutionBackend);
            json.WriteNumber("num_gpus", result.NumGpus);
            if (result.Training is { } training)
            {
                json.WriteStartObject("training");
                WriteNumber(json, "time_per_batch_s", training.TimePerBatchSeconds);
                json.WriteEndObject();
            }

            if (result.Inference is { } inference)
            {
                json.WriteStartObject("inference");
                WriteNumber(json, "total_s", inference.TotalSeconds);
                WriteNumber(json, "prefill_s", inference.PrefillSeconds);
                WriteNumber(json, "decode_s", inference.DecodeSeconds);
                WriteNumber(json, "ttft_s", inference.TimeToFirstTokenSeconds);
                WriteOptional(json, "decode_rate_start", inference.DecodeRateStart);
                WriteOptional(json, "decode_rate_mid", inference.DecodeRateMid);
                WriteOptional(json, "decode_rate_end", inference.DecodeRateEnd);
                WriteOptional(json, "aggregate_tokens_per_s_start", inference.AggregateTokensPerSecondStart);
                WriteOptional(json, "aggregate_tokens_per_s_mid", inference.AggregateTokensPerSecondMid);
                WriteOptional(json, "aggregate_tokens_per_s_end", inference.AggregateTokensPerSecondEnd);
                json.WriteEndObject();
            }

            if (result.Memory is { } memory)
            {
                json.WriteStartObject("memory");
                WriteNumber(json, "peak_gib", memory.PeakGib);
                WriteNumber(json, "capacity_gib", memory.CapacityGib);
                WriteOptional(json, "prefill_peak_gib", memory.PrefillPeakGib);
                WriteOptional(json, "decode_peak_gib", memory.DecodePeakGib);
                json.WriteBoolean("fits", memory.Fits);
                json.WriteEndObject();
            }

            if (result.Energy is { } energy)
            {
                json.WriteStartObject("energy");
                WriteOptional(json, "prefill_j", energy.PrefillJoules);
                WriteOptional(json, "decode_j", energy.DecodeJoules);
                WriteNumber(json, "total_j", energy.TotalJoules);
                WriteOptional(json, "average_power_w_per_gpu", energy.AveragePowerWattsPerGpu);
                json.WriteEndObject();
            }

            if (result.Gemm is { } gemm)
            {
                json.WriteStartObject("gemm");
                WriteNumber(json, "total_s", gemm.TotalSeconds);
                WriteNumber(json, "forward_compute_s", gemm.ForwardComputeSeconds);
                WriteNumber(json, "forward_reduction_s", gemm.ForwardReductionSeconds);
                WriteNumber(json, "backward_compute_s", gemm.BackwardComputeSeconds);
                WriteNumber(json, "backward_reduction_s", gemm.BackwardReductionSeconds);
                WriteNumber(json, "dp_reduction_s", gemm.DataParallelReductionSeconds);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v) WriteNumber(json, name, v);
    }

    // JSON has no infinity or NaN: such values are written as null rather than failing the whole run.
    private static void WriteNumber(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value)) json.WriteNumber(name, value);
        else json.WriteNull(name);
    }
}
