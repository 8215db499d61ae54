using System.Globalization;
using System.Text;

namespace RapidLlm.Validation;

/// <summary>Builds the hardware overlay text that sets a point's parallelism (and optional software switches).</summary>
internal static class ParallelismOverlay
{
    public static string Create(int tp = 1, int pp = 1, int cp = 1, int dp = 1, int microBatches = 1, bool tensorSequenceParallel = true,
        bool? fullRecomputation = null, int? zeroStage = null)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $$"""
            parallelism:
              tp: {{tp}}
              tp_sp: {{(tensorSequenceParallel ? "true" : "false")}}
              cp: {{cp}}
              pp: {{pp}}
              mb: {{microBatches}}
              train: {dp: {{dp}}, ep: 1, tp_ep: true}
              inference: {replica_count: 1, moe_dp: 1}

            """);
        if (fullRecomputation is not null || zeroStage is not null) text.Append("sw_param:\n");
        if (fullRecomputation is { } full) text.Append(CultureInfo.InvariantCulture, $"  full_recomputation: {(full ? "true" : "false")}\n");
        if (zeroStage is { } zero) text.Append(CultureInfo.InvariantCulture, $"  dp_zero_stage: {zero}\n");
        return text.ToString();
    }

    public static string ModelParams(params (string Key, object Value)[] values)
    {
        var text = new StringBuilder("model_param:\n");
        foreach (var (key, value) in values) text.Append(CultureInfo.InvariantCulture, $"  {key}: {value}\n");
        return text.ToString();
    }
}
