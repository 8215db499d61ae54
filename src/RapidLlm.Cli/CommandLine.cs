using RapidLlm.AstraSim;
using RapidLlm.AstraSim.Execution;
using RapidLlm.HuggingFace;

namespace RapidLlm.Cli;

/// <summary>
/// The <c>rapidllm</c> command line: an estimate (no subcommand; the reference's <c>run_perf.py</c> flags), <c>search</c>,
/// <c>merge</c> and <c>import-hf</c>. Exit codes: 0 success, 2 invalid input, 1 anything else. The sample apps
/// <c>RunPerf</c> and <c>HfToConfig</c> call <see cref="Run"/> and <see cref="ImportHuggingFace"/>.
/// </summary>
public static class CommandLine
{
    /// <summary>Exit code of a successful run.</summary>
    public const int Success = 0;

    /// <summary>Exit code of any failure that is not the input's fault.</summary>
    public const int Failure = 1;

    /// <summary>Exit code of invalid input (bad YAML, values, parallelism, missing AstraSim binary, empty search space).</summary>
    public const int InvalidInput = 2;

    /// <summary>
    /// Runs one command: <c>search</c>, <c>merge</c> or <c>import-hf</c> when it is the first argument, else an estimate.
    /// The command line, not the library, reads the environment: <c>RAPID_ASTRA_SIM_BIN</c>,
    /// <c>RAPID_PERSIST_ASTRASIM_ARTIFACTS</c> and <c>RAPID_VISUALIZE_GRAPHS</c> become AstraSim options, and the working
    /// folder is searched for a source-built binary. The AstraSim backends are always registered; a hardware file that
    /// selects the analytical model stays analytical.
    /// </summary>
    /// <param name="args">Command-line arguments.</param>
    /// <param name="stdout">Standard output.</param>
    /// <param name="stderr">Standard error.</param>
    /// <returns>The exit code.</returns>
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Count > 0 && args[0] is "import-hf") return HuggingFaceImportCommand.Run(args.Skip(1).ToArray(), stdout, stderr);
        var astra = AstraSimOptions.FromEnvironment(null, Environment.GetEnvironmentVariable, Environment.CurrentDirectory);
        return args.Count > 0 && args[0] is "search" or "merge"
            ? SearchCommand.Run(args[0], args.Skip(1).ToArray(), stdout, stderr, astra)
            : RunPerfCommand.Run(args, stdout, stderr, builder => builder.UseAstraSim(astra));
    }

    /// <summary>The Hugging Face import alone: a local <c>config.json</c> in, a model YAML out (<c>rapidllm import-hf</c>).</summary>
    /// <param name="args">Command-line arguments (without the subcommand).</param>
    /// <param name="stdout">Receives the YAML when no output file is given.</param>
    /// <param name="stderr">Receives notes and errors.</param>
    /// <returns>The exit code.</returns>
    public static int ImportHuggingFace(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr) =>
        HuggingFaceImportCommand.Run(args, stdout, stderr);
}
