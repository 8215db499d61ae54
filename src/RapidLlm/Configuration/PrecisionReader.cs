using RapidLlm.Configuration.Yaml;

namespace RapidLlm.Configuration;

/// <summary>Reads <c>sw_param.precision</c> in either schema into explicit byte widths.</summary>
internal static class PrecisionReader
{
    private static readonly Dictionary<string, double> DtypeBytes = new(StringComparer.Ordinal)
    {
        ["mxfp4"] = 4.25 / 8.0,
        ["int4"] = 0.5,
        ["fp8"] = 1.0,
        ["fp16"] = 2.0,
        ["half"] = 2.0,
        ["bf16"] = 2.0,
        ["fp32"] = 4.0,
        ["single"] = 4.0,
    };

    private static readonly string[] HeadOnlyKeys = ["parameters", "gradients", "grad_communication", "optimizer_states", "stats", "master_parameters"];

    private enum StorageMode { AsTensorFormat, TensorPlusFp32Master, Fp32Params }

    private static readonly Dictionary<string, StorageMode> StorageModes = new(StringComparer.Ordinal)
    {
        ["as_tensor_format"] = StorageMode.AsTensorFormat,
        ["tensor_plus_fp32_master"] = StorageMode.TensorPlusFp32Master,
        ["fp32_params"] = StorageMode.Fp32Params,
    };

    /// <summary>True when the block uses the seed's flags.</summary>
    public static bool IsSeedStyle(MappingReader block) =>
        block.Keys.Contains("mixed_precision") || block.Keys.Contains("param_storage_mode");

    public static PrecisionConfig Read(MappingReader block)
    {
        var tensor = Bytes(block, "tensor_format", required: true, null, allowAsTensor: false) ?? 2.0;
        var kv = Bytes(block, "kv_cache", required: true, tensor, allowAsTensor: true) ?? tensor;
        if (IsSeedStyle(block)) return ReadSeed(block, tensor, kv);

        var parameters = Bytes(block, "parameters", false, tensor, true) ?? tensor;
        var gradients = Bytes(block, "gradients", false, tensor, true) ?? 4.0;
        var gradComm = Bytes(block, "grad_communication", false, tensor, true) ?? tensor;
        var optimizer = Bytes(block, "optimizer_states", false, tensor, true) ?? 4.0;
        var stats = Bytes(block, "stats", false, tensor, true) ?? 4.0;
        var masterNode = block.Get("master_parameters");
        double master = 0.0;
        if (masterNode is YamlScalar { Value.IsNumber: true } s && s.Value.Float == 0.0) master = 0.0;
        else if (masterNode is not null) master = Bytes(block, "master_parameters", false, tensor, false) ?? 0.0;
        block.Finish(ignored: ["grad_microbatch"]);
        return new PrecisionConfig(tensor, kv, parameters, gradients, gradComm, optimizer, stats, master);
    }

    private static PrecisionConfig ReadSeed(MappingReader block, double tensor, double kv)
    {
        var mixedNode = block.Require("mixed_precision", "the seed schema needs it with param_storage_mode");
        var mixed = mixedNode is not null && block.RequiredBool("mixed_precision");
        var mode = block.Choice("param_storage_mode", StorageModes, required: true) ?? StorageMode.AsTensorFormat;
        foreach (var key in HeadOnlyKeys)
        {
            if (block.Get(key) is { } node)
                block.Error(key, node, "explicit precisions cannot be combined with the seed's mixed_precision/param_storage_mode flags; use one style");
        }
        if (mode == StorageMode.TensorPlusFp32Master && !mixed)
            block.Error("param_storage_mode", block.Get("param_storage_mode"), "tensor_plus_fp32_master requires mixed_precision: true");
        block.Finish();

        if (!mixed) return new PrecisionConfig(tensor, kv, tensor, tensor, tensor, tensor, tensor, 0.0);
        var weights = mode == StorageMode.Fp32Params ? 4.0 : tensor;
        var master = mode == StorageMode.TensorPlusFp32Master ? 4.0 : 0.0;
        return new PrecisionConfig(tensor, kv, weights, weights, weights, 4.0, 4.0, master);
    }

    private static double? Bytes(MappingReader block, string key, bool required, double? tensor, bool allowAsTensor)
    {
        var node = required ? block.Require(key) : block.Get(key);
        if (node is not YamlScalar scalar)
        {
            if (node is not null) block.Error(key, node, "must be a single value");
            return null;
        }
        var value = scalar.Value;
        if (value.IsNumber)
        {
            if (value.Float > 0) return value.Float;
            block.Error(key, node, "a byte width must be > 0");
            return null;
        }
        var text = value.Text.Trim().ToLowerInvariant();
        if (allowAsTensor && text == "as_tensor_format") return tensor;
        if (DtypeBytes.TryGetValue(text, out var bytes)) return bytes;
        var allowed = "a byte count > 0 or one of " + string.Join(", ", DtypeBytes.Keys) + (allowAsTensor ? ", as_tensor_format" : "");
        block.Error(key, node, "must be " + allowed + Suggestion.DidYouMean(text, DtypeBytes.Keys.Append("as_tensor_format")));
        return null;
    }
}
