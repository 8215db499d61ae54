namespace RapidLlm.Tests.Architecture;

/// <summary>
/// The second rule of docs/architecture.md: no body of code in src/ (method, constructor, accessor, local function or
/// lambda) is longer than <see cref="MaxLines"/> lines, so each part holds one idea. The sources are parsed with Roslyn,
/// so the rule sees what the compiler sees (no brace counting over strings and comments).
/// </summary>
public class MethodLengthTests
{
    /// <summary>The most lines a body may span, its opening and closing brace included.</summary>
    public const int MaxLines = 80;

    [Test]
    public void NoBodyInTheSourcesIsLongerThanTheLimit()
    {
        var tooLong = SourceBodies().Where(b => b.Lines > MaxLines).ToList();
        Assert.That(tooLong, Is.Empty, () =>
            $"{tooLong.Count} bodies are longer than {MaxLines} lines; split each into parts that hold one idea:\n"
            + string.Join("\n", tooLong));
    }

    [Test]
    public void TheSourcesAreFound()
    {
        var files = SourceFiles().Select(f => f.Relative).ToList();
        Assert.That(files, Has.Count.GreaterThan(300));
        Assert.That(files, Has.Some.StartsWith("src/RapidLlm/").And.Some.StartsWith("src/RapidLlm.Cli/")
            .And.Some.StartsWith("src/RapidLlm.AstraSim/").And.Some.StartsWith("src/RapidLlm.Validation/")
            .And.Some.StartsWith("src/RapidLlm.Interactive/"));
        Assert.That(files, Has.None.Contains("/obj/").And.None.Contains("/bin/"));
    }

    // The counter itself: it must see a long body of each kind, count both braces, and count expression bodies' spans.

    [TestCase("method", 81)]
    [TestCase("method", 80)]
    [TestCase("constructor", 120)]
    [TestCase("getter", 90)]
    [TestCase("local function", 85)]
    [TestCase("lambda", 95)]
    [TestCase("expression-bodied method", 82)]
    public void TheCounterMeasuresASyntheticBody(string kind, int lines)
    {
        var source = SyntheticSource(kind, lines);
        var measured = MethodLengths.Measure(source, "Synthetic.cs");
        Assert.That(measured.Single(m => m.Name == ExpectedName(kind)).Lines, Is.EqualTo(lines), source);
    }

    [Test]
    public void TheCounterIgnoresBracesInStringsAndComments()
    {
        const string source = """
            class A
            {
                int F()
                {
                    var s = "{ { {"; // }
                    /* } */
                    return s.Length;
                }
            }
            """;
        var measured = MethodLengths.Measure(source, "A.cs");
        Assert.That(measured.Select(m => (m.Name, m.Line, m.Lines)), Is.EqualTo(new[] { ("A.F", 4, 5) }));
    }

    [Test]
    public void TheCounterRefusesSourceThatDoesNotParse()
    {
        Assert.That(() => MethodLengths.Measure("class A { void F() { ", "Broken.cs"), Throws.InvalidOperationException);
    }

    private static string ExpectedName(string kind) => kind switch
    {
        "constructor" => "Synthetic.Synthetic.ctor",
        "getter" => "Synthetic.Value.get",
        "local function" => "Synthetic.Run.Inner",
        "lambda" => "lambda in Synthetic.Run",
        _ => "Synthetic.Run",
    };

    /// <summary>A class whose one body of the given kind spans exactly <paramref name="lines"/> lines.</summary>
    private static string SyntheticSource(string kind, int lines)
    {
        var sum = string.Join(" +\n", Enumerable.Range(0, lines).Select(i => $"        {i}"));
        return kind switch
        {
            "method" => $"class Synthetic\n{{\n    int Run()\n    {ReturnBlock(lines)}\n}}",
            "constructor" => $"class Synthetic\n{{\n    Synthetic()\n    {ReturnBlock(lines, returns: false)}\n}}",
            "getter" => $"class Synthetic\n{{\n    int Value\n    {{\n        get\n        {ReturnBlock(lines)}\n    }}\n}}",
            "local function" => $"class Synthetic\n{{\n    int Run()\n    {{\n        return Inner();\n        int Inner()\n        {ReturnBlock(lines)}\n    }}\n}}",
            "lambda" => $"class Synthetic\n{{\n    System.Func<int> Run()\n    {{\n        return () =>\n        {ReturnBlock(lines)};\n    }}\n}}",
            "expression-bodied method" => $"class Synthetic\n{{\n    int Run() =>\n{sum};\n}}",
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    /// <summary>A block of exactly <paramref name="lines"/> lines, braces included.</summary>
    private static string ReturnBlock(int lines, bool returns = true)
    {
        var body = new List<string> { "{", "var total = 0;" };
        while (body.Count < lines - (returns ? 2 : 1)) body.Add($"total += {body.Count};");
        if (returns) body.Add("return total;");
        body.Add("}");
        return string.Join("\n", body);
    }

    private static IEnumerable<MethodLength> SourceBodies() =>
        SourceFiles().SelectMany(f => MethodLengths.Measure(File.ReadAllText(f.Full), f.Relative));

    /// <summary>Every hand-written .cs file under src/, with its path relative to the repository root.</summary>
    private static IEnumerable<(string Full, string Relative)> SourceFiles()
    {
        var root = RepositoryRoot();
        var src = Path.Combine(root, "src");
        return Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Select(full => (Full: full, Relative: Path.GetRelativePath(root, full).Replace('\\', '/')))
            .Where(f => !f.Relative.Split('/').Any(part => part is "obj" or "bin"))
            .Where(f => !MethodLengths.IsGenerated(f.Full, File.ReadAllText(f.Full)))
            .OrderBy(f => f.Relative, StringComparer.Ordinal);
    }

    /// <summary>The repository root above the test assembly; inconclusive (never a silent pass) where the sources are absent.</summary>
    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "RapidLlm.sln"))) folder = folder.Parent;
        if (folder is null || !Directory.Exists(Path.Combine(folder.FullName, "src", "RapidLlm")))
            Assert.Inconclusive("The method-length rule reads the sources: no RapidLlm.sln with src/RapidLlm above "
                + TestContext.CurrentContext.TestDirectory + " (a test run outside the repository checks nothing here).");
        return folder!.FullName;
    }
}
