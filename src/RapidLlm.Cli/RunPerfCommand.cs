using System.Diagnostics;
using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Simulation;
using RapidLlm.Execution;
using RapidLlm.Hardware;
using RapidLlm.Inference;
using RapidLlm.Memory;
using RapidLlm.Network;
using RapidLlm.Reports;
using RapidLlm.Results;

namespace RapidLlm.Cli;

/// <summary>
/// The RunPerf command: the reference's <c>run_perf.py</c> behaviour (same flags, stdout lines and result files) plus a
/// JSON result, clear error sentences and exit codes 0 (success), 2 (invalid input) and 1 (anything else).
/// </summary>
internal static class RunPerfCommand
{
    /// <summary>Exit code of a successful run.</summary>
    public const int Success = 0;

    /// <summary>Exit code of any failure that is not the input's fault.</summary>
    public const int Failure = 1;

    /// <summary>Exit code of invalid input (bad YAML, values, parallelism, missing AstraSim binary).</summary>
    public const int InvalidInput = 2;

    /// <summary>What <c>--help</c> prints.</summary>
    public static string HelpText { get; } = string.Join('\n',
        RunPerfOptions.Usage,
        "",
        "Estimates LLM training or inference time, per-GPU memory and energy from the reference's YAML configs.",
        "",
        "  --hardware_config FILE   hardware YAML (either schema)",
        "  --model_config FILE      model YAML: LLM or ViT training or inference, or GEMM",
        "  --output_dir DIR         where LLM/, VIT/ or GEMM/ result files go (default: output)",
        "  --json FILE              also write the machine-readable result",
        "  --memory-only            estimate per-GPU memory only",
        "  --no-memory              skip the per-GPU memory simulation (timing only)",
        "  --memory-breakdown       print the memory components at the peak",
        "  --reference-energy       count inference energy as the reference does (one layer)",
        "",
        "Exit codes: 0 success, 2 invalid input (every problem printed with file, line, YAML path and value), 1 other failure.",
        "AstraSim modes need a binary: execution_backend.astra.binary, RAPID_ASTRA_SIM_BIN, or",
        "third_party/astra-sim/build/astra_analytical/build/bin/AstraSim_Analytical_Congestion_Aware.");

    /// <summary>Parses <paramref name="args"/> and runs.</summary>
    /// <param name="args">Command-line arguments.</param>
    /// <param name="stdout">Standard output.</param>
    /// <param name="stderr">Standard error.</param>
    /// <param name="backends">Registers the backends the hardware files may select (the app passes
    /// <c>b =&gt; b.UseAstraSim(…)</c>); null leaves only the analytical one, and an AstraSim file then fails with a sentence.
    /// The simulation's output folder is <c>&lt;output_dir&gt;/LLM</c> (or <c>VIT</c>), absolute.</param>
    /// <param name="cancellationToken">Stops the estimate (exit code 1).</param>
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, Action<LlmSimulationBuilder>? backends = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (args.Any(a => a is "--help" or "-h" or "-?"))
        {
            stdout.WriteLine(HelpText);
            return Success;
        }

        var options = RunPerfOptions.Parse(args, out var problems);
        if (problems.Count > 0)
        {
            foreach (var problem in problems) stderr.WriteLine("error: " + problem);
            stderr.WriteLine(RunPerfOptions.Usage);
            return InvalidInput;
        }

        return Run(options, stdout, stderr, backends, cancellationToken);
    }

    /// <summary>Runs with parsed options.</summary>
    /// <param name="options">The options.</param>
    /// <param name="stdout">Standard output.</param>
    /// <param name="stderr">Standard error.</param>
    /// <param name="backends">Registers the backends the hardware files may select; null leaves only the analytical one.</param>
    /// <param name="cancellationToken">Stops the estimate (exit code 1).</param>
    public static int Run(RunPerfOptions options, TextWriter stdout, TextWriter stderr, Action<LlmSimulationBuilder>? backends = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        // Where results go is checked before any work, so a wrong --json or --output_dir costs nothing.
        var outputProblems = OutputProblems(options);
        if (outputProblems.Count > 0)
        {
            foreach (var problem in outputProblems) stderr.WriteLine("error: " + problem);
            return InvalidInput;
        }

        try
        {
            var run = Load(options, backends);
            foreach (var warning in run.Warnings) stderr.WriteLine(warning.ToString());
            var result = run.Model.Mode switch
            {
                ModelMode.Gemm => RunGemm(run, options, stdout, cancellationToken),
                ModelMode.Llm or ModelMode.Vit when run.Model.RunType == RunType.Inference => RunInference(run, options, stdout, stderr, cancellationToken),
                ModelMode.Llm or ModelMode.Vit => RunTraining(run, options, stdout, stderr, cancellationToken),
                _ => throw new UnsupportedFeatureException($"model_param.mode {run.Model.Mode} is not supported yet; use LLM, ViT or GEMM."),
            };
            if (options.JsonPath is { } jsonPath)
            {
                var folder = Path.GetDirectoryName(Path.GetFullPath(jsonPath));
                if (folder is not null) Directory.CreateDirectory(folder);
                File.WriteAllText(jsonPath, ContractResultJson.Serialize(result));
            }

            stdout.WriteLine($"RAPID-LLM wall-clock time: {PythonNumberFormat.Fixed(clock.Elapsed.TotalSeconds, 2)}s");
            stdout.Write("\n\n");
            return Success;
        }
        catch (ConfigurationException e)
        {
            stderr.WriteLine(Named(e, options).Message);
            return InvalidInput;
        }
        catch (BackendUnavailableException e)
        {
            // The hardware file chose AstraSim, so the sentence points at that choice.
            stderr.WriteLine($"{options.HardwareConfigPath}: error at execution_backend.model (value 'astra'): {e.Message}");
            return InvalidInput;
        }
        catch (UnsupportedFeatureException e)
        {
            stderr.WriteLine("error: " + e.Message);
            return InvalidInput;
        }
        catch (BackendRunException e)
        {
            // The input was valid but the external simulator failed (deadlock, timeout, crash): not the user's input.
            stderr.WriteLine("error: " + e.Message);
            return Failure;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine("error: " + e.Message);
            return Failure;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            stderr.WriteLine("error: the estimate was cancelled.");
            return Failure;
        }
#pragma warning disable CA1031 // The CLI's contract is a sentence and an exit code, never a stack trace.
        catch (Exception e)
#pragma warning restore CA1031
        {
            stderr.WriteLine($"error: the estimate failed ({e.GetType().Name}): {e.Message}");
            return Failure;
        }
    }

    /// <summary>Problems with --output_dir and --json, found by trying to write there before the estimate.</summary>
    internal static IReadOnlyList<string> OutputProblems(RunPerfOptions options)
    {
        var problems = new List<string>();
        var output = options.OutputDirectory;
        if (File.Exists(output))
            problems.Add($"--output_dir '{output}' is a file; give a folder (it receives LLM/, VIT/ or GEMM/ result files).");
        else if (OutputPaths.WriteProbe(output) is { } outputError)
            problems.Add($"--output_dir '{output}' cannot be written: {outputError}");

        if (options.JsonPath is { } json && OutputPaths.FileProblem("--json", json, "JSON") is { } jsonProblem) problems.Add(jsonProblem);
        return problems;
    }

    // Problems found while estimating name the configuration generically; the command knows the files.
    private static ConfigurationException Named(ConfigurationException e, RunPerfOptions options) =>
        e.Problems.Any(p => p.Source is "<hardware>" or "<model>")
            ? new ConfigurationException(e.Problems.Select(p => p.Source switch
            {
                "<hardware>" => p with { Source = options.HardwareConfigPath },
                "<model>" => p with { Source = options.ModelConfigPath },
                _ => p,
            }).ToList())
            : e;

    // Both files are read before anything is thrown so every problem in either file is reported together; the
    // simulation is the library's single wiring point, with the backends the app registers.
    private static LlmSimulation Load(RunPerfOptions options, Action<LlmSimulationBuilder>? backends)
    {
        var builder = LlmSimulation.Create().Hardware(options.HardwareConfigPath).Model(options.ModelConfigPath)
            .Energy(options.ReferenceEnergy ? EnergyAccounting.ReferenceSingleLayer : EnergyAccounting.AllLayers);
        backends?.Invoke(builder);
        var simulation = builder.Build();
        // AstraSim modes work under <output>/LLM (VIT for ViT models); persisted artifacts land in astra_hier / astra_flat
        // there. Absolute: AstraSim runs in its own working folder, so a relative --output_dir would not resolve there.
        var work = Path.GetFullPath(Path.Combine(options.OutputDirectory, ModeFolder(simulation)));
        return simulation.WithServices(simulation.Services with { OutputDirectory = work });
    }

    private static string PrepareOutput(RunPerfOptions options, string mode)
    {
        // Like the reference, each run starts from an empty output/<MODE> folder.
        var folder = Path.Combine(options.OutputDirectory, mode);
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        return folder;
    }

    // The name of the backend the hardware file selects, as the reference prints it (also when no backend runs).
    private static string Backend(HardwareConfig hardware) => hardware.ExecutionBackend.Name;

    /// <summary>The reference's output folder of a mode (<c>LLM</c> or <c>VIT</c>: the mode upper-cased).</summary>
    private static string ModeFolder(LlmSimulation run) => run.Model.Mode == ModelMode.Vit ? "VIT" : "LLM";

    /// <summary>The mode as the JSON result names it.</summary>
    private static string ModeName(LlmSimulation run) => run.Model.Mode == ModelMode.Vit ? "ViT" : "LLM";

    private static ContractResult RunGemm(LlmSimulation run, RunPerfOptions options, TextWriter stdout, CancellationToken cancellationToken)
    {
        var backend = Backend(run.Hardware);
        var gemm = run.Model.Gemm!;
        var par = run.Hardware.Parallelism;
        var estimate = run.EstimateGemm(cancellationToken);
        var folder = PrepareOutput(options, "GEMM");
        var file = Path.Combine(folder, $"summary_modeGEMM_M{gemm.M}_K{gemm.K}_N{gemm.N}.txt");
        File.WriteAllText(file, ReferenceReportText.GemmSummary(estimate, gemm.Backward));
        stdout.WriteLine($"Performance Results written to {file}");
        foreach (var line in ReferenceReportText.GemmStdoutLines(estimate)) stdout.WriteLine(line);
        stdout.Write("\n\n");
        return new ContractResult("GEMM", "gemm", backend, par.Tp * par.Train.Dp, Gemm: new ContractGemm(
            estimate.TotalSeconds, estimate.ForwardComputeSeconds, estimate.ForwardReductionSeconds,
            estimate.BackwardComputeSeconds, estimate.BackwardReductionSeconds, estimate.DataParallelReductionSeconds));
    }

    private static ContractResult RunTraining(LlmSimulation run, RunPerfOptions options, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var backend = Backend(run.Hardware);
        var network = NetworkResolution.Resolve(run.Hardware, RunType.Training);
        // Memory needs only the graphs, never AstraSim.
        if (options.MemoryOnly && !options.NoMemory)
        {
            var memoryOnly = run.EstimateMemory(cancellationToken);
            WriteMemorySummary(PrepareOutput(options, ModeFolder(run)), memoryOnly);
            WriteMemoryOnly(stdout, memoryOnly, options.MemoryBreakdown);
            return new ContractResult(ModeName(run), "training", backend, network.NumWorkers, Memory: MemoryBlock(memoryOnly));
        }

        // The backend is created before any work, so a missing AstraSim binary fails here; the output folder is then
        // emptied (as the reference does) so persisted AstraSim artifacts survive the run.
        var simulation = options.MemoryOnly ? run.ToBuilder().UseBackend(AnalyticalBackend.Instance).Build() : run;
        _ = simulation.Backend;
        var folder = PrepareOutput(options, ModeFolder(run));
        var estimate = simulation.EstimateTraining(includeMemory: !options.NoMemory, cancellationToken);
        // Memory is estimated for dense, MoE and MLA models alike, unless --no-memory skips it.
        var memory = estimate.Memory;
        if (memory is not null) WriteMemorySummary(folder, memory);

        var topology = TopologySummary.Training(run.Hardware, network);
        var file = Path.Combine(folder, "LLM_training_results.txt");
        File.WriteAllText(file, ReferenceReportText.TrainingResults(estimate, topology));

        var log = new ReferenceLog();
        log.Network(topology);
        var results = new List<string> { ReferenceReportText.TrainingTimeLine(estimate) };
        // Our schedules say which one ran; a GPipe run prints exactly the reference's lines.
        if (run.Hardware.Parallelism.Schedule.Kind != PipelineScheduleKind.GPipe)
            results.Add(ReferenceReportText.ScheduleLine(run.Hardware.Parallelism));
        results.Add($"LLM training results written to {file}");
        log.Results(results);
        if (memory is not null && MemoryCapacityText.Warning(memory.Report) is { } warning) log.Other([warning]);
        stdout.Write(log.Render());
        if (options.MemoryBreakdown && memory is not null) WriteBreakdown(stdout, memory);
        return new ContractResult(ModeName(run), "training", backend, estimate.NumGpus,
            Training: new ContractTraining(estimate.TimePerBatchSeconds), Memory: memory is null ? null : MemoryBlock(memory),
            Energy: estimate.Energy is { } energy ? new ContractEnergy(null, null, energy.TotalJoules, energy.AveragePowerWattsPerGpu) : null);
    }

    private static void WriteMemorySummary(string folder, MemoryEstimate memory)
    {
        if (MemoryCapacityText.ComparisonText(memory.Report) is not { } text) return;
        var summaryFolder = Path.Combine(folder, "memory-summary");
        Directory.CreateDirectory(summaryFolder);
        File.WriteAllText(Path.Combine(summaryFolder, "memory_capacity_comparison.txt"), text);
    }

    private static void WriteMemoryOnly(TextWriter stdout, MemoryEstimate memory, bool breakdown, bool decodes = true)
    {
        var r = memory.Report;
        if (r.Mode == MemoryMode.Inference)
        {
            stdout.WriteLine("Memory-only inference estimation");
            stdout.WriteLine($"  Prefill peak (per gpu): {PythonNumberFormat.Fixed(r.PrefillPeakGib, 2)} GiB");
            // Like the reference's memory-only path, a run without decode steps (a ViT) shows no decode peak.
            stdout.WriteLine($"  Final decode peak (per gpu): {PythonNumberFormat.Fixed(decodes ? r.DecodePeakGib : 0.0, 2)} GiB");
            stdout.WriteLine($"  Max peak (per gpu): {PythonNumberFormat.Fixed(r.PeakGib, 2)} GiB");
        }
        else
        {
            stdout.WriteLine("Memory-only training estimation");
            stdout.WriteLine($"  Peak (per gpu): {PythonNumberFormat.Fixed(r.PeakGib, 2)} GiB");
        }

        stdout.WriteLine(r.CapacityGib is { } c ? $"  Capacity (per gpu): {PythonNumberFormat.Fixed(c, 2)} GiB" : "  Capacity (per gpu): unknown");
        stdout.WriteLine(r.HeadroomGib is { } h ? $"  Headroom: {PythonNumberFormat.Fixed(h, 2)} GiB" : "  Headroom: unknown");
        if (breakdown) WriteBreakdown(stdout, memory);
    }

    private static void WriteBreakdown(TextWriter stdout, MemoryEstimate memory)
    {
        if (memory.PeakBreakdown is not { } b) return;
        const double gib = 1024.0 * 1024 * 1024;
        (string Name, double Bytes)[] rows =
        [
            ("weights", b.WeightBytes), ("gradients", b.GradientBytes), ("optimizer states", b.OptimizerBytes),
            ("activations", b.ActivationBytes), ("KV cache", b.KvCacheBytes), ("ZeRO-3 gathers", b.EphemeralBytes),
            ("other static", b.OtherStaticBytes), ("total at peak", b.TotalBytes),
        ];
        stdout.WriteLine("Memory at peak (per gpu, busiest device):");
        stdout.WriteLine("  component           GiB      share");
        foreach (var (name, bytes) in rows)
        {
            var share = b.TotalBytes > 0 ? bytes / b.TotalBytes * 100 : 0;
            stdout.WriteLine($"  {name,-17} {PythonNumberFormat.Fixed(bytes / gib, 2),9} {PythonNumberFormat.Fixed(share, 1),7}%");
        }
    }

    private static ContractMemory MemoryBlock(MemoryEstimate memory)
    {
        var r = memory.Report;
        var inference = r.Mode == MemoryMode.Inference;
        return new ContractMemory(r.PeakGib, r.CapacityGib ?? 0, r.Fits,
            inference ? r.PrefillPeakGib : null, inference ? r.DecodePeakGib : null);
    }

    private static ContractResult RunInference(LlmSimulation run, RunPerfOptions options, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var backend = Backend(run.Hardware);
        if (options.MemoryOnly)
        {
            var memoryOnly = run.EstimateMemory(cancellationToken);
            WriteMemorySummary(PrepareOutput(options, ModeFolder(run)), memoryOnly);
            WriteMemoryOnly(stdout, memoryOnly, options.MemoryBreakdown, decodes: (run.Model.Transformer!.DecodeLen ?? 0) > 0);
            var replicas = Math.Max(1, run.Hardware.Parallelism.Inference.ReplicaCount);
            var workers = NetworkResolution.Resolve(run.Hardware, RunType.Inference).NumWorkers;
            return new ContractResult(ModeName(run), "inference", backend, workers * replicas, Memory: MemoryBlock(memoryOnly));
        }

        // Created before any work: a missing AstraSim binary fails before the output folder is emptied.
        _ = run.Backend;
        var folder = PrepareOutput(options, ModeFolder(run));
        var transformer = run.Model.Transformer!;
        if (transformer.Attention.Type == AttentionType.Mla && transformer.Attention.UseFlashAttention && (transformer.DecodeLen ?? 0) > 0)
        {
            stdout.WriteLine("[WARNING]: MLA inference models the latent-cache decode path without FlashMLA-specific kernels. "
                + "model_param.attention.use_flashattention only affects MLA prefill; decode continues to use the non-flash latent-cache path.");
        }

        var microBatches = run.Hardware.Parallelism.MicroBatches;
        if (microBatches > 1)
        {
            // The reference prints this on stdout while validating; scripts that diff its output expect it there.
            stdout.WriteLine($"[WARNING]: LLM inference configured with mb={microBatches} (>1). ");
            stdout.WriteLine(" Pipeline micro-batching is ill-defined for autoregressive decode and should be avoided.");
        }

        if (options.ReferenceEnergy && run.Hardware.PerformanceModelKind == PerformanceModelKind.Calibrated)
            stderr.WriteLine("note: --reference-energy changes the reference model's energy only; this hardware selects the calibrated "
                  + "model, whose energy is physical (idle floor plus energy per FLOP and per byte, every layer and GPU) either way.");

        // Counting every layer, MoE layers' experts, router and dispatch/combine traffic are all in the energy.
        if (run.Model.Transformer!.UsesMoe && options.ReferenceEnergy)
            stderr.WriteLine("warning: MoE energy estimates are not reliable; like the reference, MoE layers are priced as dense layers "
                  + "and the router, dispatch and combine are not counted, so treat the reported energy as a lower bound.");
        var estimate = run.EstimateInference(includeMemory: !options.NoMemory, cancellationToken);
        foreach (var line in InferenceReportText.ComputationLines(estimate)) stdout.WriteLine(line);
        var network = NetworkResolution.Resolve(run.Hardware, RunType.Inference);
        var topology = TopologySummary.Inference(run.Hardware, network);
        var file = Path.Combine(folder, "LLM_inference_results.txt");
        File.WriteAllText(file, InferenceReportText.ResultsFile(estimate, backend, topology));
        var memory = estimate.Memory;
        if (memory is not null) WriteMemorySummary(folder, memory);

        var log = new ReferenceLog();
        log.Network(topology);
        log.Results(InferenceReportText.ResultLines(estimate, backend, file));
        if (memory is not null && MemoryCapacityText.Warning(memory.Report) is { } warning) log.Other([warning]);
        stdout.Write(log.Render());
        if (options.MemoryBreakdown && memory is not null) WriteBreakdown(stdout, memory);

        var rates = estimate.Rates;
        var throughput = estimate.Throughput;
        return new ContractResult(ModeName(run), "inference", backend, network.NumWorkers * estimate.Settings.ReplicaCount,
            Inference: new ContractInference(
                estimate.TotalSeconds, estimate.PrefillSeconds, estimate.DecodeSeconds, estimate.TimeToFirstTokenSeconds,
                rates?.StartTokensPerSecond, rates?.MidpointTokensPerSecond, rates?.EndTokensPerSecond,
                throughput?.StartTokensPerSecond, throughput?.MidpointTokensPerSecond, throughput?.EndTokensPerSecond),
            Memory: memory is null ? null : MemoryBlock(memory),
            Energy: new ContractEnergy(estimate.Energy.PrefillJoules, estimate.Energy.DecodeJoules, estimate.Energy.TotalJoules,
                estimate.AveragePowerWattsPerGpu));
    }
}
