using System.Diagnostics;
using System.Globalization;
using RapidLlm.Common;
using RapidLlm.Samples.Validation;
using RapidLlm.Validation;

// Runs every validation suite and writes report.md, results.csv and one PNG per suite.
// --out defaults to a temp folder; docs/validation.md is refreshed with --out docs/validation (then move report.md).
// Defaults read the copies kept with the tests, so the sample runs from a clean checkout.
const string Usage = "Usage: Validation [--data DIR] [--configs DIR] [--presets DIR] [--out DIR] [--suite ID] [--astra] [--calibrate] [--help]";
if (args.Any(a => a is "--help" or "-h" or "-?"))
{
    Console.WriteLine(Usage);
    Console.WriteLine();
    Console.WriteLine("Runs every validation suite (Koyeb, imec, NVIDIA NIM, Megatron, UCI, H200/H100) against measured hardware and");
    Console.WriteLine("writes report.md, results.csv and one PNG per suite. Progress goes to stderr, one line per suite.");
    Console.WriteLine();
    Console.WriteLine("  --data DIR      measured data (default: the copies kept with the tests)");
    Console.WriteLine("  --configs DIR   the suites' hardware and model files (default: the copies kept with the tests)");
    Console.WriteLine("  --presets DIR   the shipped hardware presets (default: configs/hardware-config)");
    Console.WriteLine("  --out DIR       where the report, CSV and plots go (default: a folder under the system temp folder)");
    Console.WriteLine("  --suite ID      only the suites whose id starts with ID, e.g. imec-a100");
    Console.WriteLine("  --astra         run the hardware files that ask for AstraSim on it (RAPID_ASTRA_SIM_BIN names the binary)");
    Console.WriteLine("  --calibrate     fit the H100 preset's derates to the H100 suites and print the overlay");
    return 0;
}

if (ParseArgs(args, out var problems) is not { } options)
{
    foreach (var problem in problems) Console.Error.WriteLine("error: " + problem);
    Console.Error.WriteLine(Usage);
    return 2;
}

var root = FindRepositoryRoot();
var data = options.GetValueOrDefault("data", Path.Combine(root, "tests/RapidLlm.Tests/data/validation/data"));
var configs = options.GetValueOrDefault("configs", Path.Combine(root, "tests/RapidLlm.Tests/data/validation/configs"));
var presets = options.GetValueOrDefault("presets", Path.Combine(root, "configs/hardware-config"));
var output = options.GetValueOrDefault("out", Path.Combine(Path.GetTempPath(), "rapidllm-validation"));
var sources = new ValidationSources(data, configs, presets);
// --astra runs the hardware files that ask for AstraSim on it (RAPID_ASTRA_SIM_BIN must name a binary).
var runner = new ValidationRunner(new ValidationRunnerOptions(ForceAnalytical: !options.ContainsKey("astra")));
var clock = Stopwatch.StartNew();

if (options.ContainsKey("calibrate"))
{
    Calibrate(sources, Path.Combine(presets, "H100_SXM5_80GB.yaml"), runner);
    return 0;
}

var suites = ValidationCatalog.All(sources).ToList();
// --suite ID keeps the suites whose id starts with ID (e.g. --suite imec-a100).
if (options.TryGetValue("suite", out var only)) suites.RemoveAll(s => !s.Id.StartsWith(only, StringComparison.Ordinal));
if (only is null)
{
    suites.AddRange(ValidationCatalog.H100OnPreset(sources, Path.Combine(presets, "H100_SXM5_80GB.yaml"), "preset"));
    suites.AddRange(ValidationCatalog.H100OnPreset(sources, Path.Combine(presets, "H100_SXM5_80GB_calibrated.yaml"), "calibrated"));
}
if (suites.Count == 0)
{
    Console.Error.WriteLine($"error: no suite id starts with '{only}'; ids: {string.Join(", ", ValidationCatalog.All(sources).Select(s => s.Id))}");
    return 2;
}

// One suite at a time (its points run in parallel) so progress can be told as it goes.
var results = new List<SuiteResult>();
foreach (var suite in suites)
{
    var started = clock.Elapsed;
    results.Add(runner.Run(suite));
    Console.Error.WriteLine($"[{results.Count}/{suites.Count}] {suite.Id}: {suite.Points.Count} points in {(clock.Elapsed - started).TotalSeconds:0.0} s");
}

if (only is null || MaxLoadRatioSuite.Id.StartsWith(only, StringComparison.Ordinal))
{
    // H200 has no measured suite of its own: compare its max-load throughput gain over H100 with published pairs.
    results.Add(MaxLoadRatioSuite.Run(sources,
        Path.Combine(presets, "H100_SXM5_80GB_calibrated.yaml"), Path.Combine(presets, "H200_SXM_141GB_calibrated.yaml")));
}

Directory.CreateDirectory(output);
var plots = new Dictionary<string, string>(StringComparer.Ordinal);
foreach (var result in results)
{
    var file = result.Suite.Id + ".png";
    SuitePlot.Save(result, Path.Combine(output, file));
    plots[result.Suite.Id] = "validation/" + file;
}

File.WriteAllText(Path.Combine(output, "report.md"), ValidationReport.Markdown(results, plots));
File.WriteAllText(Path.Combine(output, "results.csv"), ValidationReport.Csv(results));
Console.WriteLine(ValidationReport.Markdown(results).Split("\n###")[0]);
Console.WriteLine($"Wrote {results.Count} suites to {output} in {clock.Elapsed.TotalSeconds:0.0} s");
return 0;

static void Calibrate(ValidationSources sources, string h100, ValidationRunner runner)
{
    static EquatableArray<double> Of(params double[] v) => new(v);
    var suites = ValidationCatalog.H100OnPreset(sources, h100, "fit");
    var result = new PresetCalibrator(runner).Calibrate(suites,
    [
        new("tech_param.DRAM.util", Of(0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0)),
        new("tech_param.core.util", Of(0.5, 0.6, 0.7, 0.8, 0.9, 1.0)),
        new("sw_param.kernel_launch_overhead", Of(1e-6, 2e-6, 3e-6, 4e-6, 6e-6, 9e-6)),
        new("network.dimensions[dim0].topology.latency", Of(1e-6, 1.5e-6, 2e-6, 2.5e-6, 3e-6, 4e-6, 5e-6)),
        new("network.dimensions[dim0].topology.util", Of(0.25, 0.5, 0.75, 1.0)),
    ]);
    Console.WriteLine("Fitted overlay:\n" + result.Overlay);
    Console.WriteLine("Before:\n" + ValidationReport.Markdown(result.Before).Split("\n###")[0]);
    Console.WriteLine("After:\n" + ValidationReport.Markdown(result.After).Split("\n###")[0]);
}


// Known options only: a value option needs its value, a flag takes none, anything else is an error.
static Dictionary<string, string>? ParseArgs(string[] args, out List<string> problems)
{
    string[] valued = ["data", "configs", "presets", "out", "suite"];
    string[] flags = ["astra", "calibrate"];
    var map = new Dictionary<string, string>(StringComparer.Ordinal);
    problems = [];
    for (var i = 0; i < args.Length; i++)
    {
        var key = args[i].StartsWith("--", StringComparison.Ordinal) ? args[i][2..] : null;
        if (key is not null && valued.Contains(key))
        {
            if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) map[key] = args[++i];
            else problems.Add($"option '--{key}' needs a value");
        }
        else if (key is not null && flags.Contains(key)) map[key] = "";
        else problems.Add($"unknown argument '{args[i]}'");
    }

    foreach (var folder in new[] { "data", "configs", "presets" })
        if (map.TryGetValue(folder, out var path) && !Directory.Exists(path)) problems.Add($"--{folder} '{path}' is not a folder");
    return problems.Count == 0 ? map : null;
}

static string FindRepositoryRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "RapidLlm.sln"))) return dir.FullName;
    return Directory.GetCurrentDirectory();
}
