using System.Diagnostics;
using System.Globalization;
using RapidLlm.AstraSim;
using RapidLlm.AstraSim.Execution;
using RapidLlm.Common;
using RapidLlm.Samples.Validation;
using RapidLlm.Validation;

// Runs every validation suite and writes report.md, results.csv and one PNG per suite.
// --out defaults to a temp folder; report.md links the plots beside it. docs/validation.md is refreshed with
// --out docs/validation (its sections then link the plots as validation/<suite>.png).
// Defaults read the copies kept with the tests, so the sample runs from a clean checkout.
const string Usage = "Usage: Validation [--data DIR] [--configs DIR] [--presets DIR] [--gpu DIR] [--out DIR] [--suite ID] [--astra] [--calibrate [--write]] [--fit-engines [--write]] [--engines] [--gpu-report] [--help]";
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
    Console.WriteLine("  --gpu DIR       the measured H100 GPU entries (default: the copy kept with the tests)");
    Console.WriteLine("  --calibrate     fit the calibrated presets to the GPU entries and suites, print each stage before and after");
    Console.WriteLine("  --write         with --calibrate: store the fitted values in the presets folder (comments kept);");
    Console.WriteLine("                  with --fit-engines: store the fitted engines in the data folder's engines/");
    Console.WriteLine("  --fit-engines   refit only the serving engines (vLLM for Koyeb, TensorRT-LLM for NIM) on the presets as they are");
    Console.WriteLine("  --engines       cross-validate the serving engines' fitted parameters (fit on half the rows, test on the rest)");
    Console.WriteLine("  --gpu-report    print the per-section error of the H100 GPU entries, reference against calibrated");
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
var gpu = options.GetValueOrDefault("gpu", Path.Combine(root, "tests/RapidLlm.Tests/data/gpu/h100"));
var output = options.GetValueOrDefault("out", Path.Combine(Path.GetTempPath(), "rapidllm-validation"));
// The Megatron suite always runs on a preset: the reference-valued copy for the reference-model report, the calibrated
// presets in OnPresets.
var sources = new ValidationSources(data, configs, Path.Combine(presets, "reference"));
// --astra runs the hardware files that ask for AstraSim on it (RAPID_ASTRA_SIM_BIN must name a binary).
// The app maps the environment onto AstraSim options; the library reads none.
var astra = AstraSimOptions.FromEnvironment(
    Path.Combine(Path.GetTempPath(), "rapidllm-validation-astra"), Environment.GetEnvironmentVariable, Environment.CurrentDirectory);
var runner = new ValidationRunner(new ValidationRunnerOptions(ForceAnalytical: !options.ContainsKey("astra")) { Backends = b => b.UseAstraSim(astra) });
var clock = Stopwatch.StartNew();

if (options.ContainsKey("calibrate"))
{
    Calibrate(sources, gpu, presets, runner, write: options.ContainsKey("write"));
    return 0;
}

if (options.ContainsKey("fit-engines"))
{
    // Refits only the serving engines on the current presets (what --calibrate does after the devices).
    FitEngines(sources, presets, write: options.ContainsKey("write"));
    return 0;
}

if (options.ContainsKey("engines"))
{
    // Cross-validation of the serving-engine parameters on the current presets and engine files.
    Console.WriteLine(EngineReport(sources, presets));
    return 0;
}

if (options.ContainsKey("gpu-report"))
{
    Console.WriteLine(GpuReport(gpu, presets));
    return 0;
}

var suites = ValidationCatalog.All(sources).ToList();
// --suite ID keeps the suites whose id starts with ID (e.g. --suite imec-a100).
suites.AddRange(ValidationCatalog.OnPresets(sources, Path.Combine(presets, "H100_SXM5_80GB.yaml"), Path.Combine(presets, "a100_80GB.yaml"), "preset"));
var ids = suites.Select(s => s.Id).ToList();
if (options.TryGetValue("suite", out var only)) suites.RemoveAll(s => !s.Id.StartsWith(only, StringComparison.Ordinal));
if (suites.Count == 0)
{
    Console.Error.WriteLine($"error: no suite id starts with '{only}'; ids: {string.Join(", ", ids)}");
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
        Path.Combine(presets, "H100_SXM5_80GB.yaml"), Path.Combine(presets, "H200_SXM_141GB.yaml")));
}

Directory.CreateDirectory(output);
var plots = new Dictionary<string, string>(StringComparer.Ordinal);
foreach (var result in results)
{
    var file = result.Suite.Id + ".png";
    SuitePlot.Save(result, Path.Combine(output, file));
    plots[result.Suite.Id] = file; // beside report.md
}

File.WriteAllText(Path.Combine(output, "report.md"), ValidationReport.Markdown(results, plots));
File.WriteAllText(Path.Combine(output, "results.csv"), ValidationReport.Csv(results));
Console.WriteLine(ValidationReport.Markdown(results).Split("\n###")[0]);
Console.WriteLine($"Wrote {results.Count} suites to {output} in {clock.Elapsed.TotalSeconds:0.0} s");
return 0;

// Fits the calibrated presets (StandardCalibration), prints each stage before and after, the GPU sections and the suites
// with the fitted files; --write stores the fitted values in configs/hardware-config (comments kept).
static void Calibrate(ValidationSources sources, string gpu, string presets, ValidationRunner runner, bool write)
{
    string File_(string name) => Path.Combine(presets, name);
    var clock = Stopwatch.StartNew();
    var result = PresetCalibration.Run(gpu, sources, File.ReadAllText(File_("H100_SXM5_80GB.yaml")), File.ReadAllText(File_("H200_SXM_141GB.yaml")),
        File.ReadAllText(File_("a100_80GB.yaml")), line => Console.Error.WriteLine(line));
    foreach (var (device, stages) in new[] { ("H100", result.H100Stages), ("A100", result.A100Stages) })
    {
        Console.WriteLine($"## {device}");
        Console.WriteLine("| stage | fitted to | mean \\|error\\| before | after | parameter | before | fitted |");
        Console.WriteLine("|---|---|---:|---:|---|---:|---:|");
        foreach (var s in stages)
            foreach (var p in s.Stage.Parameters)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {s.Stage.Name} | {s.Stage.Data} | {s.ObjectiveBefore:0.00} % | {s.ObjectiveAfter:0.00} % | `{p.Path}` ({p.Meaning}) | {s.Before[p.Path]:G4} | {s.After[p.Path]:G4} |"));
    }

    Console.WriteLine("## Serving engines");
    Console.WriteLine("| stage | fitted to | mean \\|error\\| before | after | parameter | before | fitted |");
    Console.WriteLine("|---|---|---:|---:|---|---:|---:|");
    foreach (var s in result.EngineStages)
        foreach (var p in s.Stage.Parameters)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {s.Stage.Name} | {s.Stage.Data} | {s.ObjectiveBefore:0.00} % | {s.ObjectiveAfter:0.00} % | `{p.Path}` ({p.Meaning}) | {s.Before[p.Path]:G4} | {s.After[p.Path]:G4} |"));

    var folder = write ? presets : Path.Combine(Path.GetTempPath(), "rapidllm-calibrated-presets");
    Directory.CreateDirectory(folder);
    File.WriteAllText(Path.Combine(folder, "H100_SXM5_80GB.yaml"), result.H100Yaml);
    File.WriteAllText(Path.Combine(folder, "H200_SXM_141GB.yaml"), result.H200Yaml);
    File.WriteAllText(Path.Combine(folder, "a100_80GB.yaml"), result.A100Yaml);
    // The engine files live with the suites' data; without --write they go beside the presets' copies.
    var engines = write ? Path.GetDirectoryName(sources.Engine(ValidationCatalog.VllmEngineFile))! : Path.Combine(folder, "engines");
    Directory.CreateDirectory(engines);
    File.WriteAllText(Path.Combine(engines, ValidationCatalog.VllmEngineFile), result.VllmEngineYaml);
    File.WriteAllText(Path.Combine(engines, ValidationCatalog.NimEngineFile), result.NimEngineYaml);
    Console.WriteLine($"Fitted presets written to {folder}, engines to {engines} in {clock.Elapsed.TotalSeconds:0} s");
    Console.WriteLine(GpuReport(gpu, folder));
    var fittedSources = write ? sources : sources with { DataDirectory = CopyWithEngines(sources.DataDirectory, engines) };
    var suites = ValidationCatalog.OnPresets(fittedSources, Path.Combine(folder, "H100_SXM5_80GB.yaml"), Path.Combine(folder, "a100_80GB.yaml"), "preset");
    Console.WriteLine(ValidationReport.Markdown(runner.Run(suites)).Split("\n###")[0]);
    Console.WriteLine(EngineReport(fittedSources, folder));
}

// Fits the vLLM and TensorRT-LLM engine files on the presets as they are; --write replaces the suites' engine files.
static void FitEngines(ValidationSources sources, string presets, bool write)
{
    var scratch = Directory.CreateTempSubdirectory("rapidllm-engines-").FullName;
    string a100 = Path.Combine(presets, "a100_80GB.yaml"), h100 = Path.Combine(presets, "H100_SXM5_80GB.yaml");
    Console.WriteLine("| stage | fitted to | mean \\|error\\| before | after | parameter | before | fitted |");
    Console.WriteLine("|---|---|---:|---:|---|---:|---:|");
    foreach (var (file, stage) in new[]
    {
        (ValidationCatalog.VllmEngineFile, StandardCalibration.VllmEngine(sources, a100, scratch)),
        (ValidationCatalog.NimEngineFile, StandardCalibration.NimEngine(sources, a100, h100, scratch)),
    })
    {
        var path = sources.Engine(file);
        var (fitted, stages) = DeviceCalibrator.Fit(File.ReadAllText(path), [stage]);
        foreach (var s in stages)
            foreach (var p in s.Stage.Parameters)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {s.Stage.Name} | {s.Stage.Data} | {s.ObjectiveBefore:0.00} % | {s.ObjectiveAfter:0.00} % | `{p.Path}` ({p.Meaning}) | {s.Before[p.Path]:G4} | {s.After[p.Path]:G4} |"));
        if (write) File.WriteAllText(path, fitted);
    }

    Directory.Delete(scratch, recursive: true);
}

// A copy of the data folder with the fitted engine files in it (a calibration without --write leaves the data alone).
static string CopyWithEngines(string data, string engines)
{
    var copy = Path.Combine(Path.GetTempPath(), "rapidllm-calibrated-data");
    foreach (var file in Directory.EnumerateFiles(data, "*", SearchOption.AllDirectories))
    {
        var target = Path.Combine(copy, Path.GetRelativePath(data, file));
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(file, target, overwrite: true);
    }

    foreach (var file in Directory.EnumerateFiles(engines)) File.Copy(file, Path.Combine(copy, "engines", Path.GetFileName(file)), overwrite: true);
    return copy;
}

// Each engine parameter fitted on half its rows and tested on the other half.
static string EngineReport(ValidationSources sources, string presets)
{
    var text = new System.Text.StringBuilder();
    text.AppendLine("| engine | fold | parameter | fitted value | fit rows: mean \\|error\\| | held-out rows: mean \\|error\\| |");
    text.AppendLine("|---|---|---|---:|---:|---:|");
    foreach (var f in EngineCrossValidation.Run(sources, Path.Combine(presets, "a100_80GB.yaml"), Path.Combine(presets, "H100_SXM5_80GB.yaml")))
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"| {f.Engine} | {f.Fold} | `{f.Parameter}` | {f.FittedValue * 1e3:0.###} ms | {f.FitErrorPercent:0.00} % ({f.FitRows}) | {f.HeldOutErrorPercent:0.00} % ({f.HeldOutRows}) |"));
    return text.ToString();
}

// Per-section errors of the H100 GPU entries: the reference model's H100 file against the calibrated preset, with the
// calibrated preset's error on the entries the fit used and on the held-out third.
static string GpuReport(string gpu, string presets)
{
    var entries = GpuMeasurementSet.Load(gpu, "H100");
    var runner = new GpuMeasurementRunner();
    var reference = runner.Run(entries, File.ReadAllText(Path.Combine(gpu, "cases", "hw", "h100.yaml")), "reference H100");
    var calibrated = runner.Run(entries, File.ReadAllText(Path.Combine(presets, "H100_SXM5_80GB.yaml")), "H100_SXM5_80GB.yaml");
    var text = new System.Text.StringBuilder();
    text.AppendLine("| section | entries | reference: median / mean \\|error\\| | calibrated: median / mean | calibrated, fitted entries | calibrated, held-out entries |");
    text.AppendLine("|---|---:|---:|---:|---:|---:|");
    foreach (var section in entries.Select(e => e.Section).Distinct().Append("all"))
    {
        bool In(GpuPointResult r) => section == "all" || r.Measurement.Section == section;
        var held = calibrated.Where(r => In(r) && StandardCalibration.IsHeldOut(r.Measurement, entries)).ToList();
        var fit = calibrated.Where(r => In(r) && !StandardCalibration.IsHeldOut(r.Measurement, entries)).ToList();
        static string Stat(IEnumerable<GpuPointResult> rs)
        {
            var e = ErrorStatistics.From(rs.Select(r => r.SignedErrorPercent));
            return string.Create(CultureInfo.InvariantCulture, $"{e.MedianAbsPercent:0.0} / {e.MeanAbsPercent:0.0} %");
        }

        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"| {section} | {reference.Count(In)} | {Stat(reference.Where(In))} | {Stat(calibrated.Where(In))} | {Stat(fit)} ({fit.Count}) | {Stat(held)} ({held.Count}) |"));
    }

    text.AppendLine();
    text.AppendLine("| entry | measured | reference | error | calibrated | error |");
    text.AppendLine("|---|---:|---:|---:|---:|---:|");
    foreach (var (r, c) in reference.Zip(calibrated))
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"| {r.Measurement.Id}{(StandardCalibration.IsHeldOut(r.Measurement, entries) ? " (held out)" : "")} | {r.Measurement.MeasuredSeconds * 1e3:0.###} ms | {r.PredictedSeconds * 1e3:0.###} ms | {r.SignedErrorPercent:+0.0;-0.0;0.0} % | {c.PredictedSeconds * 1e3:0.###} ms | {c.SignedErrorPercent:+0.0;-0.0;0.0} % |"));
    return text.ToString();
}

// Known options only: a value option needs its value, a flag takes none, anything else is an error.
static Dictionary<string, string>? ParseArgs(string[] args, out List<string> problems)
{
    string[] valued = ["data", "configs", "presets", "gpu", "out", "suite"];
    string[] flags = ["astra", "calibrate", "write", "gpu-report", "fit-engines", "engines"];
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

    foreach (var folder in new[] { "data", "configs", "presets", "gpu" })
        if (map.TryGetValue(folder, out var path) && !Directory.Exists(path)) problems.Add($"--{folder} '{path}' is not a folder");
    return problems.Count == 0 ? map : null;
}

static string FindRepositoryRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "RapidLlm.sln"))) return dir.FullName;
    return Directory.GetCurrentDirectory();
}
