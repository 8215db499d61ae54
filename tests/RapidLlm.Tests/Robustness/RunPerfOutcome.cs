using System.Text.Json;
using System.Text.RegularExpressions;
using RapidLlm.Cli;

namespace RapidLlm.Tests.Robustness;

/// <summary>
/// Runs RunPerf in process on a config pair and classifies what a user would see: a result whose figures are all
/// finite and positive (<see cref="Accepted"/>), an exit 2 whose every error names the file and a YAML path
/// (<see cref="Rejected"/>), or anything else (a defect, named by its class).
/// </summary>
internal static partial class RunPerfOutcome
{
    public const string Accepted = "ok";
    public const string Rejected = "rejected";

    // "file:line:col: error at path (value '…'): message" or "file: error at path: message".
    [GeneratedRegex(@": error at [^\s(:]+")]
    private static partial Regex ErrorWithPath();

    [GeneratedRegex(@"\d+(\.\d+)?")]
    private static partial Regex Digits();

    /// <summary>Runs one pair; returns <see cref="Accepted"/>, <see cref="Rejected"/> or the defect's class.</summary>
    public static string Classify(string hardwarePath, string modelPath, string workFolder, out string detail)
    {
        var json = Path.Combine(workFolder, "result.json");
        if (File.Exists(json)) File.Delete(json);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code;
        try
        {
            code = RunPerfCli.Run(
                ["--hardware_config", hardwarePath, "--model_config", modelPath, "--output_dir", Path.Combine(workFolder, "output"), "--json", json],
                stdout, stderr);
        }
#pragma warning disable CA1031 // Any escaping exception is the defect being looked for.
        catch (Exception e)
#pragma warning restore CA1031
        {
            detail = e.ToString();
            return "exception " + e.GetType().Name;
        }

        var err = stderr.ToString();
        detail = err.Length > 2000 ? err[..2000] : err;
        switch (code)
        {
            case RunPerfCommand.InvalidInput:
            {
                var errors = err.Split('\n').Where(l => l.Contains(": error", StringComparison.Ordinal) || l.StartsWith("error:", StringComparison.Ordinal)).ToList();
                if (errors.Count == 0) return "exit 2 without an error line";
                if (errors.FirstOrDefault(l => !ErrorWithPath().IsMatch(l) || !(l.Contains(hardwarePath, StringComparison.Ordinal) || l.Contains(modelPath, StringComparison.Ordinal))) is { } bare)
                    return "exit 2 without a file and YAML path: " + Normalise(bare);
                if (errors.FirstOrDefault(l => l.Length > 1500) is { } longLine) return "exit 2 with a line of " + longLine.Length + " characters";
                return Rejected;
            }
            case RunPerfCommand.Success:
                detail = stdout.ToString();
                return CheckResult(json, stdout.ToString());
            default:
                return $"exit {code}: " + Normalise(err.Split('\n').FirstOrDefault(l => l.StartsWith("error", StringComparison.Ordinal)) ?? err);
        }
    }

    private static string CheckResult(string json, string stdout)
    {
        if (Regex.IsMatch(stdout, @"[=:]\s*[-+]?(nan|NaN|inf|Infinity|∞)")) return "nonsense: stdout prints a NaN or infinity";
        if (!File.Exists(json)) return "nonsense: no JSON result";
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var problems = new List<string>();
        Walk(doc.RootElement, "", problems);
        return problems.Count == 0 ? Accepted : "nonsense: " + problems[0];
    }

    // Names that may be zero: decode without decode steps, reductions without the axis, energy of an empty phase.
    private static readonly string[] MayBeZero = ["decode_s", "_reduction_s", "backward_compute_s", "prefill_s", "prefill_j", "decode_j", "prefill_peak_gib", "decode_peak_gib"];

    private static void Walk(JsonElement element, string path, List<string> problems)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in element.EnumerateObject()) Walk(p.Value, path.Length == 0 ? p.Name : path + "." + p.Name, problems);
                break;
            case JsonValueKind.Number:
                var value = element.GetDouble();
                var zeroAllowed = MayBeZero.Any(z => path.EndsWith(z, StringComparison.Ordinal));
                if (!double.IsFinite(value) || value < 0 || (value == 0 && !zeroAllowed)) problems.Add($"{path} = {value}");
                else if (path.EndsWith("peak_gib", StringComparison.Ordinal) && value > 1e12) problems.Add($"{path} = {value} GiB");
                break;
            case JsonValueKind.String when path != "schema" && path != "mode" && path != "run_type" && path != "execution_backend":
                problems.Add($"{path} is a string '{element.GetString()}'");
                break;
        }
    }

    private static string Normalise(string line)
    {
        var text = Digits().Replace(line, "N");
        var cut = text.IndexOf(": error", StringComparison.Ordinal);
        if (cut > 0) text = text[(cut + 2)..];
        return text.Length > 160 ? text[..160] : text;
    }
}
