using System.Diagnostics;
using System.Globalization;
using RapidLlm.AstraSim;
using RapidLlm.AstraSim.Execution;
using RapidLlm.Configuration;
using RapidLlm.Simulation;
using RapidLlm.Search;

namespace RapidLlm.Cli;

/// <summary>
/// <c>RunPerf search</c> (the fastest configuration that fits, over every parallel layout) and <c>RunPerf merge</c>
/// (shards of one search back into the unsharded result), as the command-line contract's §Search describes them.
/// Exit codes as for an estimate: 0 success, 2 invalid input (including an empty search space), 1 anything else.
/// </summary>
internal static class SearchCommand
{
    private const int Success = 0;
    private const int Failure = 1;
    private const int InvalidInput = 2;
    private const int PrintedRows = 10;

    public static int Run(string command, IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, AstraSimOptions? astra = null)
    {
        if (args.Any(a => a is "--help" or "-h" or "-?"))
        {
            stdout.WriteLine(command == "merge" ? SearchCommandOptions.MergeUsage : SearchCommandOptions.SearchUsage);
            stdout.WriteLine();
            stdout.WriteLine(command == "merge"
                ? "Combines the JSON files of `RunPerf search --shard I/N` (every I of one N) into exactly the JSON the unsharded search writes."
                : "Estimates every parallel layout of the model on N GPUs (with per-GPU memory) and ranks those that fit by the objective.");
            return Success;
        }

        var options = SearchCommandOptions.Parse(command, args, out var problems);
        if (problems.Count > 0)
        {
            foreach (var problem in problems) stderr.WriteLine("error: " + problem);
            stderr.WriteLine(command == "merge" ? SearchCommandOptions.MergeUsage : SearchCommandOptions.SearchUsage);
            return InvalidInput;
        }

        // Where results go (and, for merge, what is read) is checked before any work, so a wrong path costs nothing.
        var pathProblems = PathProblems(options, merge: command == "merge");
        if (pathProblems.Count > 0)
        {
            foreach (var problem in pathProblems) stderr.WriteLine("error: " + problem);
            return InvalidInput;
        }

        try
        {
            return command == "merge" ? Merge(options, stdout, stderr) : Search(options, stdout, stderr, astra ?? new AstraSimOptions());
        }
        catch (ConfigurationException e)
        {
            stderr.WriteLine(e.Message);
            return InvalidInput;
        }
        catch (SearchSpaceException e)
        {
            stderr.WriteLine("error: the search space is empty: " + e.Message);
            return InvalidInput;
        }
        catch (ArgumentException e)
        {
            stderr.WriteLine("error: " + Sentence(e));
            return InvalidInput;
        }
        catch (Exception e) when (e is UnsupportedFeatureException or RapidLlm.Execution.BackendUnavailableException)
        {
            stderr.WriteLine("error: " + e.Message);
            return InvalidInput;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine("error: " + e.Message);
            return Failure;
        }
#pragma warning disable CA1031 // The CLI's contract is a sentence and an exit code, never a stack trace.
        catch (Exception e)
#pragma warning restore CA1031
        {
            stderr.WriteLine($"error: the search failed ({e.GetType().Name}): {e.Message}");
            return Failure;
        }
    }

    private static int Search(SearchCommandOptions options, TextWriter stdout, TextWriter stderr, AstraSimOptions astra)
    {
        var clock = Stopwatch.StartNew();
        var (template, sequenceParallel) = Template(options.HardwarePath, options.ModelPath);
        template.UseAstraSim(astra);
        var searchOptions = options.ToSearchOptions() with { SequenceParallel = sequenceParallel };
        var result = SearchProgressDisplay.Run(stderr, options.NoProgress, progress => ParallelismSearch.Run(template, searchOptions, progress));

        var written = options.Top is { } top ? result.Take(top) : result;
        WriteFiles(written, options);
        SearchTable.Write(stdout, result, options.Top ?? PrintedRows);
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Search: {result.Evaluated} estimated, {result.Feasible} fit, {result.Pruned} pruned by the memory bound, {result.Rejected} rejected (shard {result.Shard}) in {clock.Elapsed.TotalSeconds:F2}s"));
        return Success;
    }

    /// <summary>
    /// The search's template, with the sequence-parallel choice of the hardware file: the contract's search replaces the
    /// file's degrees but keeps its <c>parallelism.tp_sp</c> for every tensor-parallel candidate, so a candidate written
    /// back into the file estimates the same. The file is read once (it may be a pipe); when it does not load, its
    /// problems are reported with the model file's, as the build would.
    /// </summary>
    private static (LlmSimulationBuilder Template, bool[] SequenceParallel) Template(string hardwarePath, string modelPath)
    {
        try
        {
            var hardware = HardwareConfig.LoadYaml(hardwarePath);
            return (LlmSimulation.Create().Hardware(hardware).Model(modelPath), [hardware.Value.Parallelism.TpSp]);
        }
        catch (ConfigurationException hardwareProblems)
        {
            var problems = new List<ConfigDiagnostic>(hardwareProblems.Problems);
            try
            {
                ModelConfig.LoadYaml(modelPath);
            }
            catch (ConfigurationException modelProblems)
            {
                problems.AddRange(modelProblems.Problems);
            }

            throw new ConfigurationException(problems);
        }
    }

    /// <summary>The most a shard file may hold: a search result of millions of candidates, far below what exhausts memory.</summary>
    internal const long MaxInputBytes = 256L * 1024 * 1024;

    private static List<string> PathProblems(SearchCommandOptions options, bool merge)
    {
        var problems = new List<string>();
        if (merge)
        {
            foreach (var input in options.Inputs)
            {
                if (OutputPaths.InputProblem(input, MaxInputBytes) is { } problem) problems.Add(problem);
            }
        }

        if (options.JsonPath is { } json && OutputPaths.FileProblem("--json", json, "JSON") is { } jsonProblem) problems.Add(jsonProblem);
        if (options.CsvPath is { } csv && OutputPaths.FileProblem("--csv", csv, "CSV") is { } csvProblem) problems.Add(csvProblem);
        if (options.PngPath is { } png && OutputPaths.FileProblem("--png", png, "PNG") is { } pngProblem) problems.Add(pngProblem);
        return problems;
    }

    /// <summary>An argument error's sentence without the " (Parameter 'x')" tail .NET appends for a named parameter.</summary>
    internal static string Sentence(ArgumentException e)
    {
        var text = e.Message;
        if (e.ParamName is null) return text;
        var tail = text.LastIndexOf(" (", StringComparison.Ordinal);
        return tail > 0 && text.EndsWith(')') && text.IndexOf(e.ParamName, tail, StringComparison.Ordinal) > 0 ? text[..tail] : text;
    }

    private static int Merge(SearchCommandOptions options, TextWriter stdout, TextWriter stderr)
    {
        var shards = new List<SearchResult>();
        var problems = new List<string>();
        foreach (var path in options.Inputs)
        {
            try
            {
                shards.Add(SearchResult.FromJson(OutputPaths.ReadBounded(path, MaxInputBytes)));
            }
            catch (FormatException e)
            {
                problems.Add($"{path}: {e.Message}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add(e.Message.StartsWith(path, StringComparison.Ordinal) ? e.Message : $"{path}: {e.Message}");
            }
        }

        if (problems.Count == 0)
        {
            try
            {
                var merged = SearchResult.Merge(shards);
                if (options.Top is { } top) merged = merged.Take(Math.Min(top, merged.Candidates.Count));
                WriteFiles(merged, options);
                SearchTable.Write(stdout, merged, options.Top ?? PrintedRows);
                stdout.WriteLine($"Merged {shards.Count} shard(s): {merged.Evaluated} estimated, {merged.Feasible} fit.");
                return Success;
            }
            catch (ArgumentException e)
            {
                problems.Add(Sentence(e));
            }
        }

        foreach (var problem in problems) stderr.WriteLine("error: " + problem);
        return InvalidInput;
    }

    /// <summary>
    /// Writes the asked-for files: every text and image is made first, then written; when one write fails, the files
    /// this call wrote are removed again, so a failed command leaves no partial result.
    /// </summary>
    private static void WriteFiles(SearchResult result, SearchCommandOptions options)
    {
        var files = new List<(string Path, byte[] Bytes)>();
        var utf8 = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        if (options.JsonPath is { } json) files.Add((json, utf8.GetBytes(result.ToJson())));
        if (options.CsvPath is { } csv) files.Add((csv, utf8.GetBytes(result.ToCsv())));
        if (options.PngPath is { } png) files.Add((png, ParetoPlot.Render(result)));
        var written = new List<string>();
        try
        {
            foreach (var (path, bytes) in files)
            {
                var folder = Path.GetDirectoryName(Path.GetFullPath(path));
                if (folder is not null) Directory.CreateDirectory(folder);
                File.WriteAllBytes(path, bytes);
                written.Add(path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            foreach (var path in written) TryDelete(path);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the error being reported is the write that failed.
        }
    }
}
