using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using RapidLlm.Inference;
using RapidLlm.Interactive;
using RapidLlm.Memory;
using RapidLlm.Results;
using RapidLlm.Simulation;

// A C# REPL with RapidLlm loaded (Roslyn scripting): `Repl file.csx` runs a script, `Repl` reads submissions from the
// terminal (or from standard input) one at a time. A submission ending in an expression prints its value; RapidLlm's
// results print as their aligned tables.
if (args is ["-h" or "--help"] || args.Length > 1)
{
    Console.WriteLine("usage: Repl [SCRIPT.csx]\n  with a script: runs it and exits (1 on a compilation or run-time error)\n  without: reads C# from the terminal; #exit or end of input quits");
    return args.Length > 1 ? 2 : 0;
}

var baseDirectory = args.Length == 1 ? Path.GetDirectoryName(Path.GetFullPath(args[0]))! : Directory.GetCurrentDirectory();
var options = ScriptOptions.Default
    .WithReferences(typeof(LlmSimulation).Assembly, typeof(EstimateSeries).Assembly)
    .WithImports("System", "System.IO", "System.Linq", "System.Collections.Generic",
        "RapidLlm.Common", "RapidLlm.Configuration", "RapidLlm.Inference", "RapidLlm.Interactive", "RapidLlm.Memory", "RapidLlm.Results", "RapidLlm.Simulation")
    .WithMetadataResolver(ScriptMetadataResolver.Default.WithBaseDirectory(baseDirectory))
    .WithSourceResolver(new SourceFileResolver(ImmutableArray<string>.Empty, baseDirectory))
    .WithLanguageVersion(LanguageVersion.Latest);

if (args.Length == 1)
{
    if (!File.Exists(args[0]))
    {
        Console.Error.WriteLine($"Script '{args[0]}' not found.");
        return 2;
    }

    var result = await Evaluate(null, File.ReadAllText(args[0]), options.WithFilePath(Path.GetFullPath(args[0])));
    return result.Succeeded ? 0 : 1;
}

var interactive = !Console.IsInputRedirected;
if (interactive) Console.WriteLine("RapidLlm C# REPL: a submission runs when it is complete; #exit quits.");
ScriptState<object>? state = null;
var anyFailed = false;
var buffer = new System.Text.StringBuilder();
while (true)
{
    if (interactive) Console.Write(buffer.Length == 0 ? "> " : "* ");
    var line = Console.ReadLine();
    if (line is null || (buffer.Length == 0 && line.Trim() == "#exit")) break;
    buffer.AppendLine(line);
    var code = buffer.ToString();
    if (string.IsNullOrWhiteSpace(code))
    {
        buffer.Clear();
        continue;
    }

    // Keep reading while the submission is open (an unclosed brace, a builder chain ending in a dot…).
    var tree = CSharpSyntaxTree.ParseText(code, CSharpParseOptions.Default.WithKind(SourceCodeKind.Script));
    if (!SyntaxFactory.IsCompleteSubmission(tree)) continue;
    buffer.Clear();
    var outcome = await Evaluate(state, code, options);
    if (outcome.Succeeded) state = outcome.State;
    else anyFailed = true;
}

// Piped input is a script by other means: a failed submission fails the run.
return anyFailed && !interactive ? 1 : 0;

// Runs one submission and prints its value, or its errors without a stack trace.
static async Task<(bool Succeeded, ScriptState<object>? State)> Evaluate(ScriptState<object>? previous, string code, ScriptOptions options)
{
    try
    {
        var state = previous is null
            ? await CSharpScript.RunAsync(code, options)
            : await previous.ContinueWithAsync(code, options);
        if (state.ReturnValue is { } value) Console.WriteLine(Display(value));
        return (true, state);
    }
    catch (CompilationErrorException e)
    {
        foreach (var diagnostic in e.Diagnostics) Console.Error.WriteLine(diagnostic);
    }
    catch (Exception e)
    {
        // The script's own exception (a ConfigurationException lists every problem): its message, never a stack trace.
        Console.Error.WriteLine($"{e.GetType().Name}: {e.Message}");
    }

    return (false, previous);
}

static string Display(object value) => value switch
{
    TrainingEstimate e => e.ToTable().ToString(),
    InferenceEstimate e => e.ToTable().ToString(),
    MemoryEstimate e => e.ToTable().ToString(),
    GemmModeEstimate e => e.ToTable().ToString(),
    string s => s,
    _ => value.ToString() ?? "",
};
